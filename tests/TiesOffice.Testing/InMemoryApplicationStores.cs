using System.Collections.Concurrent;
using TiesOffice.Application;
using TiesOffice.Application.Ports;

namespace TiesOffice.Testing;

/// <summary>An in-memory <see cref="IUserDirectory"/>.</summary>
public sealed class InMemoryUserDirectory : IUserDirectory
{
    private readonly ConcurrentDictionary<UserKey, EnrolledUser> _users = new();

    /// <summary>Enrols a user as active (a test's shorthand), keeping an existing record.</summary>
    /// <param name="user">The user.</param>
    /// <param name="address">The user's own address.</param>
    /// <returns>The record.</returns>
    public EnrolledUser EnsureActive(UserKey user, string address) =>
        _users.GetOrAdd(user, u => new EnrolledUser(u, address, null, null, DateTimeOffset.UnixEpoch, ConsentState.Active));

    /// <inheritdoc />
    public Task EnrolAsync(EnrolledUser user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        _users[user.User] = user;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<bool> SetConsentAsync(UserKey user, ConsentState consent, CancellationToken cancellationToken = default)
    {
        while (_users.TryGetValue(user, out var old))
        {
            if (_users.TryUpdate(user, old with { Consent = consent }, old))
            {
                return Task.FromResult(true);
            }
        }

        return Task.FromResult(false);
    }

    /// <inheritdoc />
    public Task<bool> UnenrolAsync(UserKey user, CancellationToken cancellationToken = default) => Task.FromResult(_users.TryRemove(user, out _));

    /// <inheritdoc />
    public Task<EnrolledUser?> GetAsync(UserKey user, CancellationToken cancellationToken = default) => Task.FromResult(_users.GetValueOrDefault(user));

    /// <inheritdoc />
    public Task<bool> IsSyncAllowedAsync(UserKey user, CancellationToken cancellationToken = default) =>
        Task.FromResult(_users.TryGetValue(user, out var u) && u.Consent == ConsentState.Active);

    /// <inheritdoc />
    public IAsyncEnumerable<EnrolledUser> ListActiveAsync(CancellationToken cancellationToken = default) =>
        _users.Values.Where(u => u.Consent == ConsentState.Active).ToAsyncEnumerable();

    /// <inheritdoc />
    public IAsyncEnumerable<EnrolledUser> ListTenantAsync(string tenantId, CancellationToken cancellationToken = default) =>
        _users.Values.Where(u => u.User.TenantId == tenantId).ToAsyncEnumerable();
}

/// <summary>An in-memory <see cref="IEngineStateStore"/> with ETag-like versions and hooks to force a conflict or a crash.</summary>
public sealed class InMemoryEngineStateStore : IEngineStateStore
{
    private readonly ConcurrentDictionary<UserKey, EngineState> _states = new();
    private long _version;
    private int _writes;

    /// <summary>Called before every write with the running write count; throw from it to simulate a crash, or write to race.</summary>
    public Func<UserKey, int, Task>? BeforeWrite { get; set; }

    /// <summary>How many writes were attempted.</summary>
    public int Writes => _writes;

    /// <summary>Writes the user's blob as another worker would, whatever the stored version (a new version results).</summary>
    public void WriteAsAnotherWorker(UserKey user, byte[] data)
    {
        var version = Interlocked.Increment(ref _version).ToString(System.Globalization.CultureInfo.InvariantCulture);
        _states[user] = new EngineState(data, version);
    }

    /// <inheritdoc />
    public Task<EngineState?> ReadAsync(UserKey user, CancellationToken cancellationToken = default) => Task.FromResult(_states.GetValueOrDefault(user));

    public Task<string?> GetVersionAsync(UserKey user, CancellationToken cancellationToken = default) =>
        Task.FromResult(_states.GetValueOrDefault(user)?.Version);

