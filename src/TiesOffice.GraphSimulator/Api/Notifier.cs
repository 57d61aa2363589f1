using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using TiesOffice.GraphSimulator.Model;

namespace TiesOffice.GraphSimulator.Api;

/// <summary>Change-notification subscriptions: create (with the validation handshake), renew, delete, deliver, lifecycle events.</summary>
internal sealed partial class Notifier : IDisposable
{
    private readonly SimTenant _tenant;
    private readonly HttpClient _http;
    private readonly List<Task> _pending = [];

    public Notifier(SimTenant tenant, HttpMessageHandler? handler = null)
    {
        _tenant = tenant;
        _http = handler is null ? new HttpClient() : new HttpClient(handler);
        _http.Timeout = tenant.Options.ValidationTimeout;
        tenant.ItemChanged += OnItemChanged;
    }

    /// <summary>Notifications sent (successfully or not), for the stats endpoint.</summary>
    public int Sent;

    /// <summary>Waits for every notification in flight (tests).</summary>
    public Task FlushAsync()
    {
        Task[] copy;
        lock (_pending)
        {
            copy = [.. _pending];
        }

        return Task.WhenAll(copy);
    }

    public void Dispose() => _http.Dispose();

    public async Task<SimResponse> HandleAsync(SimRequest request, string[] s, string requestId, CancellationToken cancellationToken)
    {
        ExpireDue();
        var method = request.Method.ToUpperInvariant();
        if (s.Length == 1 && method == "POST")
        {
            return await CreateAsync(request, requestId, cancellationToken).ConfigureAwait(false);
        }

        if (s.Length == 1 && method == "GET")
        {
            return GraphApi.Json(200, w =>
            {
                w.WriteStartArray("value");
                foreach (var sub in _tenant.Subscriptions.Values)
                {
                    w.WriteStartObject();
                    WriteSubscription(w, sub);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            }, request.BaseUrl + "/v1.0/$metadata#subscriptions");
        }

        if (s.Length >= 2 && _tenant.Subscriptions.TryGetValue(s[1], out var existing))
        {
            switch (method)
            {
                case "GET" when s.Length == 2:
                    return GraphApi.Json(200, w => WriteSubscription(w, existing), request.BaseUrl + "/v1.0/$metadata#subscriptions/$entity");
                case "DELETE" when s.Length == 2:
                    _tenant.Subscriptions.TryRemove(existing.Id, out _);
                    return new SimResponse { Status = 204, ContentType = null };
                case "POST" when s.Length == 3 && string.Equals(s[2], "reauthorize", StringComparison.OrdinalIgnoreCase):
                    return new SimResponse { Status = 204, ContentType = null };
                case "PATCH" when s.Length == 2:
                    var body = Parse(request.Body);
                    if (body?["expirationDateTime"]?.GetValue<string>() is not { } text
                        || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var expiry))
                    {
                        return Error(400, "InvalidRequest", "expirationDateTime is required.", requestId);
                    }

                    if (CheckExpiry(expiry) is { } problem)
                    {
                        return Error(400, "InvalidRequest", problem, requestId);
                    }

                    existing.ExpirationDateTime = expiry;
                    return GraphApi.Json(200, w => WriteSubscription(w, existing), request.BaseUrl + "/v1.0/$metadata#subscriptions/$entity");
            }
        }

        return Error(404, "ResourceNotFound", "The object was not found.", requestId);
    }

