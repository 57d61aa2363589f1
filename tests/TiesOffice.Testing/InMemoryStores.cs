using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using TiesOffice.Application;
using TiesOffice.Application.Ports;
using TiesOffice.Application.Sync;
using TiesOffice.Domain.Metadata;

namespace TiesOffice.Testing;

/// <summary>An in-memory <see cref="ISyncStateStore"/>.</summary>
public sealed class InMemorySyncStateStore : ISyncStateStore
{
    private readonly ConcurrentDictionary<(UserKey, string), string> _links = new();
    private readonly ConcurrentDictionary<UserKey, UserSyncStatus> _status = new();
    private readonly ConcurrentDictionary<UserKey, LedgerStatus> _ledgers = new();
    private int _reads;

    /// <summary>Called before every delta-link write; throw from it to simulate a crash at that point.</summary>
    public Action<UserKey, string, string?>? BeforeWrite { get; set; }

    /// <summary>Every saved value.</summary>
    public IReadOnlyDictionary<(UserKey, string), string> Links => _links;

    /// <summary>How many reads were made (of any kind).</summary>
    public int Reads => _reads;

    /// <summary>The user's saved sync status, or null.</summary>
    public UserSyncStatus? Status(UserKey user) => _status.GetValueOrDefault(user);

    /// <summary>The user's ledger status.</summary>
    public LedgerStatus Ledger(UserKey user) => _ledgers.GetValueOrDefault(user) ?? LedgerStatus.None;

    /// <inheritdoc />
    public Task<UserSyncState> ReadAsync(UserKey user, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _reads);
        var links = _links.Where(p => p.Key.Item1 == user).ToDictionary(p => p.Key.Item2, p => p.Value, StringComparer.Ordinal);
        return Task.FromResult(new UserSyncState(links, _status.GetValueOrDefault(user), Ledger(user)));
    }

    /// <inheritdoc />
    public Task<string?> GetDeltaLinkAsync(UserKey user, string stream, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _reads);
        return Task.FromResult(_links.GetValueOrDefault((user, stream)));
    }

    /// <inheritdoc />
    public Task SetDeltaLinkAsync(UserKey user, string stream, string? deltaLink, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        BeforeWrite?.Invoke(user, stream, deltaLink);
        if (deltaLink is null)
        {
            _links.TryRemove((user, stream), out _);
        }
        else
        {
            _links[(user, stream)] = deltaLink;
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task SetStatusAsync(UserKey user, UserSyncStatus status, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(status);
        _status[user] = status;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task MarkLedgerStaleAsync(UserKey user, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _ledgers.AddOrUpdate(user, _ => new LedgerStatus(true, null), (_, old) => old with { Stale = true });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task SetLedgerScoredAsync(UserKey user, DateTimeOffset scoredAt, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _ledgers[user] = new LedgerStatus(false, scoredAt);
        return Task.CompletedTask;
    }
}

/// <summary>An in-memory <see cref="IMailboxStore"/> keyed by item id, with a hook to fail writes.</summary>
public sealed class InMemoryMailboxStore : IMailboxStore
{
    private readonly ConcurrentDictionary<UserKey, ConcurrentDictionary<string, MailMessage>> _messages = new();
    private readonly ConcurrentDictionary<UserKey, ConcurrentDictionary<string, Meeting>> _meetings = new();
    private int _writes;
    private int _itemsRead;

    /// <summary>Called before every write with the running write count; throw from it to simulate a crash.</summary>
    public Action<int>? BeforeWrite { get; set; }

    /// <summary>How many write calls were made.</summary>
    public int Writes => _writes;

    /// <summary>How many items (messages and meetings) were read back.</summary>
    public int ItemsRead => _itemsRead;

    /// <summary>The stored messages of a user.</summary>
    public IReadOnlyDictionary<string, MailMessage> Messages(UserKey user) => _messages.GetOrAdd(user, _ => new());

    /// <summary>The stored meetings of a user.</summary>
    public IReadOnlyDictionary<string, Meeting> Meetings(UserKey user) => _meetings.GetOrAdd(user, _ => new());

    /// <inheritdoc />
    public Task UpsertMessagesAsync(UserKey user, IReadOnlyCollection<MailMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        Before(cancellationToken);
        var map = _messages.GetOrAdd(user, _ => new());
        foreach (var m in messages)
        {
            map[m.Id] = m;
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task UpsertMeetingsAsync(UserKey user, IReadOnlyCollection<Meeting> meetings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(meetings);
        Before(cancellationToken);
        var map = _meetings.GetOrAdd(user, _ => new());
        foreach (var m in meetings)
        {
            map[m.Id] = m;
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task RemoveAsync(UserKey user, IReadOnlyCollection<string> itemIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(itemIds);
        Before(cancellationToken);
        foreach (var id in itemIds)
        {
            _messages.GetOrAdd(user, _ => new()).TryRemove(id, out _);
            _meetings.GetOrAdd(user, _ => new()).TryRemove(id, out _);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<MailMessage> ReadMessagesAsync(UserKey user, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var m in Messages(user).Values.ToList())
        {
            cancellationToken.ThrowIfCancellationRequested();
            Interlocked.Increment(ref _itemsRead);
            yield return m;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<Meeting> ReadMeetingsAsync(UserKey user, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var m in Meetings(user).Values.ToList())
        {
            cancellationToken.ThrowIfCancellationRequested();
            Interlocked.Increment(ref _itemsRead);
            yield return m;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    private void Before(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        BeforeWrite?.Invoke(Interlocked.Increment(ref _writes));
    }
}

/// <summary>An in-memory <see cref="ISubscriptionStore"/>.</summary>
public sealed class InMemorySubscriptionStore : ISubscriptionStore
{
    private readonly ConcurrentDictionary<string, SubscriptionRecord> _subscriptions = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Every subscription.</summary>
    public IReadOnlyCollection<SubscriptionRecord> All => _subscriptions.Values.ToList();

    /// <inheritdoc />
    public Task<SubscriptionRecord?> FindAsync(string subscriptionId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_subscriptions.GetValueOrDefault(subscriptionId));

    /// <inheritdoc />
    public Task<IReadOnlyList<SubscriptionRecord>> ListAsync(UserKey user, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<SubscriptionRecord>>(_subscriptions.Values.Where(s => s.User == user).ToList());

    /// <inheritdoc />
    public Task SaveAsync(SubscriptionRecord subscription, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        _subscriptions[subscription.Id] = subscription;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task DeleteAsync(string subscriptionId, CancellationToken cancellationToken = default)
    {
        _subscriptions.TryRemove(subscriptionId, out _);
        return Task.CompletedTask;
    }
}

/// <summary>An in-memory <see cref="ISyncWorkSink"/> that records what was queued.</summary>
public sealed class InMemorySyncWorkSink : ISyncWorkSink
{
    private readonly ConcurrentQueue<SyncWorkItem> _items = new();

    /// <summary>Everything queued, in order.</summary>
    public IReadOnlyList<SyncWorkItem> Items => _items.ToList();

    /// <inheritdoc />
    public Task EnqueueAsync(SyncWorkItem work, CancellationToken cancellationToken = default)
    {
        _items.Enqueue(work);
        return Task.CompletedTask;
    }
}
