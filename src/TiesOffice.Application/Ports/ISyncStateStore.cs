using TiesOffice.Application.Sync;

namespace TiesOffice.Application.Ports;

/// <summary>Where the user's saved tie ledger stands against the stored mailbox items.</summary>
/// <param name="Stale">
/// Stored items may be missing from the saved ledger. Set before a sync's first write, cleared once the ledger and the
/// ties are saved; a run that finds it set rebuilds the ledger from the stored items (an earlier run was killed
/// in between).
/// </param>
/// <param name="ScoredAt">When the user's ties were last scored and saved, or null when never.</param>
public sealed record LedgerStatus(bool Stale, DateTimeOffset? ScoredAt)
{
    /// <summary>A user whose ledger was never saved or marked.</summary>
    public static LedgerStatus None { get; } = new(false, null);
}

/// <summary>Everything saved about one user's sync, read at once.</summary>
/// <param name="DeltaLinks">Each stream's saved delta (or in-progress next) link, by stream name.</param>
/// <param name="Status">The sync status, or null when the user was never synced.</param>
/// <param name="Ledger">The tie ledger's status.</param>
public sealed record UserSyncState(IReadOnlyDictionary<string, string> DeltaLinks, UserSyncStatus? Status, LedgerStatus Ledger)
{
    /// <summary>A user with nothing saved.</summary>
    public static UserSyncState Empty { get; } = new(new Dictionary<string, string>(StringComparer.Ordinal), null, LedgerStatus.None);

    /// <summary>The saved link of one stream, or null.</summary>
    /// <param name="stream">The stream name.</param>
    /// <returns>The link, or null when the stream has never saved one.</returns>
    public string? DeltaLink(string stream) => DeltaLinks.GetValueOrDefault(stream);
}

/// <summary>
/// A user's sync state: where each sync stream (a mail folder, the calendar window) left off, the sync status, and
/// the tie ledger's status. One small partition per user, so <see cref="ReadAsync"/> reads all of it at once.
/// </summary>
public interface ISyncStateStore
{
    /// <summary>Reads everything saved for the user in one request.</summary>
    Task<UserSyncState> ReadAsync(UserKey user, CancellationToken cancellationToken = default);

    /// <summary>Reads the saved delta link of one stream, or null when the stream has never completed a round.</summary>
    Task<string?> GetDeltaLinkAsync(UserKey user, string stream, CancellationToken cancellationToken = default);

    /// <summary>Saves (or, with null, forgets) the delta link of one stream.</summary>
    Task SetDeltaLinkAsync(UserKey user, string stream, string? deltaLink, CancellationToken cancellationToken = default);

    /// <summary>Saves (replaces) the user's sync status.</summary>
    Task SetStatusAsync(UserKey user, UserSyncStatus status, CancellationToken cancellationToken = default);

    /// <summary>Marks the saved ledger stale (stored items may be missing from it); keeps <see cref="LedgerStatus.ScoredAt"/>.</summary>
    Task MarkLedgerStaleAsync(UserKey user, CancellationToken cancellationToken = default);

    /// <summary>Records that the ledger and the ties were saved as of <paramref name="scoredAt"/>: clears the stale mark.</summary>
    Task SetLedgerScoredAsync(UserKey user, DateTimeOffset scoredAt, CancellationToken cancellationToken = default);
}
