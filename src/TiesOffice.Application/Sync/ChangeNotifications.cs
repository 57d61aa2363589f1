using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TiesOffice.Application.Ports;

namespace TiesOffice.Application.Sync;

/// <summary>Where Graph should deliver notifications, and how long subscriptions live.</summary>
public sealed class ChangeNotificationOptions
{
    /// <summary>The public URL of the notification webhook (HTTPS in production).</summary>
    public Uri? NotificationUrl { get; set; }

    /// <summary>The public URL of the lifecycle webhook.</summary>
    public Uri? LifecycleNotificationUrl { get; set; }

    /// <summary>The lifetime asked for (Outlook resources allow under 3 days in the stored docs; Graph may grant less).</summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromMinutes(4200);

    /// <summary>Whether to subscribe to the calendar too.</summary>
    public bool IncludeCalendar { get; set; } = true;

    /// <summary>Checks the options.</summary>
    public void Validate()
    {
        if (NotificationUrl is null || LifecycleNotificationUrl is null || Lifetime <= TimeSpan.FromMinutes(5))
        {
            throw new System.ComponentModel.DataAnnotations.ValidationException("ChangeNotifications: NotificationUrl and LifecycleNotificationUrl are required, and Lifetime must exceed 5 minutes.");
        }
    }
}

/// <summary>What a webhook endpoint should answer.</summary>
/// <param name="StatusCode">The HTTP status.</param>
/// <param name="ContentType">The content type, when there is a body.</param>
/// <param name="Body">The body, or null.</param>
public sealed record WebhookResponse(int StatusCode, string? ContentType, string? Body);

/// <summary>
/// Handles Graph's POSTs to the notification and lifecycle webhooks, host-agnostic: answers the validation
/// handshake with the decoded token as text/plain, checks every notification's clientState against the stored
/// subscription, queues sync work and answers 202 at once (no Graph call on this path).
/// </summary>
public sealed partial class ChangeNotificationHandler(ISubscriptionStore subscriptions, ISyncWorkSink work, ILogger<ChangeNotificationHandler> logger)
{
    /// <summary>Handles one POST to either webhook.</summary>
    /// <param name="validationToken">The <c>validationToken</c> query value (already URL-decoded by the host), or null.</param>
    /// <param name="body">The request body.</param>
    /// <param name="cancellationToken">Cancels the handling.</param>
    /// <returns>What to answer.</returns>
    public async Task<WebhookResponse> HandleAsync(string? validationToken, Stream body, CancellationToken cancellationToken = default)
    {
        if (validationToken is not null)
        {
            return new WebhookResponse(200, "text/plain", validationToken);
        }

        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            Log.Malformed(logger);
            return new WebhookResponse(400, null, null);
        }

        using (document)
        {
            if (!document.RootElement.TryGetProperty("value", out var values) || values.ValueKind != JsonValueKind.Array)
            {
                Log.Malformed(logger);
                return new WebhookResponse(400, null, null);
            }

            foreach (var n in values.EnumerateArray())
            {
                var id = n.TryGetProperty("subscriptionId", out var s) ? s.GetString() : null;
                var state = n.TryGetProperty("clientState", out var c) ? c.GetString() : null;
                var record = id is null ? null : await subscriptions.FindAsync(id, cancellationToken).ConfigureAwait(false);
                if (record is null || state is null
                    || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(state), Encoding.UTF8.GetBytes(record.ClientState)))
                {
                    Log.Rejected(logger);
                    continue;
                }

                var reason = (n.TryGetProperty("lifecycleEvent", out var l) ? l.GetString() : null) switch
                {
                    null => SyncWorkReason.Changed,
                    "missed" => SyncWorkReason.Missed,
                    "subscriptionRemoved" => SyncWorkReason.SubscriptionRemoved,
                    "reauthorizationRequired" => SyncWorkReason.ReauthorizationRequired,
                    _ => SyncWorkReason.Missed,
                };
                await work.EnqueueAsync(new SyncWorkItem(record.User, reason, record.Id), cancellationToken).ConfigureAwait(false);
                Log.Queued(logger, UserPseudonym.Of(record.User), reason);
            }
        }

        return new WebhookResponse(202, null, null);
    }

    private static partial class Log
    {
        [LoggerMessage(3001, LogLevel.Warning, "A change notification had an unknown subscription or a wrong clientState; ignored.")]
        public static partial void Rejected(ILogger logger);

        [LoggerMessage(3002, LogLevel.Warning, "A change-notification body was not valid JSON.")]
        public static partial void Malformed(ILogger logger);

        [LoggerMessage(3003, LogLevel.Debug, "Mailbox {User}: queued sync work ({Reason}).")]
        public static partial void Queued(ILogger logger, string user, SyncWorkReason reason);
    }
}

