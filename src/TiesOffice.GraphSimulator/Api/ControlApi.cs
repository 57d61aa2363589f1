using System.Globalization;
using System.Text.Json.Nodes;
using TiesOffice.GraphSimulator.Model;

namespace TiesOffice.GraphSimulator.Api;

/// <summary>The control API under <c>/_sim/</c>: change data, move the clock, expire tokens, inject faults, read statistics.</summary>
internal static class ControlApi
{
    public static void Map(WebApplication app, SimTenant tenant, Notifier notifier)
    {
        var sim = app.MapGroup("/_sim");
        sim.MapGet("/stats", () => Results.Json(Stats(tenant, notifier)));
        sim.MapPost("/stats/reset", () =>
        {
            foreach (var box in tenant.Mailboxes.Append(tenant.TenantCounters))
            {
                Reset(box);
            }

            return Results.NoContent();
        });
        // The mail clients sent through sendMail, oldest first (?to= and ?from= filter by address); DELETE forgets it.
        sim.MapGet("/sent-mail", (string? to, string? from) => Results.Json(tenant.Outbox.Sent
            .Where(m => to is null || m.To.Concat(m.Cc).Concat(m.Bcc).Contains(to, StringComparer.OrdinalIgnoreCase))
            .Where(m => from is null || string.Equals(m.Sender, from, StringComparison.OrdinalIgnoreCase) || m.SenderId == from)));
        sim.MapDelete("/sent-mail", () =>
        {
            tenant.Outbox.Clear();
            return Results.NoContent();
        });
        sim.MapGet("/users", () => Results.Json(tenant.Users.Select(u => new { u.Id, u.Address, u.DisplayName, u.Department })));

        sim.MapPost("/messages", (JsonObject body) =>
        {
            var from = body["from"]?.GetValue<string>();
            if (from is null)
            {
                return Results.BadRequest("from is required");
            }

            var sent = body["sentDateTime"]?.GetValue<string>() is { } t ? DateTimeOffset.Parse(t, CultureInfo.InvariantCulture) : tenant.Clock.GetUtcNow();
            var ids = tenant.Deliver(body["key"]?.GetValue<string>(), from, List(body["to"]), List(body["cc"]), List(body["bcc"]),
                body["subject"]?.GetValue<string>() ?? string.Empty, sent, body["conversation"]?.GetValue<string>());
            return Results.Json(ids);
        });
        sim.MapPost("/users/{user}/mailFolders/{folder}/messages", (string user, string folder, JsonObject body) =>
        {
            if (tenant.Mailbox(user) is not { } box || box.ResolveFolder(folder) is not { } folderId)
            {
                return Results.NotFound();
            }

            var now = tenant.Clock.GetUtcNow();
            var item = new SimItem
            {
                Id = Ids.Message(box.User.Id, "raw-" + Guid.NewGuid()),
                Kind = SimItemKind.Message,
                FolderId = folderId,
                Message = new MessageData { SentAt = now, ReceivedAt = now, ConversationId = Ids.Conversation("raw-" + Guid.NewGuid()) },
                Overrides = body,
            };
            tenant.AddItem(box, item);
            return Results.Json(new { id = item.Id });
        });
        sim.MapPatch("/users/{user}/messages/{id}", (string user, string id, JsonObject body) => Patch(tenant, user, id, body));
        sim.MapPatch("/users/{user}/events/{id}", (string user, string id, JsonObject body) => Patch(tenant, user, id, body));
        sim.MapDelete("/users/{user}/messages/{id}", (string user, string id) =>
            tenant.Mailbox(user) is { } box && tenant.DeleteItem(box, id) ? Results.NoContent() : Results.NotFound());
        sim.MapDelete("/users/{user}/events/{id}", (string user, string id) =>
            tenant.Mailbox(user) is { } box && tenant.DeleteItem(box, id) ? Results.NoContent() : Results.NotFound());
        sim.MapPost("/users/{user}/messages/{id}/move", (string user, string id, JsonObject body) =>
            tenant.Mailbox(user) is { } box && tenant.MoveMessage(box, id, body["destinationId"]?.GetValue<string>() ?? string.Empty) is { } moved
                ? Results.Json(new { id = moved })
                : Results.NotFound());

        sim.MapPost("/events", (JsonObject body) =>
        {
            var organizer = body["organizer"]?.GetValue<string>();
            if (organizer is null || body["start"]?.GetValue<string>() is not { } s)
            {
                return Results.BadRequest("organizer and start are required");
            }

            var start = DateTimeOffset.Parse(s, CultureInfo.InvariantCulture);
            var end = body["end"]?.GetValue<string>() is { } e ? DateTimeOffset.Parse(e, CultureInfo.InvariantCulture) : start.AddMinutes(30);
            var key = body["key"]?.GetValue<string>() ?? "sim-event-" + Guid.NewGuid();
            var ids = tenant.AddMeeting(key, new EventData
            {
                Subject = body["subject"]?.GetValue<string>() ?? "Meeting",
                Organizer = tenant.AddressOf(organizer),
                Attendees = List(body["attendees"]).Select(a => new SimAttendee(tenant.AddressOf(a), "required", "none")).ToList(),
                Start = start,
                End = end,
                IsCancelled = body["isCancelled"]?.GetValue<bool>() ?? false,
                IsOnline = body["isOnlineMeeting"]?.GetValue<bool>() ?? false,
            });
            return Results.Json(new { key, ids });
        });
        sim.MapPatch("/events/{key}", (string key, JsonObject body) =>
        {
            var count = tenant.UpdateMeeting(key, e =>
            {
                if (body["start"]?.GetValue<string>() is { } s)
                {
                    var length = e.End - e.Start;
                    e.Start = DateTimeOffset.Parse(s, CultureInfo.InvariantCulture);
                    e.End = e.Start + length;
                }

                if (body["end"]?.GetValue<string>() is { } end)
                {
                    e.End = DateTimeOffset.Parse(end, CultureInfo.InvariantCulture);
                }

                if (body["isCancelled"]?.GetValue<bool>() is { } c)
                {
                    e.IsCancelled = c;
                }
            });
            return count > 0 ? Results.Json(new { updated = count }) : Results.NotFound();
        });
        sim.MapDelete("/events/{key}", (string key) => tenant.DeleteMeeting(key) > 0 ? Results.NoContent() : Results.NotFound());
        sim.MapPost("/users/{user}/events", (string user, bool? ignoreWindow, JsonObject body) =>
        {
            if (tenant.Mailbox(user) is not { } box)
            {
                return Results.NotFound();
            }

            var item = new SimItem
            {
                Id = Ids.Event(box.User.Id, "raw-" + Guid.NewGuid()),
                Kind = SimItemKind.Event,
                Event = new EventData { Organizer = tenant.AddressOf(box.User.Address), IsOrganizer = true, OwnerResponse = "organizer", MeetingKey = Guid.NewGuid().ToString() },
                Overrides = body,
                IgnoreWindow = ignoreWindow ?? false,
            };
            tenant.AddItem(box, item);
            return Results.Json(new { id = item.Id });
        });

        sim.MapPost("/clock/advance", (JsonObject body) =>
        {
            tenant.Clock.Advance(TimeSpan.FromSeconds(body["seconds"]?.GetValue<double>() ?? 0));
            return Results.Json(new { now = tenant.Clock.GetUtcNow() });
        });
        sim.MapGet("/clock", () => Results.Json(new { now = tenant.Clock.GetUtcNow() }));
        sim.MapPost("/expire-tokens", (int? status) =>
        {
            foreach (var box in tenant.Mailboxes)
            {
                Expire(box, status);
            }

            return Results.NoContent();
        });
        sim.MapPost("/users/{user}/expire-tokens", (string user, int? status) =>
        {
            if (tenant.Mailbox(user) is not { } box)
            {
                return Results.NotFound();
            }

            Expire(box, status);
            return Results.NoContent();
        });
        sim.MapPost("/users/{user}/faults", (string user, JsonObject body) =>
        {
            var rule = new FaultRule(
                body["kind"]?.ToString() ?? "429",
                body["count"]?.GetValue<int>() ?? 1,
                body["retryAfterSeconds"]?.GetValue<int>() ?? 1,
                body["delayMs"]?.GetValue<int>() ?? 2000,
                body["path"]?.GetValue<string>(),
                body["probability"]?.GetValue<double>() ?? 1);
            var boxes = user == "*" ? tenant.Mailboxes.ToList() : tenant.Mailbox(user) is { } b ? [b] : [];
            foreach (var box in boxes)
            {
                lock (box.Faults)
                {
                    box.Faults.Add(rule);
                }
            }

            return boxes.Count > 0 ? Results.NoContent() : Results.NotFound();
        });
        sim.MapDelete("/users/{user}/faults", (string user) =>
        {
            foreach (var box in user == "*" ? tenant.Mailboxes : tenant.Mailbox(user) is { } b ? [b] : [])
            {
                lock (box.Faults)
                {
                    box.Faults.Clear();
                }
            }

            return Results.NoContent();
        });
        sim.MapPost("/subscriptions/{id}/lifecycle", async (string id, JsonObject body, CancellationToken ct) =>
            await notifier.SendLifecycleAsync(id, body["lifecycleEvent"]?.GetValue<string>() ?? "missed", ct).ConfigureAwait(false)
                ? Results.NoContent()
                : Results.NotFound());
    }