    /// <inheritdoc />
    public async Task<string?> TryWriteAsync(UserKey user, ReadOnlyMemory<byte> data, string? expectedVersion, CancellationToken cancellationToken = default)
    {
        var attempt = Interlocked.Increment(ref _writes);
        if (BeforeWrite is { } hook)
        {
            await hook(user, attempt).ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var version = Interlocked.Increment(ref _version).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var state = new EngineState(data.ToArray(), version);
        if (expectedVersion is null)
        {
            return _states.TryAdd(user, state) ? version : null;
        }

        return _states.TryGetValue(user, out var current) && current.Version == expectedVersion && _states.TryUpdate(user, state, current) ? version : null;
    }

    /// <inheritdoc />
    public Task DeleteAsync(UserKey user, CancellationToken cancellationToken = default)
    {
        _states.TryRemove(user, out _);
        return Task.CompletedTask;
    }
}

/// <summary>An in-memory <see cref="ITieStore"/> that counts the rows it writes.</summary>
public sealed class InMemoryTieStore : ITieStore
{
    private readonly ConcurrentDictionary<UserKey, ConcurrentDictionary<string, TieSnapshot>> _ties = new();
    private int _rowsWritten;

    /// <summary>How many tie rows were written (new or changed).</summary>
    public int RowsWritten => _rowsWritten;

    /// <summary>The stored ties of a user.</summary>
    public IReadOnlyDictionary<string, TieSnapshot> Ties(UserKey user) => _ties.GetOrAdd(user, _ => new(StringComparer.OrdinalIgnoreCase));

    /// <inheritdoc />
    public Task ReplaceAsync(UserKey user, IReadOnlyCollection<TieSnapshot> ties, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ties);
        cancellationToken.ThrowIfCancellationRequested();
        var map = _ties.GetOrAdd(user, _ => new(StringComparer.OrdinalIgnoreCase));
        var keep = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var tie in ties)
        {
            keep.Add(tie.Contact);
            if (!map.TryGetValue(tie.Contact, out var old) || !tie.IsSameAs(old))
            {
                map[tie.Contact] = tie;
                Interlocked.Increment(ref _rowsWritten);
            }
        }

        foreach (var gone in map.Keys.Where(k => !keep.Contains(k)).ToList())
        {
            map.TryRemove(gone, out _);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task UpsertAsync(UserKey user, TieSnapshot tie, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tie);
        cancellationToken.ThrowIfCancellationRequested();
        _ties.GetOrAdd(user, _ => new(StringComparer.OrdinalIgnoreCase))[tie.Contact] = tie;
        Interlocked.Increment(ref _rowsWritten);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<TieSnapshot?> GetAsync(UserKey user, string contact, CancellationToken cancellationToken = default) =>
        Task.FromResult(Ties(user).GetValueOrDefault(contact));

    /// <inheritdoc />
    public IAsyncEnumerable<TieSnapshot> ReadAsync(UserKey user, CancellationToken cancellationToken = default) => Ties(user).Values.ToList().ToAsyncEnumerable();
}

/// <summary>An in-memory <see cref="ISettingsStore"/>.</summary>
public sealed class InMemorySettingsStore : ISettingsStore
{
    private readonly ConcurrentDictionary<UserKey, UserSettings> _settings = new();
    private readonly ConcurrentDictionary<(UserKey, string), ContactOverride> _overrides = new();

    /// <inheritdoc />
    public Task<UserSettings> GetSettingsAsync(UserKey user, CancellationToken cancellationToken = default) =>
        Task.FromResult(_settings.GetValueOrDefault(user) ?? new UserSettings());

    /// <inheritdoc />
    public Task SaveSettingsAsync(UserKey user, UserSettings settings, CancellationToken cancellationToken = default)
    {
        _settings[user] = settings;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<UserSettings> UpdateSettingsAsync(UserKey user, Func<UserSettings, UserSettings> update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        return Task.FromResult(_settings.AddOrUpdate(user, _ => update(new UserSettings()), (_, old) => update(old)));
    }

    /// <inheritdoc />
    public Task SaveOverrideAsync(UserKey user, ContactOverride contactOverride, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(contactOverride);
        _overrides[(user, contactOverride.Contact.ToLowerInvariant())] = contactOverride;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task RemoveOverrideAsync(UserKey user, string contact, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(contact);
        _overrides.TryRemove((user, contact.ToLowerInvariant()), out _);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<ContactOverride?> GetOverrideAsync(UserKey user, string contact, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(contact);
        return Task.FromResult(_overrides.GetValueOrDefault((user, contact.ToLowerInvariant())));
    }

    /// <inheritdoc />
    public IAsyncEnumerable<ContactOverride> ReadOverridesAsync(UserKey user, CancellationToken cancellationToken = default) =>
        _overrides.Where(p => p.Key.Item1 == user).Select(p => p.Value).ToList().ToAsyncEnumerable();
}
