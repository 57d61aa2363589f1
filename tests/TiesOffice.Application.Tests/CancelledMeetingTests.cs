using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using TiesOffice.Application;
using TiesOffice.Application.Ports;
using TiesOffice.Application.Scoring;
using TiesOffice.Domain.Metadata;
using TiesOffice.Testing;

namespace TiesOffice.Application.Tests;

/// <summary>
/// A sync that brings a meeting the ledger refuses (a new cancelled meeting) must not rebuild the ledger from
/// storage; only a meeting the ledger already holds, changed, does. The proof is the number of stored items read.
/// </summary>
public class CancelledMeetingTests
{
    private const string Owner = "owner@contoso.com";
    private static readonly UserKey _user = new("tenant-1", "user-1");
    private static readonly DateTimeOffset _t0 = new(2025, 3, 3, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task RescoreAsync_SyncBringsNewCancelledMeeting_ReadsNoStoredItemAndDoesNotRebuild()
    {
        var world = await World.WithScoredHistoryAsync();

        var result = await world.SyncAsync(Meeting("new-cancelled", _t0.AddDays(20), cancelled: true));

        Assert.False(result.Rebuilt);
        Assert.Equal(0, result.ItemsAdded);
        Assert.Equal(0, world.Items.ItemsRead);
    }

    [Fact]
    public async Task RescoreAsync_SyncCancelsAMeetingTheLedgerHolds_RebuildsFromEveryStoredItem()
    {
        var world = await World.WithScoredHistoryAsync();

        var result = await world.SyncAsync(Meeting("known", _t0.AddDays(1), cancelled: true));

        Assert.True(result.Rebuilt);
        Assert.Equal(world.Items.Stored, world.Items.ItemsRead);
    }

    [Fact]
    public async Task RescoreAsync_SyncBringsNewCancelledAndNewHeldMeetings_AddsTheHeldOneWithoutRebuilding()
    {
        var world = await World.WithScoredHistoryAsync();

        var result = await world.SyncAsync(
            Meeting("new-cancelled", _t0.AddDays(20), cancelled: true),
            Meeting("new-held", _t0.AddDays(21), cancelled: false));

        Assert.False(result.Rebuilt);
        Assert.Equal(1, result.ItemsAdded);
        Assert.Equal(0, world.Items.ItemsRead);
    }

    private static Meeting Meeting(string id, DateTimeOffset start, bool cancelled) => new(
        id,
        Owner,
        [new MeetingAttendee("ann@contoso.com", AttendeeType.Required, AttendeeResponse.Accepted)],
        start,
        start.AddMinutes(30),
        cancelled,
        IsAllDay: false,
        ShowAs.Busy,
        MeetingKind.SingleInstance,
        SeriesMasterId: null,
        IsOnline: true);

    private static MailMessage Mail(string id, string from, string to, DateTimeOffset at) =>
        new(id, from, null, [to], [], [], at, null, null, "Plan", false, MailFolder.Other);

    private sealed class World
    {
        private readonly InMemorySyncStateStore _state = new();
        private readonly MailboxChangeTracker _tracker;
        private readonly TieScoring _scoring;

        private World()
        {
            _tracker = new MailboxChangeTracker(Items, _state);
            var time = new FakeTimeProvider(_t0.AddDays(30));
            _scoring = new TieScoring(_tracker, new EngineStates(), _state, new Ties(), new NoSettings(), time, NullLogger<TieScoring>.Instance);
        }

        public CountingMailboxStore Items { get; } = new();

        // A mailbox with a few messages and one meeting, synced and scored once (a first run builds the ledger).
        public static async Task<World> WithScoredHistoryAsync()
        {
            var world = new World();
            await world.Items.UpsertMessagesAsync(_user, [
                Mail("m1", Owner, "ann@contoso.com", _t0),
                Mail("m2", "ann@contoso.com", Owner, _t0.AddHours(2)),
                Mail("m3", Owner, "bob@contoso.com", _t0.AddDays(2))]);
            await world.Items.UpsertMeetingsAsync(_user, [Meeting("known", _t0.AddDays(1), cancelled: false)]);
            var first = await world._scoring.RescoreAsync(_user, Owner, changes: null);
            Assert.True(first.Rebuilt);
            Assert.Equal(4, world.Items.ItemsRead);
            world.Items.ItemsRead = 0;
            return world;
        }

        // One sync run that stores the meetings, then re-scores with what it stored.
        public async Task<RescoreResult> SyncAsync(params Meeting[] meetings)
        {
            var changes = _tracker.Open(_user, LedgerStatus.None);
            try
            {
                await _tracker.UpsertMeetingsAsync(_user, meetings);
            }
            finally
            {
                _tracker.Close(_user);
            }

            return await _scoring.RescoreAsync(_user, Owner, changes);
        }
    }

    // The in-memory mailbox, counting every item read back from it.
    private sealed class CountingMailboxStore : IMailboxStore
    {
        private readonly InMemoryMailboxStore _inner = new();

        public int ItemsRead { get; set; }

        public int Stored => _inner.Messages(_user).Count + _inner.Meetings(_user).Count;

        public Task UpsertMessagesAsync(UserKey user, IReadOnlyCollection<MailMessage> messages, CancellationToken cancellationToken = default) =>
            _inner.UpsertMessagesAsync(user, messages, cancellationToken);

        public Task UpsertMeetingsAsync(UserKey user, IReadOnlyCollection<Meeting> meetings, CancellationToken cancellationToken = default) =>
            _inner.UpsertMeetingsAsync(user, meetings, cancellationToken);

        public Task RemoveAsync(UserKey user, IReadOnlyCollection<string> itemIds, CancellationToken cancellationToken = default) =>
            _inner.RemoveAsync(user, itemIds, cancellationToken);

        public async IAsyncEnumerable<MailMessage> ReadMessagesAsync(UserKey user, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await foreach (var message in _inner.ReadMessagesAsync(user, cancellationToken))
            {
                ItemsRead++;
                yield return message;
            }
        }

        public async IAsyncEnumerable<Meeting> ReadMeetingsAsync(UserKey user, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await foreach (var meeting in _inner.ReadMeetingsAsync(user, cancellationToken))
            {
                ItemsRead++;
                yield return meeting;
            }
        }
    }

    private sealed class EngineStates : IEngineStateStore
    {
        private EngineState? _saved;

        public Task<EngineState?> ReadAsync(UserKey user, CancellationToken cancellationToken = default) => Task.FromResult(_saved);

        public Task<string?> GetVersionAsync(UserKey user, CancellationToken cancellationToken = default) => Task.FromResult(_saved?.Version);

        public Task<string?> TryWriteAsync(UserKey user, ReadOnlyMemory<byte> data, string? expectedVersion, CancellationToken cancellationToken = default)
        {
            if (_saved?.Version != expectedVersion)
            {
                return Task.FromResult<string?>(null);
            }

            _saved = new EngineState(data.ToArray(), Guid.NewGuid().ToString("N"));
            return Task.FromResult<string?>(_saved.Version);
        }

        public Task DeleteAsync(UserKey user, CancellationToken cancellationToken = default)
        {
            _saved = null;
            return Task.CompletedTask;
        }
    }

    private sealed class Ties : ITieStore
    {
        private List<TieSnapshot> _ties = [];

        public Task ReplaceAsync(UserKey user, IReadOnlyCollection<TieSnapshot> ties, CancellationToken cancellationToken = default)
        {
            _ties = [.. ties];
            return Task.CompletedTask;
        }

        public Task UpsertAsync(UserKey user, TieSnapshot tie, CancellationToken cancellationToken = default)
        {
            _ties = [.. _ties.Where(t => t.Contact != tie.Contact), tie];
            return Task.CompletedTask;
        }

        public Task<TieSnapshot?> GetAsync(UserKey user, string contact, CancellationToken cancellationToken = default) =>
            Task.FromResult(_ties.FirstOrDefault(t => t.Contact == contact));

        public IAsyncEnumerable<TieSnapshot> ReadAsync(UserKey user, CancellationToken cancellationToken = default) => _ties.ToAsyncEnumerable();
    }

    private sealed class NoSettings : ISettingsStore
    {
        public Task<UserSettings> GetSettingsAsync(UserKey user, CancellationToken cancellationToken = default) => Task.FromResult(new UserSettings());

        public Task SaveSettingsAsync(UserKey user, UserSettings settings, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task<UserSettings> UpdateSettingsAsync(UserKey user, Func<UserSettings, UserSettings> update, CancellationToken cancellationToken = default) =>
            Task.FromResult(update(new UserSettings()));

        public Task SaveOverrideAsync(UserKey user, ContactOverride contactOverride, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task RemoveOverrideAsync(UserKey user, string contact, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task<ContactOverride?> GetOverrideAsync(UserKey user, string contact, CancellationToken cancellationToken = default) =>
            Task.FromResult<ContactOverride?>(null);

        public IAsyncEnumerable<ContactOverride> ReadOverridesAsync(UserKey user, CancellationToken cancellationToken = default) =>
            AsyncEnumerable.Empty<ContactOverride>();
    }
}
