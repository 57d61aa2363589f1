using System.Text.Json;
using System.Text.Json.Serialization;
using TiesOffice.Domain.Metadata;

namespace TiesOffice.Application.Ports;

/// <summary>Everything stored about one user, as returned by <see cref="IPrivacyOperations.ExportAsync"/>.</summary>
/// <param name="User">Who.</param>
/// <param name="ExportedAt">When the export was taken.</param>
/// <param name="Enrolment">The directory record, if any.</param>
/// <param name="Settings">The saved settings, if any.</param>
/// <param name="Overrides">Per-contact overrides.</param>
/// <param name="SyncState">Delta links by stream.</param>
/// <param name="Messages">Stored mail metadata (subjects are never stored).</param>
/// <param name="Meetings">Stored meeting metadata.</param>
/// <param name="Ties">Scored ties.</param>
/// <param name="EngineStateBytes">The size of the tie engine's stored aggregate, or null when there is none.</param>
/// <param name="Nudges">Planned and sent nudges.</param>
/// <param name="ConversationReference">The bot conversation reference, if any.</param>
/// <param name="CompletedJobs">The id of the user's last completed sync job, kept for duplicate detection (and any per-job ids an earlier version kept).</param>
/// <param name="Subscriptions">Graph subscriptions (id, resource, expiry; never the client-state secret).</param>
/// <param name="TierHistory">The monthly tier counts (network history).</param>
/// <param name="DigestClaims">The weekly digest claims: which ISO weeks' digests were sent, through which channel, with what outcome.</param>
/// <param name="TeamsUserIndex">The bot's tenant index entry of the user (their Entra object id naming them), if any.</param>
public sealed record UserDataExport(
    UserKey User,
    DateTimeOffset ExportedAt,
    EnrolledUser? Enrolment,
    UserSettings? Settings,
    IReadOnlyList<ContactOverride> Overrides,
    IReadOnlyDictionary<string, string> SyncState,
    IReadOnlyList<MailMessage> Messages,
    IReadOnlyList<Meeting> Meetings,
    IReadOnlyList<TieSnapshot> Ties,
    long? EngineStateBytes,
    IReadOnlyList<Nudge> Nudges,
    ConversationReference? ConversationReference,
    IReadOnlyList<string> CompletedJobs,
    IReadOnlyList<UserDataExport.Subscription> Subscriptions,
    IReadOnlyList<MonthlyTierCounts>? TierHistory = null,
    IReadOnlyList<DigestClaim>? DigestClaims = null,
    UserDataExport.TeamsIndexEntry? TeamsUserIndex = null)
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>A Graph subscription as exported.</summary>
    /// <param name="Id">Graph's subscription id.</param>
    /// <param name="Resource">The subscribed resource.</param>
    /// <param name="ExpiresAt">When it expires.</param>
    public sealed record Subscription(string Id, string Resource, DateTimeOffset ExpiresAt);

    /// <summary>The bot's tenant index entry (<see cref="ITeamsUserIndex"/>): the object id and the user it names.</summary>
    /// <param name="AadObjectId">The Entra object id the entry is keyed by.</param>
    /// <param name="User">The (tenant, user) it names.</param>
    public sealed record TeamsIndexEntry(string AadObjectId, UserKey User);

    /// <summary>The export as one machine-readable JSON document.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, s_json);
}

/// <summary>What an erase removed.</summary>
/// <param name="RowsDeleted">Table rows deleted, by logical table name.</param>
/// <param name="QueuedJobsDeleted">Queued (or poisoned) job messages of the user that were deleted.</param>
/// <param name="SubscriptionIds">
/// The Graph subscriptions whose records were erased; the caller deletes them at Graph too
/// (<c>DELETE /subscriptions/{id}</c>), since storage cannot.
/// </param>
public sealed record EraseResult(IReadOnlyDictionary<string, int> RowsDeleted, int QueuedJobsDeleted, IReadOnlyList<string> SubscriptionIds)
{
    /// <summary>All rows deleted.</summary>
    public int TotalRows => RowsDeleted.Values.Sum();
}

/// <summary>The user's data rights: export, erasure and retention.</summary>
public interface IPrivacyOperations
{
    /// <summary>Reads everything stored about the user.</summary>
    Task<UserDataExport> ExportAsync(UserKey user, CancellationToken cancellationToken = default);

    /// <summary>
    /// Erases every row of the user in every table (including the directory record and Graph subscription records,
    /// so the user is no longer
    /// enrolled and no later sync can bring data back without a new enrolment) and every queued job of the user.
    /// It first marks the user <see cref="ConsentState.Erased"/> and waits for the user's sync lease, so a sync in
    /// flight cannot write after the erase.
    /// </summary>
    Task<EraseResult> EraseAsync(UserKey user, CancellationToken cancellationToken = default);

    /// <summary>Removes the user's mailbox items older than the configured retention period; returns how many.</summary>
    Task<int> ApplyRetentionAsync(UserKey user, CancellationToken cancellationToken = default);
}