/// <summary>
/// Creates and renews the change-notification subscriptions of enrolled users, and runs queued work: a delta
/// sync for changes and <c>missed</c>, recreate-then-sync for <c>subscriptionRemoved</c>, renew for
/// <c>reauthorizationRequired</c>.
/// </summary>
public sealed partial class SubscriptionManager
{
    private readonly IGraphSubscriptions _graph;
    private readonly ISubscriptionStore _store;
    private readonly MailboxSync _sync;
    private readonly ChangeNotificationOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<SubscriptionManager> _logger;

    /// <summary>Creates the manager.</summary>
    public SubscriptionManager(IGraphSubscriptions graph, ISubscriptionStore store, MailboxSync sync, IOptions<ChangeNotificationOptions> options, TimeProvider time, ILogger<SubscriptionManager> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _graph = graph;
        _store = store;
        _sync = sync;
        _options = options.Value;
        _options.Validate();
        _time = time;
        _logger = logger;
    }

    /// <summary>The resources subscribed per user: Inbox messages and, optionally, events.</summary>
    /// <param name="user">The user.</param>
    /// <returns>The resource paths.</returns>
    public IReadOnlyList<string> ResourcesFor(UserKey user)
    {
        var list = new List<string> { $"/users/{user.UserId}/mailFolders('inbox')/messages" };
        if (_options.IncludeCalendar)
        {
            list.Add($"/users/{user.UserId}/events");
        }

        return list;
    }

    /// <summary>Makes sure the user has live subscriptions: creates missing ones, renews those past half their life.</summary>
    /// <param name="user">The user.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The user's subscriptions afterwards.</returns>
    public async Task<IReadOnlyList<SubscriptionRecord>> EnsureAsync(UserKey user, CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        var existing = await _store.ListAsync(user, cancellationToken).ConfigureAwait(false);
        var result = new List<SubscriptionRecord>();
        foreach (var resource in ResourcesFor(user))
        {
            var record = existing.FirstOrDefault(s => string.Equals(s.Resource, resource, StringComparison.OrdinalIgnoreCase));
            if (record is not null && record.ExpiresAt - now > _options.Lifetime / 2)
            {
                result.Add(record);
                continue;
            }

            if (record is not null && record.ExpiresAt > now)
            {
                var renewed = await _graph.RenewAsync(record.Id, now + _options.Lifetime, cancellationToken).ConfigureAwait(false);
                if (renewed is { } expires)
                {
                    record = record with { ExpiresAt = expires };
                    await _store.SaveAsync(record, cancellationToken).ConfigureAwait(false);
                    result.Add(record);
                    Log.Renewed(_logger, UserPseudonym.Of(user));
                    continue;
                }
            }

            if (record is not null)
            {
                await _store.DeleteAsync(record.Id, cancellationToken).ConfigureAwait(false);
            }

            result.Add(await CreateAsync(user, resource, now, cancellationToken).ConfigureAwait(false));
        }

        return result;
    }

    /// <summary>Runs one queued work item.</summary>
    /// <param name="work">The work.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The sync result when a sync ran, else null.</returns>
    public async Task<MailboxSyncResult?> RunAsync(SyncWorkItem work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        switch (work.Reason)
        {
            case SyncWorkReason.ReauthorizationRequired:
                if (work.SubscriptionId is not null && await _store.FindAsync(work.SubscriptionId, cancellationToken).ConfigureAwait(false) is { } record)
                {
                    await _store.SaveAsync(record with { ExpiresAt = _time.GetUtcNow() }, cancellationToken).ConfigureAwait(false);
                }

                await EnsureAsync(work.User, cancellationToken).ConfigureAwait(false);
                return null;
            case SyncWorkReason.SubscriptionRemoved:
                if (work.SubscriptionId is not null)
                {
                    await _store.DeleteAsync(work.SubscriptionId, cancellationToken).ConfigureAwait(false);
                }

                await EnsureAsync(work.User, cancellationToken).ConfigureAwait(false);
                return await _sync.SyncAsync(work.User, cancellationToken).ConfigureAwait(false);
            default:
                return await _sync.SyncAsync(work.User, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<SubscriptionRecord> CreateAsync(UserKey user, string resource, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var clientState = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var (id, expires) = await _graph.CreateAsync(
            new SubscriptionRequest(resource, "created,updated,deleted", _options.NotificationUrl!, _options.LifecycleNotificationUrl!, clientState, now + _options.Lifetime),
            cancellationToken).ConfigureAwait(false);
        var record = new SubscriptionRecord(id, user, resource, clientState, expires);
        await _store.SaveAsync(record, cancellationToken).ConfigureAwait(false);
        Log.Created(_logger, UserPseudonym.Of(user));
        return record;
    }

    private static partial class Log
    {
        [LoggerMessage(3101, LogLevel.Information, "Mailbox {User}: subscription created.")]
        public static partial void Created(ILogger logger, string user);

        [LoggerMessage(3102, LogLevel.Information, "Mailbox {User}: subscription renewed.")]
        public static partial void Renewed(ILogger logger, string user);
    }
}
