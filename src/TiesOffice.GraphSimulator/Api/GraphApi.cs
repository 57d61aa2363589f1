using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using TiesOffice.GraphSimulator.Model;

namespace TiesOffice.GraphSimulator.Api;

/// <summary>The Graph v1.0 surface: routing, limits, faults, and every endpoint the simulator serves.</summary>
internal sealed partial class GraphApi(SimTenant tenant, Notifier notifier)
{
    private static readonly string[] DeltaNames = ["delta", "delta()", "microsoft.graph.delta()", "microsoft.graph.delta"];
    private static readonly Dictionary<string, string> MessageProps =
        GraphJson.MessagePropertyNames.Append("id").ToDictionary(p => p, p => p, StringComparer.OrdinalIgnoreCase);

    private SimulatorOptions Options => tenant.Options;

    /// <summary>Runs one request through the mailbox's limits and faults, then the endpoint.</summary>
    public async Task<(SimResponse Response, SimMailbox Box)> ExecuteAsync(SimRequest request, CancellationToken cancellationToken)
    {
        var segments = Segments(request.Path);
        var box = segments.Length >= 2 && Eq(segments[0], "users") ? tenant.Mailbox(Uri.UnescapeDataString(segments[1])) : null;
        box ??= tenant.TenantCounters;
        Interlocked.Increment(ref box.Requests);
        var inFlight = Interlocked.Increment(ref box.InFlight);
        int seen;
        while ((seen = Volatile.Read(ref box.MaxInFlight)) < inFlight && Interlocked.CompareExchange(ref box.MaxInFlight, inFlight, seen) != seen)
        {
        }

        try
        {
            var requestId = Guid.NewGuid().ToString();
            if (request.Header("Authorization") is not { } auth || !auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || auth.Length < 10)
            {
                return (Error(401, "InvalidAuthenticationToken", "Access token is empty.", requestId), box);
            }

            var now = tenant.Clock.GetUtcNow();
            if (box != tenant.TenantCounters)
            {
                lock (box.Window)
                {
                    while (box.Window.Count > 0 && box.Window.Peek() <= now - Options.BudgetWindow)
                    {
                        box.Window.Dequeue();
                    }

                    var over = box.Window.Count >= Options.RequestBudgetPerMailbox;
                    var wait = over ? box.Window.Peek() + Options.BudgetWindow - now : TimeSpan.Zero;
                    box.Window.Enqueue(now);
                    if (over)
                    {
                        Interlocked.Increment(ref box.Throttled);
                        return (Throttle(Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)), "Application is over its MailboxRequests limit.", requestId), box);
                    }
                }

                if (inFlight > Options.MaxConcurrentPerMailbox)
                {
                    Interlocked.Increment(ref box.Throttled);
                    return (Throttle(1, "Application is over its MailboxConcurrency limit.", requestId), box);
                }
            }

            if (TakeFault(box, request.Path) is { } fault)
            {
                Interlocked.Increment(ref box.FaultsInjected);
                switch (fault.Kind)
                {
                    case "429":
                        Interlocked.Increment(ref box.Throttled);
                        return (Throttle(fault.RetryAfterSeconds, "Application is over its MailboxConcurrency limit.", requestId), box);
                    case "503":
                    case "504":
                        var status = fault.Kind == "503" ? 503 : 504;
                        var r = Error(status, status == 503 ? "serviceNotAvailable" : "gatewayTimeout", "The service is temporarily unavailable.", requestId);
                        if (fault.RetryAfterSeconds > 0)
                        {
                            r.Headers["Retry-After"] = fault.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                        }

                        return (r, box);
                    case "401":
                        return (Error(401, "InvalidAuthenticationToken", "The token's application has no consent for this mailbox.", requestId), box);
                    case "403":
                        return (Error(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.", requestId), box);
                    case "drop":
                        return (new SimResponse { Drop = true }, box);
                    case "slow":
                        await Task.Delay(fault.DelayMs, cancellationToken).ConfigureAwait(false);
                        break;
                    case "malformed":
                        var good = await RouteAsync(request, segments, requestId, cancellationToken).ConfigureAwait(false);
                        good.Body = good.Body.Length > 2 ? good.Body[..(good.Body.Length / 2)] : Encoding.UTF8.GetBytes("{\"value\":[");
                        return (good, box);
                }
            }

            return (await RouteAsync(request, segments, requestId, cancellationToken).ConfigureAwait(false), box);
        }
        finally
        {
            Interlocked.Decrement(ref box.InFlight);
        }
    }

