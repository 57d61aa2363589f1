namespace TiesOffice.Application.Sync;

/// <summary>One page of a delta round, already mapped to domain records.</summary>
/// <typeparam name="T">A message or meeting record.</typeparam>
/// <param name="Items">Items to insert or replace, keyed by id.</param>
/// <param name="RemovedIds">Ids Graph reported as <c>@removed</c>.</param>
/// <param name="Skipped">Items dropped as bad data (each with a logged reason).</param>
/// <param name="NextLink">The next page of this round, or null on the last page.</param>
/// <param name="DeltaLink">The link that starts the next round, present on the last page.</param>
public sealed record DeltaPage<T>(IReadOnlyList<T> Items, IReadOnlyList<string> RemovedIds, int Skipped, string? NextLink, string? DeltaLink);

/// <summary>The calendar window of a calendarView delta, in UTC.</summary>
/// <param name="Start">Inclusive start.</param>
/// <param name="End">Exclusive end.</param>
public readonly record struct CalendarWindow(DateTimeOffset Start, DateTimeOffset End)
{
    /// <summary>Whether an event overlaps the window.</summary>
    /// <param name="start">Event start.</param>
    /// <param name="end">Event end.</param>
    /// <returns>True when they overlap.</returns>
    public bool Overlaps(DateTimeOffset start, DateTimeOffset end) => end > Start && start < End;
}

/// <summary>A user's sync status. Whether the user may be synced at all is not here: the user directory's
/// <see cref="Ports.ConsentState"/> is the one notion of consent.</summary>
/// <param name="TimeZone">The mailbox time zone, when known.</param>
/// <param name="TimeZoneCheckedAt">When the time zone was last read.</param>
/// <param name="LastSyncAt">
/// When a sync last finished and recorded its status: a sync that changes nothing in the status saves it again only
/// once <see cref="MailboxSync.StatusRefresh"/> has passed, so this can lag the latest idle sync by up to a day.
/// </param>
/// <param name="LastOutcome">How the last sync ended.</param>
public sealed record UserSyncStatus(string? TimeZone, DateTimeOffset? TimeZoneCheckedAt, DateTimeOffset? LastSyncAt, SyncOutcome? LastOutcome);

/// <summary>How one user's sync ended.</summary>
public enum SyncOutcome
{
    /// <summary>Every stream reached its delta link.</summary>
    Completed = 0,

    /// <summary>Some stream stopped on a transient failure; it resumes from its saved link next time.</summary>
    Partial = 1,

    /// <summary>Graph denied access; the user is marked as needing consent in the user directory.</summary>
    NeedsConsent = 2,

    /// <summary>Not attempted: the user directory does not hold the user as active (never enrolled, erased, or needing consent).</summary>
    Skipped = 3,
}

/// <summary>What one stream (a folder or the calendar) did in one sync.</summary>
/// <param name="Stream">The stream name.</param>
/// <param name="Requests">Delta pages requested (Graph calls made by the use case, retries of the SDK excluded).</param>
/// <param name="Upserted">Items stored.</param>
/// <param name="Removed">Ids removed.</param>
/// <param name="Skipped">Bad items skipped.</param>
/// <param name="Resynced">Whether the round restarted after an expired token.</param>
/// <param name="Completed">Whether the stream reached its delta link.</param>
public sealed record StreamSyncResult(string Stream, int Requests, int Upserted, int Removed, int Skipped, bool Resynced, bool Completed);

/// <summary>What one user's sync did.</summary>
/// <param name="User">The user.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="Streams">Per stream.</param>
/// <param name="Requests">Graph calls made by the use case, including the time zone read.</param>
public sealed record MailboxSyncResult(UserKey User, SyncOutcome Outcome, IReadOnlyList<StreamSyncResult> Streams, int Requests)
{
    /// <summary>Items stored across streams.</summary>
    public int Upserted => Streams.Sum(s => s.Upserted);
}

/// <summary>Why sync work was queued.</summary>
public enum SyncWorkReason
{
    /// <summary>A change notification arrived: run a delta sync.</summary>
    Changed = 0,

    /// <summary>Graph missed notifications: run a delta sync.</summary>
    Missed = 1,

    /// <summary>The subscription was removed: recreate it, then run a delta sync.</summary>
    SubscriptionRemoved = 2,

    /// <summary>Graph asks for reauthorization: renew the subscription.</summary>
    ReauthorizationRequired = 3,
}

/// <summary>One item of queued sync work.</summary>
/// <param name="User">The user.</param>
/// <param name="Reason">Why.</param>
/// <param name="SubscriptionId">The subscription concerned, if any.</param>
public sealed record SyncWorkItem(UserKey User, SyncWorkReason Reason, string? SubscriptionId);

/// <summary>A subscription the app holds.</summary>
/// <param name="Id">Graph's subscription id.</param>
/// <param name="User">The mailbox.</param>
/// <param name="Resource">The Graph resource path.</param>
/// <param name="ClientState">The secret Graph echoes in every notification.</param>
/// <param name="ExpiresAt">The expiry Graph granted.</param>
public sealed record SubscriptionRecord(string Id, UserKey User, string Resource, string ClientState, DateTimeOffset ExpiresAt);

/// <summary>What to subscribe to.</summary>
/// <param name="Resource">The Graph resource, e.g. <c>/users/{id}/mailFolders('inbox')/messages</c>.</param>
/// <param name="ChangeType">created,updated,deleted.</param>
/// <param name="NotificationUrl">The webhook.</param>
/// <param name="LifecycleNotificationUrl">The lifecycle webhook (can only be set at creation).</param>
/// <param name="ClientState">The secret.</param>
/// <param name="ExpiresAt">The requested expiry.</param>
public sealed record SubscriptionRequest(string Resource, string ChangeType, Uri NotificationUrl, Uri LifecycleNotificationUrl, string ClientState, DateTimeOffset ExpiresAt);

/// <summary>Graph lost the delta state (410 Gone or <c>syncStateNotFound</c>): the stream must start a full round.</summary>
public sealed class DeltaTokenExpiredException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DeltaTokenExpiredException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public DeltaTokenExpiredException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public DeltaTokenExpiredException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>Graph refused access to the mailbox (401/403, or the mailbox is gone): stop this user's sync.</summary>
public sealed class MailboxAccessDeniedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MailboxAccessDeniedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public MailboxAccessDeniedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public MailboxAccessDeniedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The HTTP status Graph answered.</summary>
    public int StatusCode { get; init; }
}

/// <summary>A transient failure that survived the SDK's retries (throttling, 5xx, a dropped connection, a malformed page).</summary>
public sealed class GraphUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public GraphUnavailableException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public GraphUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public GraphUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>A short, non-personal reason code (throttled, server, network, malformed).</summary>
    public string Reason { get; init; } = "unknown";

    /// <summary>How long Graph asked to wait, when it said.</summary>
    public TimeSpan? RetryAfter { get; init; }
}
