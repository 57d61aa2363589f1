namespace TiesOffice.Application.Ports;

/// <summary>A held per-user lease.</summary>
/// <param name="User">The user it covers.</param>
/// <param name="Owner">Who holds it (a host or worker id).</param>
/// <param name="ExpiresAt">When it lapses unless renewed.</param>
/// <param name="Token">An opaque concurrency token; only the holder of the current token can renew or release.</param>
public sealed record UserLeaseHandle(UserKey User, string Owner, DateTimeOffset ExpiresAt, string Token);

/// <summary>
/// A per-user lease so at most one sync (or erase) runs per user at a time, across hosts. Exactly one of several
/// racing acquirers wins; a lease that was not renewed before it expired can be taken over.
/// </summary>
public interface IUserLease
{
    /// <summary>Tries to take the user's lease for the configured duration; null when someone else holds it.</summary>
    Task<UserLeaseHandle?> TryAcquireAsync(UserKey user, string owner, CancellationToken cancellationToken = default);

    /// <summary>Extends a held lease; null when it was lost (expired and taken over).</summary>
    Task<UserLeaseHandle?> RenewAsync(UserLeaseHandle lease, CancellationToken cancellationToken = default);

    /// <summary>Releases a held lease; does nothing when it was already lost.</summary>
    Task ReleaseAsync(UserLeaseHandle lease, CancellationToken cancellationToken = default);
}
