using TiesOffice.Application.Sync;

namespace TiesOffice.Application.Ports;

/// <summary>Per-user sync status: consent, mailbox time zone, last outcome. One small record per user.</summary>
public interface IUserSyncStatusStore
{
    /// <summary>Reads the user's status, or null when the user was never synced.</summary>
    Task<UserSyncStatus?> GetAsync(UserKey user, CancellationToken cancellationToken = default);

    /// <summary>Saves (replaces) the user's status.</summary>
    Task SetAsync(UserKey user, UserSyncStatus status, CancellationToken cancellationToken = default);
}