    private FaultRule? TakeFault(SimMailbox box, string path)
    {
        lock (box.Faults)
        {
            for (var i = 0; i < box.Faults.Count; i++)
            {
                var f = box.Faults[i];
                if (f.PathContains is { } p && !path.Contains(p, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                if (f.Probability < 1)
                {
                    double draw;
                    lock (tenant.Random)
                    {
                        draw = tenant.Random.NextDouble();
                    }

                    if (draw >= f.Probability)
                    {
                        continue;
                    }
                }

                if (f.Remaining > 0)
                {
                    box.Faults[i] = f with { Remaining = f.Remaining - 1 };
                    if (f.Remaining == 1)
                    {
                        box.Faults.RemoveAt(i);
                    }
                }

                return f;
            }
        }

        return null;
    }

    private async Task<SimResponse> RouteAsync(SimRequest request, string[] s, string requestId, CancellationToken cancellationToken)
    {
        var get = Eq(request.Method, "GET");
        if (s.Length >= 1 && Eq(s[0], "users"))
        {
            if (s.Length == 1 && get)
            {
                return ListUsers(request, requestId);
            }

            var user = tenant.FindUser(Uri.UnescapeDataString(s[1]));
            if (user is null)
            {
                return Error(404, "Request_ResourceNotFound", $"Resource '{s[1]}' does not exist or one of its queried reference-property objects are not present.", requestId);
            }

            var box = tenant.Mailbox(user.Id)!;
            if (s.Length == 2 && get)
            {
                return Json(200, w => GraphJson.WriteUserProperties(w, user, Select(request, null)), Meta(request) + "#users/$entity");
            }

            if (s.Length == 3 && get && Eq(s[2], "mailboxSettings"))
            {
                return MailboxSettings(request, box);
            }

            if (s.Length == 6 && get && Eq(s[2], "mailFolders") && Eq(s[4], "messages") && IsDelta(s[5]))
            {
                return MessageDelta(request, box, Uri.UnescapeDataString(s[3]), requestId);
            }

            if (s.Length == 4 && get && Eq(s[2], "calendarView") && IsDelta(s[3]))
            {
                return EventDelta(request, box, requestId);
            }

            if (s.Length == 3 && Eq(request.Method, "POST") && (Eq(s[2], "sendMail") || Eq(s[2], "microsoft.graph.sendMail")))
            {
                return SendMail(request, box, requestId);
            }
        }

        if (s.Length == 1 && Eq(s[0], "$batch") && Eq(request.Method, "POST"))
        {
            return await BatchAsync(request, requestId, cancellationToken).ConfigureAwait(false);
        }

        if (s.Length >= 1 && Eq(s[0], "subscriptions"))
        {
            return await notifier.HandleAsync(request, s, requestId, cancellationToken).ConfigureAwait(false);
        }

        return Error(400, "BadRequest", $"Resource not found for the segment '{(s.Length > 0 ? s[^1] : string.Empty)}'.", requestId);
    }

    private SimResponse ListUsers(SimRequest request, string requestId)
    {
        var q = Query(request.Query);
        var select = Select(request, null);
        var top = q.TryGetValue("$top", out var t) && int.TryParse(t, CultureInfo.InvariantCulture, out var n) ? Math.Clamp(n, 1, 999) : 100;
        var skip = 0;
        if (q.TryGetValue("$skiptoken", out var token))
        {
            if (DeltaToken.Decode(token) is not { Kind: 'u' } state)
            {
                return Error(400, "Directory_ExpiredPageToken", "The specified page token value has expired and can no longer be included in your request.", requestId);
            }

            skip = (int)state.Cursor;
            top = (int)state.Watermark;
            select = state.Select.Length > 0 ? new HashSet<string>(state.Select.Split(','), StringComparer.OrdinalIgnoreCase) : null;
        }

        var page = tenant.Users.Skip(skip).Take(top).ToList();
        string? next = null;
        if (skip + page.Count < tenant.Users.Count)
        {
            var state = new DeltaToken('u', string.Empty, string.Empty, 0, skip + page.Count, top, false, select is null ? string.Empty : string.Join(',', select));
            next = request.BaseUrl + "/v1.0/users?$skiptoken=" + state.Encode();
        }

        return Json(200, w =>
        {
            if (next is not null)
            {
                w.WriteString("@odata.nextLink", next);
            }

            w.WriteStartArray("value");
            foreach (var u in page)
            {
                GraphJson.WriteUser(w, u, select);
            }

            w.WriteEndArray();
        }, Meta(request) + "#users");
    }

    /// <summary>
    /// <c>POST /users/{id}/sendMail</c> (api-reference/v1.0/api/user-sendmail.md): a JSON body <c>{message,
    /// saveToSentItems}</c>, or base64 MIME with <c>Content-Type: text/plain</c>; 202 with no body. A body that is not
    /// a message with at least one recipient is 400, as is MIME that is not base64. The mail is recorded in the
    /// tenant's outbox, not delivered to any mailbox.
    /// </summary>
    private SimResponse SendMail(SimRequest request, SimMailbox box, string requestId)
    {
        var now = tenant.Clock.GetUtcNow();
        var contentType = request.Header("Content-Type") ?? string.Empty;
        if (contentType.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase))
        {
            var mime = Encoding.ASCII.GetString(request.Body).Trim();
            var buffer = new byte[mime.Length];
            if (mime.Length == 0 || !Convert.TryFromBase64String(mime, buffer, out _))
            {
                return Error(400, "ErrorMimeContentInvalidBase64String", "Invalid base64 string for MIME content.", requestId);
            }

            tenant.Outbox.Add(id => new SimSentMail(id, box.User.Id, box.User.Address, [], [], [], string.Empty, "mime", mime, true, now));
            return new SimResponse { Status = 202, ContentType = null };
        }

        JsonNode? root;
        try
        {
            // Graph matches action parameters without regard to case: the SDK sends "Message" and "SaveToSentItems"
            // (the CSDL's names), the documentation's examples "message" and "saveToSentItems".
            root = request.Body.Length == 0 ? null : JsonNode.Parse(request.Body, new JsonNodeOptions { PropertyNameCaseInsensitive = true });
        }
        catch (JsonException)
        {
            return Error(400, "BadRequest", "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.", requestId);
        }

        if (root is not JsonObject body || body["message"] is not JsonObject message)
        {
            return Error(400, "ErrorInvalidParameter", "The value of the parameter 'Message' is empty.", requestId);
        }

        List<string>? Addresses(string property)
        {
            var list = new List<string>();
            if (message[property] is null)
            {
                return list;
            }

            if (message[property] is not JsonArray array)
            {
                return null;
            }

            foreach (var recipient in array)
            {
                if (recipient?["emailAddress"]?["address"] is not JsonValue value || !value.TryGetValue<string>(out var address)
                    || !TiesOffice.Domain.Metadata.MailAddress.IsPlausible(address))
                {
                    return null;
                }

                list.Add(address);
            }

            return list;
        }

        var to = Addresses("toRecipients");
        var cc = Addresses("ccRecipients");
        var bcc = Addresses("bccRecipients");
        if (to is null || cc is null || bcc is null || to.Count + cc.Count + bcc.Count == 0)
        {
            return Error(400, "ErrorInvalidRecipients", "At least one recipient is not valid., Recipient is missing or not valid.", requestId);
        }

        var bodyType = message["body"]?["contentType"]?.GetValue<string>() ?? "text";
        if (!Eq(bodyType, "html") && !Eq(bodyType, "text"))
        {
            return Error(400, "RequestBodyRead", $"Requested value '{bodyType}' was not found.", requestId);
        }

        var save = body["saveToSentItems"] switch
        {
            null => true,
            JsonValue v when v.TryGetValue<bool>(out var b) => b,
            JsonValue v when v.TryGetValue<string>(out var text) && bool.TryParse(text, out var b) => b,
            _ => (bool?)null,
        };
        if (save is null)
        {
            return Error(400, "RequestBodyRead", "Cannot convert the literal to the expected type 'Edm.Boolean'.", requestId);
        }

        tenant.Outbox.Add(id => new SimSentMail(id, box.User.Id, box.User.Address, to, cc, bcc, message["subject"]?.GetValue<string>() ?? string.Empty,
            bodyType.ToLowerInvariant(), message["body"]?["content"]?.GetValue<string>() ?? string.Empty, save.Value, now));
        return new SimResponse { Status = 202, ContentType = null };
    }

    private static SimResponse MailboxSettings(SimRequest request, SimMailbox box) =>
        Json(200, w =>
        {
            w.WriteString("archiveFolder", box.Folders["archive"]);
            w.WriteString("timeZone", box.TimeZone);
            w.WriteString("delegateMeetingMessageDeliveryOptions", "sendToDelegateOnly");
            w.WriteString("dateFormat", "M/d/yyyy");
            w.WriteString("timeFormat", "h:mm tt");
            w.WriteStartObject("automaticRepliesSetting");
            w.WriteString("status", "disabled");
            w.WriteString("externalAudience", "all");
            w.WriteEndObject();
            w.WriteStartObject("language");
            w.WriteString("locale", "en-US");
            w.WriteString("displayName", "English (United States)");
            w.WriteEndObject();
            w.WriteString("userPurpose", "user");
        }, Meta(request) + "#users('" + box.User.Id + "')/mailboxSettings");

    private SimResponse MessageDelta(SimRequest request, SimMailbox box, string folderRef, string requestId)
    {
        var folder = box.ResolveFolder(folderRef);
        if (folder is null)
        {
            return Error(404, "ErrorInvalidIdMalformed", "Id is malformed.", requestId);
        }

        var q = Query(request.Query);
        DeltaToken state;
        if (q.TryGetValue("$skiptoken", out var token) || q.TryGetValue("$deltatoken", out token))
        {
            var parsed = DeltaToken.Decode(token);
            if (parsed is null || parsed.Kind != 'm' || !string.Equals(parsed.UserId, box.User.Id, StringComparison.Ordinal) || parsed.Scope != folder || parsed.Generation != box.TokenGeneration)
            {
                return Expired(request, box, requestId, $"/users/{box.User.Id}/mailFolders('{folder}')/messages/delta");
            }

            state = parsed;
        }
        else
        {
            HashSet<string>? select = null;
            if (q.TryGetValue("$select", out var sel))
            {
                select = new HashSet<string>(StringComparer.Ordinal);
                foreach (var name in sel.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    if (!MessageProps.TryGetValue(name, out var canonical))
                    {
                        return Error(400, "RequestBroker--ParseUri", $"Could not find a property named '{name}' on type 'microsoft.graph.message'.", requestId);
                    }

                    select.Add(canonical);
                }
            }

            lock (box.Gate)
            {
                state = new DeltaToken('m', box.User.Id, folder, box.TokenGeneration, 0, box.Seq, true, select is null ? string.Empty : string.Join(',', select));
            }
        }

        var selectSet = state.Select.Length > 0 ? new HashSet<string>(state.Select.Split(','), StringComparer.Ordinal) : null;
        if (selectSet is null || selectSet.Contains("body") || selectSet.Contains("bodyPreview") || selectSet.Contains("uniqueBody"))
        {
            Interlocked.Increment(ref box.BodyPages);
        }

        return DeltaPage(request, box, state, item => item.Kind == SimItemKind.Message && item.FolderId == folder,
            (w, item) => GraphJson.WriteMessage(w, item, selectSet),
            $"/v1.0/users/{box.User.Id}/mailFolders('{folder}')/messages/delta", "#Collection(message)");
    }

    private SimResponse EventDelta(SimRequest request, SimMailbox box, string requestId)
    {
        var q = Query(request.Query);
        DeltaToken state;
        if (q.TryGetValue("$skiptoken", out var token) || q.TryGetValue("$deltatoken", out token))
        {
            var parsed = DeltaToken.Decode(token);
            if (parsed is null || parsed.Kind != 'c' || !string.Equals(parsed.UserId, box.User.Id, StringComparison.Ordinal) || parsed.Generation != box.TokenGeneration)
            {
                return Expired(request, box, requestId, $"/users/{box.User.Id}/calendarView/delta");
            }

            state = parsed;
        }
        else
        {
            if (!q.TryGetValue("startDateTime", out var startText) || !q.TryGetValue("endDateTime", out var endText)
                || !DateTimeOffset.TryParse(startText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var start)
                || !DateTimeOffset.TryParse(endText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var end))
            {
                return Error(400, "ErrorInvalidParameter", "This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.", requestId);
            }

            lock (box.Gate)
            {
                var scope = start.UtcTicks.ToString(CultureInfo.InvariantCulture) + "-" + end.UtcTicks.ToString(CultureInfo.InvariantCulture);
                state = new DeltaToken('c', box.User.Id, scope, box.TokenGeneration, 0, box.Seq, true, string.Empty);
            }
        }

        var window = state.Scope.Split('-');
        var winStart = new DateTimeOffset(long.Parse(window[0], CultureInfo.InvariantCulture), TimeSpan.Zero);
        var winEnd = new DateTimeOffset(long.Parse(window[1], CultureInfo.InvariantCulture), TimeSpan.Zero);
        return DeltaPage(request, box, state,
            item => item.Kind == SimItemKind.Event,
            (w, item) =>
            {
                var (s, e) = EventRange(item);
                if ((e > winStart && s < winEnd) || item.IgnoreWindow)
                {
                    GraphJson.WriteEvent(w, item);
                }
                else
                {
                    GraphJson.WriteRemoved(w, item, "deleted");
                }
            },
            $"/v1.0/users/{box.User.Id}/calendarView/delta", "#Collection(event)",
            initialFilter: item =>
            {
                var (s, e) = EventRange(item);
                return (e > winStart && s < winEnd) || item.IgnoreWindow;
            });
    }

    private SimResponse DeltaPage(
        SimRequest request, SimMailbox box, DeltaToken state, Func<SimItem, bool> inScope, Action<Utf8JsonWriter, SimItem> write,
        string path, string context, Func<SimItem, bool>? initialFilter = null)
    {
        var pageSize = Options.DefaultPageSize;
        string? applied = null;
        if (request.Header("Prefer") is { } prefer)
        {
            foreach (var part in prefer.Split(',', StringSplitOptions.TrimEntries))
            {
                if (part.StartsWith("odata.maxpagesize=", StringComparison.OrdinalIgnoreCase)
                    && int.TryParse(part["odata.maxpagesize=".Length..], CultureInfo.InvariantCulture, out var n) && n > 0)
                {
                    pageSize = Math.Min(n, Options.MaxPageSize);
                    applied = "odata.maxpagesize=" + pageSize.ToString(CultureInfo.InvariantCulture);
                }
            }
        }

        var response = new SimResponse();
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, GraphJson.WriterOptions))
        {
            lock (box.Gate)
            {
                // A delta link starts a new round: it covers every change up to now.
                var watermark = state.Watermark;
                if (!state.Initial && state.Cursor == state.Watermark)
                {
                    watermark = box.Seq;
                }

                var page = new List<SimItem>();
                var more = false;
                foreach (var item in box.ChangesBetween(state.Cursor, watermark))
                {
                    if (!inScope(item) || (state.Initial && (item.Removed || (initialFilter is not null && !initialFilter(item)))))
                    {
                        continue;
                    }

                    if (page.Count == pageSize)
                    {
                        more = true;
                        break;
                    }

                    page.Add(item);
                }

                w.WriteStartObject();
                w.WriteString("@odata.context", Meta(request) + context);
                if (more)
                {
                    var next = state with { Cursor = page[^1].Seq, Watermark = watermark };
                    w.WriteString("@odata.nextLink", request.BaseUrl + path + "?$skiptoken=" + next.Encode());
                }
                else
                {
                    var delta = state with { Cursor = watermark, Watermark = watermark, Initial = false };
                    w.WriteString("@odata.deltaLink", request.BaseUrl + path + "?$deltatoken=" + delta.Encode());
                }

                w.WriteStartArray("value");
                foreach (var item in page)
                {
                    if (item.Removed)
                    {
                        GraphJson.WriteRemoved(w, item, item.Kind == SimItemKind.Message ? "deleted" : "deleted");
                    }
                    else
                    {
                        write(w, item);
                    }
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }
        }

        response.Body = stream.ToArray();
        if (applied is not null)
        {
            response.Headers["Preference-Applied"] = applied;
        }

        return response;
    }

