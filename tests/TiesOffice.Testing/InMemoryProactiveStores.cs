using System.Collections.Concurrent;
using System.Text;
using TiesOffice.Application;
using TiesOffice.Application.Ports;
using TiesOffice.Application.Proactive;

namespace TiesOffice.Testing;

/// <summary>An in-memory <see cref="INudgeStore"/>.</summary>
public sealed class InMemoryNudgeStore : INudgeStore
{
    private readonly ConcurrentDictionary<(UserKey User, string Id), Nudge> _nudges = new();

    /// <summary>Every nudge of a user.</summary>
    public IReadOnlyList<Nudge> Of(UserKey user) => [.. _nudges.Where(kv => kv.Key.User == user).Select(kv => kv.Value).OrderBy(n => n.PlannedFor)];

    /// <inheritdoc />
    public Task UpsertAsync(UserKey user, IReadOnlyCollection<Nudge> nudges, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(nudges);
        foreach (var n in nudges)
        {
            _nudges[(user, n.Id)] = n;
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<Nudge?> GetAsync(UserKey user, string nudgeId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_nudges.GetValueOrDefault((user, nudgeId)));

    /// <inheritdoc />
    public IAsyncEnumerable<Nudge> ReadAsync(UserKey user, CancellationToken cancellationToken = default) => Of(user).ToAsyncEnumerable();

    /// <inheritdoc />
    public Task RemoveAsync(UserKey user, string nudgeId, CancellationToken cancellationToken = default)
    {
        _nudges.TryRemove((user, nudgeId), out _);
        return Task.CompletedTask;
    }
}

/// <summary>An in-memory <see cref="IDigestClaimStore"/> (insert-if-absent), with a hook to fail after a claim.</summary>
public sealed class InMemoryDigestClaimStore : IDigestClaimStore
{
    private readonly ConcurrentDictionary<(UserKey User, string Week), DigestClaim> _claims = new();

    /// <summary>Called after every successful claim; throw from it to simulate a crash between the claim and the send.</summary>
    public Action<UserKey, DigestClaim>? AfterClaim { get; set; }

    /// <summary>The user's claim of a week, or null.</summary>
    public DigestClaim? Of(UserKey user, string week) => _claims.GetValueOrDefault((user, week));

    /// <inheritdoc />
    public Task<DigestClaim?> GetAsync(UserKey user, string week, CancellationToken cancellationToken = default) => Task.FromResult(Of(user, week));

    /// <inheritdoc />
    public Task<bool> TryClaimAsync(UserKey user, DigestClaim claim, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var won = _claims.TryAdd((user, claim.Week), claim);
        if (won)
        {
            AfterClaim?.Invoke(user, claim);
        }

        return Task.FromResult(won);
    }

    /// <inheritdoc />
    public Task UpdateAsync(UserKey user, DigestClaim claim, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(claim);
        _claims[(user, claim.Week)] = claim;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public IAsyncEnumerable<DigestClaim> ReadAsync(UserKey user, CancellationToken cancellationToken = default) =>
        _claims.Where(kv => kv.Key.User == user).Select(kv => kv.Value).ToList().ToAsyncEnumerable();
}

/// <summary>An in-memory <see cref="IConversationReferenceStore"/>.</summary>
public sealed class InMemoryConversationReferenceStore : IConversationReferenceStore
{
    private readonly ConcurrentDictionary<UserKey, ConversationReference> _references = new();

    /// <inheritdoc />
    public Task SaveAsync(UserKey user, ConversationReference reference, CancellationToken cancellationToken = default)
    {
        _references[user] = reference;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<ConversationReference?> GetAsync(UserKey user, CancellationToken cancellationToken = default) => Task.FromResult(_references.GetValueOrDefault(user));

    /// <inheritdoc />
    public Task RemoveAsync(UserKey user, CancellationToken cancellationToken = default)
    {
        _references.TryRemove(user, out _);
        return Task.CompletedTask;
    }
}

/// <summary>An in-memory <see cref="ITierHistoryStore"/>.</summary>
public sealed class InMemoryTierHistoryStore : ITierHistoryStore
{
    private readonly ConcurrentDictionary<UserKey, IReadOnlyList<MonthlyTierCounts>> _months = new();

    /// <inheritdoc />
    public Task SaveAsync(UserKey user, IReadOnlyCollection<MonthlyTierCounts> months, CancellationToken cancellationToken = default)
    {
        _months[user] = [.. months];
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<MonthlyTierCounts>> ReadAsync(UserKey user, CancellationToken cancellationToken = default) =>
        Task.FromResult(_months.GetValueOrDefault(user) ?? []);
}

/// <summary>An <see cref="IJobQueue"/> that only records what was queued.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "It stands in for a queue.")]
public sealed class RecordingJobQueue : IJobQueue
{
    private readonly ConcurrentQueue<SyncJob> _jobs = new();

    /// <summary>The queued jobs.</summary>
    public IReadOnlyCollection<SyncJob> Jobs => _jobs;

    /// <inheritdoc />
    public Task EnqueueAsync(SyncJob job, TimeSpan? delay = null, CancellationToken cancellationToken = default)
    {
        _jobs.Enqueue(job);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<int> EnqueueForActiveUsersAsync(string reason, string runId, DateTimeOffset requestedAt, TimeSpan spread, CancellationToken cancellationToken = default) => Task.FromResult(0);
}

/// <summary>An <see cref="IPrivacyOperations"/> for use cases that never export or erase in a test.</summary>
public sealed class UnusedPrivacyOperations : IPrivacyOperations
{
    /// <inheritdoc />
    public Task<UserDataExport> ExportAsync(UserKey user, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    /// <inheritdoc />
    public Task<EraseResult> EraseAsync(UserKey user, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    /// <inheritdoc />
    public Task<int> ApplyRetentionAsync(UserKey user, CancellationToken cancellationToken = default) => Task.FromResult(0);
}

/// <summary>Readable tie ids for tests (not keyed: never use outside tests).</summary>
public sealed class PlainTieIds : ITieIds
{
    /// <inheritdoc />
    public string IdOf(UserKey user, string contact) =>
        Convert.ToHexStringLower(Encoding.UTF8.GetBytes(user.UserId + "|" + contact))[..Math.Min(40, 2 * (user.UserId.Length + contact.Length + 1))];
}

/// <summary>A digest and reminder channel that records what it was asked to send and answers as told.</summary>
public sealed class RecordingChannel(ProactiveChannel channel) : IDigestChannel, IReminderChannel
{
    private readonly ConcurrentQueue<DigestMessage> _digests = new();
    private readonly ConcurrentQueue<ReminderMessage> _reminders = new();

    /// <inheritdoc />
    public ProactiveChannel Channel => channel;

    /// <summary>What every send answers.</summary>
    public DeliveryOutcome Answer { get; set; } = DeliveryOutcome.Sent;

    /// <summary>The digests asked for (whatever the answer).</summary>
    public IReadOnlyCollection<DigestMessage> Digests => _digests;

    /// <summary>The reminders asked for (whatever the answer).</summary>
    public IReadOnlyCollection<ReminderMessage> Reminders => _reminders;

    /// <inheritdoc />
    public Task<DeliveryOutcome> SendDigestAsync(DigestMessage digest, CancellationToken cancellationToken = default)
    {
        _digests.Enqueue(digest);
        return Task.FromResult(Answer);
    }

    /// <inheritdoc />
    public Task<DeliveryOutcome> SendReminderAsync(ReminderMessage reminder, CancellationToken cancellationToken = default)
    {
        _reminders.Enqueue(reminder);
        return Task.FromResult(Answer);
    }
}