    /// <summary>Sends a lifecycle event for a subscription; subscriptionRemoved also removes it.</summary>
    public async Task<bool> SendLifecycleAsync(string subscriptionId, string lifecycleEvent, CancellationToken cancellationToken)
    {
        if (!_tenant.Subscriptions.TryGetValue(subscriptionId, out var sub) || sub.LifecycleNotificationUrl is null)
        {
            return false;
        }

        if (lifecycleEvent == "subscriptionRemoved")
        {
            _tenant.Subscriptions.TryRemove(sub.Id, out _);
        }

        var payload = new JsonObject
        {
            ["value"] = new JsonArray(new JsonObject
            {
                ["subscriptionId"] = sub.Id,
                ["subscriptionExpirationDateTime"] = sub.ExpirationDateTime.ToString("O", CultureInfo.InvariantCulture),
                ["tenantId"] = _tenant.Options.TenantId,
                ["clientState"] = sub.ClientState,
                ["lifecycleEvent"] = lifecycleEvent,
            }),
        };
        await PostAsync(sub.LifecycleNotificationUrl, payload, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private async Task<SimResponse> CreateAsync(SimRequest request, string requestId, CancellationToken cancellationToken)
    {
        var body = Parse(request.Body);
        var resource = body?["resource"]?.GetValue<string>();
        var changeType = body?["changeType"]?.GetValue<string>();
        var url = body?["notificationUrl"]?.GetValue<string>();
        var lifecycleUrl = body?["lifecycleNotificationUrl"]?.GetValue<string>();
        var clientState = body?["clientState"]?.GetValue<string>();
        var expiryText = body?["expirationDateTime"]?.GetValue<string>();
        if (resource is null || changeType is null || url is null || expiryText is null
            || !DateTimeOffset.TryParse(expiryText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var expiry))
        {
            return Error(400, "InvalidRequest", "resource, changeType, notificationUrl and expirationDateTime are required.", requestId);
        }

        if (clientState is { Length: > 128 })
        {
            return Error(400, "InvalidRequest", "clientState must be at most 128 characters.", requestId);
        }

        if (CheckExpiry(expiry) is { } problem)
        {
            return Error(400, "InvalidRequest", problem, requestId);
        }

        var match = ResourcePattern().Match(resource);
        var user = match.Success ? _tenant.FindUser(match.Groups["user"].Value) : null;
        if (user is null)
        {
            return Error(400, "ExtensionError", "Operation: Create; Exception: [Status Code: BadRequest; Reason: The resource is not supported or the user does not exist.]", requestId);
        }

        var box = _tenant.Mailbox(user.Id)!;
        var folder = match.Groups["folder"].Success ? box.ResolveFolder(match.Groups["folder"].Value) : null;
        foreach (var target in new[] { url, lifecycleUrl }.OfType<string>())
        {
            if (!await ValidateAsync(target, cancellationToken).ConfigureAwait(false))
            {
                return Error(400, "ValidationError", "Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.", requestId);
            }
        }

        var sub = new SimSubscription
        {
            Id = Guid.NewGuid().ToString(),
            Resource = resource,
            UserId = user.Id,
            ResourceKind = string.Equals(match.Groups["kind"].Value, "events", StringComparison.OrdinalIgnoreCase) ? "events" : "messages",
            FolderId = folder,
            ChangeType = changeType,
            NotificationUrl = url,
            LifecycleNotificationUrl = lifecycleUrl,
            ClientState = clientState,
            ExpirationDateTime = expiry,
            ApplicationId = "00000000-0000-0000-0000-00000000a11d",
        };
        _tenant.Subscriptions[sub.Id] = sub;
        var response = GraphApi.Json(201, w => WriteSubscription(w, sub), request.BaseUrl + "/v1.0/$metadata#subscriptions/$entity");
        return response;
    }

    private string? CheckExpiry(DateTimeOffset expiry)
    {
        var now = _tenant.Clock.GetUtcNow();
        if (expiry <= now)
        {
            return "Subscription expiration can only be in the future.";
        }

        return expiry > now + _tenant.Options.MaxSubscriptionLifetime + TimeSpan.FromMinutes(1)
            ? $"Subscription expiration can only be {_tenant.Options.MaxSubscriptionLifetime.TotalMinutes.ToString(CultureInfo.InvariantCulture)} minutes in the future."
            : null;
    }

    private async Task<bool> ValidateAsync(string url, CancellationToken cancellationToken)
    {
        var token = "Validation: Testing client application reachability for subscription Request-Id: " + Guid.NewGuid();
        var separator = url.Contains('?', StringComparison.Ordinal) ? "&" : "?";
        try
        {
            using var content = new StringContent(string.Empty, Encoding.UTF8, "text/plain");
            using var response = await _http.PostAsync(new Uri(url + separator + "validationToken=" + Uri.EscapeDataString(token)), content, cancellationToken).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return (int)response.StatusCode == 200 && text == token
                && response.Content.Headers.ContentType?.MediaType == "text/plain";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or UriFormatException)
        {
            return false;
        }
    }

    private void OnItemChanged(SimMailbox box, SimItem item, string changeType)
    {
        ExpireDue();
        foreach (var sub in _tenant.Subscriptions.Values)
        {
            if (sub.UserId != box.User.Id || !sub.ChangeType.Contains(changeType, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var matches = item.Kind == SimItemKind.Event
                ? sub.ResourceKind == "events"
                : sub.ResourceKind == "messages" && (sub.FolderId is null || sub.FolderId == item.FolderId);
            if (!matches)
            {
                continue;
            }

            var kind = item.Kind == SimItemKind.Event ? "Events" : "Messages";
            var payload = new JsonObject
            {
                ["value"] = new JsonArray(new JsonObject
                {
                    ["subscriptionId"] = sub.Id,
                    ["subscriptionExpirationDateTime"] = sub.ExpirationDateTime.ToString("O", CultureInfo.InvariantCulture),
                    ["changeType"] = changeType,
                    ["resource"] = $"Users/{box.User.Id}/{kind}/{item.Id}",
                    ["resourceData"] = new JsonObject
                    {
                        ["@odata.type"] = item.Kind == SimItemKind.Event ? "#Microsoft.Graph.Event" : "#Microsoft.Graph.Message",
                        ["@odata.id"] = $"Users/{box.User.Id}/{kind}/{item.Id}",
                        ["@odata.etag"] = "W/\"" + Ids.ChangeKey(item.Id, item.Seq) + "\"",
                        ["id"] = item.Id,
                    },
                    ["clientState"] = sub.ClientState,
                    ["tenantId"] = _tenant.Options.TenantId,
                }),
            };
            var task = PostAsync(sub.NotificationUrl, payload, CancellationToken.None);
            lock (_pending)
            {
                _pending.RemoveAll(t => t.IsCompleted);
                _pending.Add(task);
            }
        }
    }

    private async Task PostAsync(string url, JsonObject payload, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Sent);
        try
        {
            using var content = new StringContent(payload.ToJsonString(), Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
            using var response = await _http.PostAsync(new Uri(url), content, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            // Graph would retry for up to 4 hours; the simulator drops it.
        }
    }

    private void ExpireDue()
    {
        var now = _tenant.Clock.GetUtcNow();
        foreach (var sub in _tenant.Subscriptions.Values.Where(s => s.ExpirationDateTime <= now).ToList())
        {
            _tenant.Subscriptions.TryRemove(sub.Id, out _);
        }
    }

    private static void WriteSubscription(Utf8JsonWriter w, SimSubscription sub)
    {
        w.WriteString("id", sub.Id);
        w.WriteString("resource", sub.Resource);
        w.WriteString("applicationId", sub.ApplicationId);
        w.WriteString("changeType", sub.ChangeType);
        w.WriteString("clientState", sub.ClientState);
        w.WriteString("notificationUrl", sub.NotificationUrl);
        w.WriteNull("notificationQueryOptions");
        w.WriteNull("notificationContentType");
        w.WriteString("lifecycleNotificationUrl", sub.LifecycleNotificationUrl);
        w.WriteString("expirationDateTime", sub.ExpirationDateTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
        w.WriteString("creatorId", sub.ApplicationId);
        w.WriteNull("includeResourceData");
        w.WriteString("latestSupportedTlsVersion", "v1_2");
        w.WriteNull("encryptionCertificate");
        w.WriteNull("encryptionCertificateId");
        w.WriteNull("notificationUrlAppId");
    }

    private static JsonNode? Parse(byte[] body)
    {
        try
        {
            return body.Length == 0 ? null : JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private SimResponse Error(int status, string code, string message, string requestId) =>
        new() { Status = status, Body = GraphJson.Error(code, message, requestId, _tenant.Clock.GetUtcNow()) };

    [GeneratedRegex(@"^/?users/(?<user>[^/]+)/(?:mailFolders(?:\('(?<folder>[^']+)'\)|/(?<folder>[^/]+))/)?(?<kind>messages|events)$", RegexOptions.IgnoreCase)]
    private static partial Regex ResourcePattern();
}