    /// <summary>Per-mailbox statistics, keyed by address.</summary>
    public static object Stats(SimTenant tenant, Notifier notifier) => new
    {
        mailboxes = tenant.Mailboxes.Where(b => Volatile.Read(ref b.Requests) > 0).ToDictionary(b => b.User.Address, Row),
        tenant = Row(tenant.TenantCounters),
        notificationsSent = notifier.Sent,
    };

    private static object Row(SimMailbox b) => new
    {
        requests = Volatile.Read(ref b.Requests),
        maxConcurrency = Volatile.Read(ref b.MaxInFlight),
        throttled = Volatile.Read(ref b.Throttled),
        bytesSent = Volatile.Read(ref b.BytesSent),
        faultsInjected = Volatile.Read(ref b.FaultsInjected),
        bodyPages = Volatile.Read(ref b.BodyPages),
    };

    internal static void Reset(SimMailbox box)
    {
        Interlocked.Exchange(ref box.Requests, 0);
        Interlocked.Exchange(ref box.MaxInFlight, 0);
        Interlocked.Exchange(ref box.Throttled, 0);
        Interlocked.Exchange(ref box.BytesSent, 0);
        Interlocked.Exchange(ref box.FaultsInjected, 0);
        Interlocked.Exchange(ref box.BodyPages, 0);
    }

    private static void Expire(SimMailbox box, int? status)
    {
        lock (box.Gate)
        {
            box.TokenGeneration++;
            box.ExpiredTokenStatus = status ?? 410;
        }
    }

    private static IResult Patch(SimTenant tenant, string user, string id, JsonObject body)
    {
        if (tenant.Mailbox(user) is not { } box)
        {
            return Results.NotFound();
        }

        return tenant.UpdateItem(box, id, item =>
        {
            item.Overrides ??= [];
            foreach (var (k, v) in body.ToList())
            {
                body.Remove(k);
                item.Overrides[k] = v;
            }
        })
            ? Results.NoContent()
            : Results.NotFound();
    }

    private static List<string> List(JsonNode? node) => node switch
    {
        JsonArray a => a.Select(x => x?.GetValue<string>()).OfType<string>().ToList(),
        JsonValue v when v.GetValue<string>() is { Length: > 0 } s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList(),
        _ => [],
    };
}
