using System.Collections.Concurrent;

namespace TiesOffice.Application.Sync;

/// <summary>Syncs many mailboxes side by side (the timer fan-out, the demo and the benchmark). Per-mailbox limits still apply.</summary>
public sealed class TenantSync(MailboxSync sync)
{
    /// <summary>Syncs every user, at most <paramref name="parallelism"/> mailboxes at a time. One user's failure never stops another's.</summary>
    /// <param name="users">The enrolled users.</param>
    /// <param name="parallelism">Mailboxes synced at once.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>One result per user.</returns>
    public async Task<IReadOnlyList<MailboxSyncResult>> SyncAllAsync(IEnumerable<UserKey> users, int parallelism, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        var results = new ConcurrentBag<MailboxSyncResult>();
        await Parallel.ForEachAsync(
            users,
            new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (user, ct) => results.Add(await sync.SyncAsync(user, ct).ConfigureAwait(false))).ConfigureAwait(false);
        return results.ToList();
    }
}
