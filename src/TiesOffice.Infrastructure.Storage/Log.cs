using Microsoft.Extensions.Logging;

namespace TiesOffice.Infrastructure.Storage;

/// <summary>
/// The storage adapter's log messages. Users appear only as a short hash (<see cref="UserPartition.LogRef"/>);
/// addresses, subjects, delta links and tokens never appear.
/// </summary>
internal static partial class Log
{
    // ── Tables ──
    [LoggerMessage(EventId = 4001, Level = LogLevel.Debug, Message = "Upserted {Count} {Kind} rows for user {UserRef}")]
    public static partial void RowsUpserted(this ILogger logger, int count, string kind, UserRef userRef);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Debug, Message = "Deleted {Count} {Kind} rows for user {UserRef}")]
    public static partial void RowsDeleted(this ILogger logger, int count, string kind, UserRef userRef);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Debug, Message = "Concurrent update of {Kind} for user {UserRef}; retrying (attempt {Attempt})")]
    public static partial void ConcurrencyRetry(this ILogger logger, string kind, UserRef userRef, int attempt);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Information, Message = "Engine state of user {UserRef} written: {Bytes} bytes in {Rows} rows")]
    public static partial void EngineStateWritten(this ILogger logger, UserRef userRef, int bytes, int rows);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Information, Message = "Engine state write for user {UserRef} lost a race; the caller re-reads")]
    public static partial void EngineStateConflict(this ILogger logger, UserRef userRef);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Warning, Message = "Engine state of user {UserRef} changed while it was read; re-reading")]
    public static partial void EngineStateReread(this ILogger logger, UserRef userRef);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Warning, Message = "Skipped an incomplete stored item of user {UserRef} ({Parts} rows)")]
    public static partial void ItemIncomplete(this ILogger logger, UserRef userRef, int parts);

    // ── Directory and leases ──
    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "User {UserRef} enrolled with consent {Consent}")]
    public static partial void UserEnrolled(this ILogger logger, UserRef userRef, TiesOffice.Application.Ports.ConsentState consent);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "User {UserRef} consent set to {Consent}")]
    public static partial void ConsentChanged(this ILogger logger, UserRef userRef, TiesOffice.Application.Ports.ConsentState consent);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Debug, Message = "Lease of user {UserRef} acquired by {Owner} until {ExpiresAt}")]
    public static partial void LeaseAcquired(this ILogger logger, UserRef userRef, string owner, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Debug, Message = "Lease of user {UserRef} is held by another owner")]
    public static partial void LeaseBusy(this ILogger logger, UserRef userRef);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Warning, Message = "Lease of user {UserRef} was lost by {Owner}")]
    public static partial void LeaseLost(this ILogger logger, UserRef userRef, string owner);

    // ── Queue ──
    [LoggerMessage(EventId = 4201, Level = LogLevel.Debug, Message = "Enqueued sync job {JobRef} for user {UserRef}")]
    public static partial void JobEnqueued(this ILogger logger, Hashed jobRef, UserRef userRef);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Information, Message = "Sync job {JobRef} for user {UserRef}: {Outcome} (delivery {DequeueCount})")]
    public static partial void JobHandled(this ILogger logger, Hashed jobRef, UserRef userRef, TiesOffice.Application.Ports.JobOutcome outcome, long dequeueCount);

    // Only the exception's type: a handler's exception message may quote an address.
    [LoggerMessage(EventId = 4203, Level = LogLevel.Warning, Message = "Sync job {JobRef} for user {UserRef} failed on delivery {DequeueCount} with {ExceptionType}; retry in {Backoff}")]
    public static partial void JobFailed(this ILogger logger, Hashed jobRef, UserRef userRef, long dequeueCount, string exceptionType, TimeSpan backoff);

    [LoggerMessage(EventId = 4204, Level = LogLevel.Error, Message = "Queue message {MessageId} moved to {PoisonQueue}: {Reason}")]
    public static partial void MessagePoisoned(this ILogger logger, string messageId, string poisonQueue, string reason);

    [LoggerMessage(EventId = 4205, Level = LogLevel.Warning, Message = "Queue message {MessageId} could not be deleted (its receipt expired); it will be seen again and deduplicated")]
    public static partial void MessageReceiptExpired(this ILogger logger, string messageId);

    // ── Privacy ──
    [LoggerMessage(EventId = 4301, Level = LogLevel.Information, Message = "Exported user {UserRef}: {Rows} rows")]
    public static partial void UserExported(this ILogger logger, UserRef userRef, int rows);

    [LoggerMessage(EventId = 4302, Level = LogLevel.Information, Message = "Erased user {UserRef}: {Rows} rows, {Jobs} queued jobs")]
    public static partial void UserErased(this ILogger logger, UserRef userRef, int rows, int jobs);

    [LoggerMessage(EventId = 4303, Level = LogLevel.Warning, Message = "Erase of user {UserRef} did not get the sync lease within {Wait}; erasing anyway")]
    public static partial void EraseWithoutLease(this ILogger logger, UserRef userRef, TimeSpan wait);

    [LoggerMessage(EventId = 4304, Level = LogLevel.Information, Message = "Retention removed {Items} items older than {Cutoff} for user {UserRef}")]
    public static partial void RetentionApplied(this ILogger logger, int items, DateTimeOffset cutoff, UserRef userRef);
}