    private SimResponse Expired(SimRequest request, SimMailbox box, string requestId, string path)
    {
        const string message = "The sync state generation is not found. The delta token is expired and the sync must restart.";
        if (box.ExpiredTokenStatus == 410)
        {
            var gone = Error(410, "SyncStateNotFound", message, requestId);
            gone.Headers["Location"] = request.BaseUrl + "/v1.0" + path + "?$deltatoken=";
            return gone;
        }

        return Error(box.ExpiredTokenStatus, "syncStateNotFound", message, requestId);
    }

    private async Task<SimResponse> BatchAsync(SimRequest request, string requestId, CancellationToken cancellationToken)
    {
        JsonArray? requests;
        try
        {
            requests = JsonNode.Parse(request.Body)?["requests"]?.AsArray();
        }
        catch (JsonException)
        {
            requests = null;
        }

        if (requests is null)
        {
            return Error(400, "BadRequest", "Invalid batch payload format.", requestId);
        }

        if (requests.Count > 20)
        {
            return Error(400, "BadRequest", "Number of batch request steps exceeds the maximum of 20.", requestId);
        }

        var results = new List<(string Id, SimResponse R)>();
        foreach (var node in requests)
        {
            var id = node?["id"]?.GetValue<string>() ?? string.Empty;
            var method = node?["method"]?.GetValue<string>() ?? "GET";
            var url = node?["url"]?.GetValue<string>() ?? string.Empty;
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (node?["headers"] is JsonObject h)
            {
                foreach (var (k, v) in h)
                {
                    headers[k] = v?.ToString() ?? string.Empty;
                }
            }

            headers["Authorization"] = request.Header("Authorization") ?? string.Empty;
            var q = url.IndexOf('?', StringComparison.Ordinal);
            var innerPath = "/" + (q >= 0 ? url[..q] : url).TrimStart('/');
            var inner = new SimRequest(method, innerPath, q >= 0 ? url[q..] : string.Empty, request.BaseUrl, headers,
                node?["body"] is { } b ? Encoding.UTF8.GetBytes(b.ToJsonString()) : []);
            var (response, _) = await ExecuteAsync(inner, cancellationToken).ConfigureAwait(false);
            results.Add((id, response.Drop ? Error(504, "gatewayTimeout", "The inner request did not complete.", requestId) : response));
        }

        return Json(200, w =>
        {
            w.WriteStartArray("responses");
            foreach (var (id, r) in results)
            {
                w.WriteStartObject();
                w.WriteString("id", id);
                w.WriteNumber("status", r.Status);
                w.WriteStartObject("headers");
                foreach (var (k, v) in r.Headers)
                {
                    w.WriteString(k, v);
                }

                if (r.ContentType is not null && r.Body.Length > 0)
                {
                    w.WriteString("Content-Type", r.ContentType);
                }

                w.WriteEndObject();
                if (r.Body.Length > 0)
                {
                    w.WritePropertyName("body");
                    try
                    {
                        using var doc = JsonDocument.Parse(r.Body);
                        doc.WriteTo(w);
                    }
                    catch (JsonException)
                    {
                        w.WriteStringValue(Convert.ToBase64String(r.Body));
                    }
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
        }, null);
    }

    internal static (DateTimeOffset Start, DateTimeOffset End) EventRange(SimItem item)
    {
        var start = item.Event?.Start ?? DateTimeOffset.MinValue;
        var end = item.Event?.End ?? DateTimeOffset.MinValue;
        if (item.Overrides is { } o)
        {
            if (o["start"]?["dateTime"]?.GetValue<string>() is { } s && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var ps))
            {
                start = ps;
            }

            if (o["end"]?["dateTime"]?.GetValue<string>() is { } e && DateTimeOffset.TryParse(e, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var pe))
            {
                end = pe;
            }
        }

        return (start, end);
    }

    internal SimResponse Error(int status, string code, string message, string requestId) =>
        new() { Status = status, Body = GraphJson.Error(code, message, requestId, tenant.Clock.GetUtcNow()) };

    private SimResponse Throttle(int retryAfterSeconds, string message, string requestId)
    {
        var r = Error(429, "ApplicationThrottled", message, requestId);
        if (retryAfterSeconds > 0)
        {
            r.Headers["Retry-After"] = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        }

        return r;
    }

    internal static SimResponse Json(int status, Action<Utf8JsonWriter> properties, string? context)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, GraphJson.WriterOptions))
        {
            w.WriteStartObject();
            if (context is not null)
            {
                w.WriteString("@odata.context", context);
            }

            properties(w);
            w.WriteEndObject();
        }

        return new SimResponse { Status = status, Body = stream.ToArray() };
    }

    private static string Meta(SimRequest request) => request.BaseUrl + "/v1.0/$metadata";

    private static HashSet<string>? Select(SimRequest request, HashSet<string>? fallback)
    {
        var q = Query(request.Query);
        return q.TryGetValue("$select", out var sel)
            ? new HashSet<string>(sel.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), StringComparer.OrdinalIgnoreCase)
            : fallback;
    }

    internal static Dictionary<string, string> Query(string query)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(eq >= 0 ? part[..eq] : part);
            var value = eq >= 0 ? Uri.UnescapeDataString(part[(eq + 1)..].Replace('+', ' ')) : string.Empty;
            result[key.StartsWith('$') || key.StartsWith("%24", StringComparison.Ordinal) ? key : key] = value;
            if (!key.StartsWith('$') && (key is "select" or "top" or "skiptoken" or "deltatoken"))
            {
                result["$" + key] = value;
            }
        }

        return result;
    }

    internal static string[] Segments(string path)
    {
        var p = path;
        if (p.StartsWith("/v1.0", StringComparison.OrdinalIgnoreCase))
        {
            p = p[5..];
        }

        p = KeySegment().Replace(p, "$1/$2");
        return p.Split('/', StringSplitOptions.RemoveEmptyEntries);
    }

    private static bool IsDelta(string segment) => DeltaNames.Any(d => Eq(segment, d));

    private static bool Eq(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"([A-Za-z]+)\('([^']*)'\)")]
    private static partial Regex KeySegment();
}
