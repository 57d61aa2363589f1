using TiesOffice.Application;
using TiesOffice.Application.Ports;
using TiesOffice.Application.Sync;
using TiesOffice.Testing.Azurite;

namespace TiesOffice.Storage.Tests;

public sealed class StoreRoundTripTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset s_t0 = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private StorageHarness _h = null!;

    public ValueTask InitializeAsync()
    {
        _h = StorageHarness.Create(azurite);
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _h.DisposeAsync();

    [Fact]
    public async Task Directory_EnrolGetListConsent_RoundTrips()
    {
        var ct = TestContext.Current.CancellationToken;
        var directory = _h.Get<IUserDirectory>();
        var tenant = "tenant/#?" + Guid.NewGuid().ToString("N");
        var alice = new EnrolledUser(new UserKey(tenant, "alice|1"), "alice@contoso.example", "Alice", "Europe/Paris", s_t0, ConsentState.Active);
        var bob = new EnrolledUser(new UserKey(tenant, "bob"), "bob@contoso.example", null, null, s_t0, ConsentState.Active);

        await directory.EnrolAsync(alice, ct);
        await directory.EnrolAsync(bob, ct);
        var changed = await directory.SetConsentAsync(bob.User, ConsentState.NeedsConsent, ct);
        var missing = await directory.SetConsentAsync(new UserKey(tenant, "nobody"), ConsentState.Erased, ct);

        Assert.True(changed);
        Assert.False(missing);
        Assert.Equal(alice, await directory.GetAsync(alice.User, ct));
        Assert.True(await directory.IsSyncAllowedAsync(alice.User, ct));
        Assert.False(await directory.IsSyncAllowedAsync(bob.User, ct));
        Assert.False(await directory.IsSyncAllowedAsync(new UserKey(tenant, "nobody"), ct));
        Assert.Equal(2, (await directory.ListTenantAsync(tenant, ct).ToListAsync()).Count);
        var active = await directory.ListActiveAsync(ct).ToListAsync();
        Assert.Contains(alice, active);
        Assert.DoesNotContain(active, u => u.User == bob.User);
        Assert.True(await directory.UnenrolAsync(alice.User, ct));
        Assert.Null(await directory.GetAsync(alice.User, ct));
    }

    [Fact]
    public async Task Settings_SaveAndOverrides_RoundTrip()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = _h.Get<ISettingsStore>();
        var user = TestData.NewUser();
        var snooze = new ContactOverride("Carol/#?@Contoso.example", Muted: false, SnoozedUntil: s_t0, ManualTier: "strong", CadenceDays: 14, PositionBased: true);
        var mute = new ContactOverride("dave@contoso.example", Muted: true);

        Assert.Equal(new UserSettings(), await store.GetSettingsAsync(user, ct));
        await store.SaveSettingsAsync(user, new UserSettings(5, "Europe/Berlin"), ct);
        await store.SaveOverrideAsync(user, snooze, ct);
        await store.SaveOverrideAsync(user, mute, ct);
        await store.SaveOverrideAsync(user, mute with { CadenceDays = 7 }, ct);

        Assert.Equal(new UserSettings(5, "Europe/Berlin"), await store.GetSettingsAsync(user, ct));
        Assert.Equal(snooze, await store.GetOverrideAsync(user, "carol/#?@contoso.example", ct));
        Assert.Equal(2, (await store.ReadOverridesAsync(user, ct).ToListAsync()).Count);
        await store.RemoveOverrideAsync(user, "DAVE@contoso.example", ct);
        await store.RemoveOverrideAsync(user, "unknown@contoso.example", ct);
        Assert.Equal([snooze], await store.ReadOverridesAsync(user, ct).ToListAsync());
    }

    [Fact]
    public async Task SyncState_LongAndNastyStreams_RoundTrip()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = _h.Get<ISyncStateStore>();
        var user = TestData.NewUser();
        var longLink = "https://graph.microsoft.com/v1.0/me/mailFolders/inbox/messages/delta?$deltatoken=" + new string('z', 70_000);

        Assert.Null(await store.GetDeltaLinkAsync(user, "inbox", ct));
        await store.SetDeltaLinkAsync(user, "inbox", longLink, ct);
        await store.SetDeltaLinkAsync(user, "calendar/2026#?", "https://x/delta?token=1", ct);

        Assert.Equal(longLink, await store.GetDeltaLinkAsync(user, "inbox", ct));
        Assert.Equal("https://x/delta?token=1", await store.GetDeltaLinkAsync(user, "calendar/2026#?", ct));
        await store.SetDeltaLinkAsync(user, "inbox", null, ct);
        Assert.Null(await store.GetDeltaLinkAsync(user, "inbox", ct));
    }

    [Fact]
    public async Task SyncState_LinksStatusAndLedger_ReadBackInOneRequest()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = _h.Get<ISyncStateStore>();
        var user = TestData.NewUser();
        Assert.Equal(LedgerStatus.None, (await store.ReadAsync(user, ct)).Ledger);

        var longLink = "https://graph.microsoft.com/v1.0/delta?$deltatoken=" + new string('q', 40_000);
        await store.SetDeltaLinkAsync(user, "mail:inbox", longLink, ct);
        await store.SetDeltaLinkAsync(user, "calendarView", "2026|2027|https://x/delta", ct);
        var status = new UserSyncStatus("Europe/Paris", s_t0, s_t0.AddMinutes(1), SyncOutcome.Partial);
        await store.SetStatusAsync(user, status, ct);
        await store.MarkLedgerStaleAsync(user, ct);
        await store.SetLedgerScoredAsync(user, s_t0.AddHours(1), ct);
        await store.MarkLedgerStaleAsync(user, ct);

        _h.Counter.Reset();
        var read = await store.ReadAsync(user, ct);

        Assert.Equal(1, _h.Counter.Total);
        Assert.Equal(longLink, read.DeltaLink("mail:inbox"));
        Assert.Equal("2026|2027|https://x/delta", read.DeltaLink("calendarView"));
        Assert.Equal(2, read.DeltaLinks.Count);
        Assert.Equal(status, read.Status);
        Assert.Equal(new LedgerStatus(true, s_t0.AddHours(1)), read.Ledger);

        await store.SetLedgerScoredAsync(user, s_t0.AddHours(2), ct);
        Assert.Equal(new LedgerStatus(false, s_t0.AddHours(2)), (await store.ReadAsync(user, ct)).Ledger);
    }

    [Fact]
    public async Task Ties_ReplaceWithTheSameTies_WritesNoRowAndKeepsTheirScoredAt()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = _h.Get<ITieStore>();
        var user = TestData.NewUser();
        var ties = Enumerable.Range(0, 150).Select(i => TestData.Tie($"c{i}@x.example", score: i / 150.0, at: s_t0)).ToList();
        await store.ReplaceAsync(user, ties, ct);

        // Scored again a day later: nothing moved but the scoring time, and one score by less than the tolerance.
        var later = ties.Select(t => t with { ScoredAt = s_t0.AddDays(1) }).ToList();
        later[0] = later[0] with { Score = later[0].Score + (TieSnapshot.Tolerance / 2) };
        _h.Counter.Reset();
        await store.ReplaceAsync(user, later, ct);
        Assert.Equal(1, _h.Counter.Total); // the read of what is stored, nothing written

        // One tie changes, one disappears: one write (a single upsert) and one delete.
        var changed = later.Skip(1).ToList();
        changed[0] = changed[0] with { Tier = "strong", ScoredAt = s_t0.AddDays(2) };
        _h.Counter.Reset();
        await store.ReplaceAsync(user, changed, ct);
        Assert.Equal(3, _h.Counter.Total);

        var stored = await store.ReadAsync(user, ct).ToListAsync();
        Assert.Equal(149, stored.Count);
        Assert.Equal("strong", stored.Single(t => t.Contact == changed[0].Contact).Tier);
        Assert.Equal(s_t0.AddDays(2), stored.Single(t => t.Contact == changed[0].Contact).ScoredAt);
        Assert.All(stored.Where(t => t.Contact != changed[0].Contact), t => Assert.Equal(s_t0, t.ScoredAt));
    }

    [Fact]
    public async Task Mailbox_UpsertTwiceAndRemove_OneCopyAndNoSubject()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = _h.Get<IMailboxStore>();
        var user = TestData.NewUser();
        var messages = TestData.NastyIds.Select((id, i) => TestData.Message(id.Length == 0 ? "empty-not-allowed" : id, s_t0.AddMinutes(i))).ToList();
        var meeting = TestData.Meeting("AAMkAD/meeting#1?", s_t0);

        await store.UpsertMessagesAsync(user, messages, ct);
        await store.UpsertMessagesAsync(user, messages, ct);
        await store.UpsertMeetingsAsync(user, [meeting], ct);
        var read = await store.ReadMessagesAsync(user, ct).ToListAsync();

        Assert.Equal(messages.Count, read.Count);
        Assert.All(read, m => Assert.Null(m.Subject));
        Assert.Equal(
            messages.Select(m => TestData.Json(m with { Subject = null })).Order(StringComparer.Ordinal),
            read.Select(m => TestData.Json(m)).Order(StringComparer.Ordinal));
        Assert.Equal(TestData.Json(meeting), TestData.Json(Assert.Single(await store.ReadMeetingsAsync(user, ct).ToListAsync())));

        await store.RemoveAsync(user, [messages[1].Id, meeting.Id, "unknown"], ct);
        Assert.Equal(messages.Count - 1, (await store.ReadMessagesAsync(user, ct).ToListAsync()).Count);
        Assert.Empty(await store.ReadMeetingsAsync(user, ct).ToListAsync());
    }

    [Fact]
    public async Task Ties_Replace_RemovesVanishedTies()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = _h.Get<ITieStore>();
        var user = TestData.NewUser();
        var first = Enumerable.Range(0, 150).Select(i => TestData.Tie($"c{i}@contoso.example", i)).ToList();
        var second = first.Skip(100).Select(t => t with { Score = t.Score + 1 }).Append(TestData.Tie("new/#?@x.example")).ToList();

        await store.ReplaceAsync(user, first, ct);
        Assert.Equal(150, (await store.ReadAsync(user, ct).ToListAsync()).Count);
        await store.ReplaceAsync(user, second, ct);
        var read = await store.ReadAsync(user, ct).ToListAsync();

        Assert.Equal(second.OrderBy(t => t.Contact, StringComparer.Ordinal), read.OrderBy(t => t.Contact, StringComparer.Ordinal));
        Assert.Equal(second[0], await store.GetAsync(user, second[0].Contact.ToUpperInvariant(), ct));
        Assert.Null(await store.GetAsync(user, "c0@contoso.example", ct));
    }

    [Fact]
    public async Task NudgesAndConversation_RoundTrip()
    {
        var ct = TestContext.Current.CancellationToken;
        var nudges = _h.Get<INudgeStore>();
        var conversations = _h.Get<IConversationReferenceStore>();
        var user = TestData.NewUser();
        var planned = new Nudge("2026-W10/c@x.example", "c@x.example", "reconnect", s_t0, null, NudgeStatus.Planned);
        var reference = new ConversationReference("https://smba.trafficmanager.net/emea/", "a:1#conv", "personal", "tid", "28:bot", "29:user", "oid", "msteams");

        await nudges.UpsertAsync(user, [planned], ct);
        await nudges.UpsertAsync(user, [planned with { Status = NudgeStatus.Sent, SentAt = s_t0.AddHours(1) }], ct);
        await conversations.SaveAsync(user, reference, ct);

        Assert.Equal(planned with { Status = NudgeStatus.Sent, SentAt = s_t0.AddHours(1) }, await nudges.GetAsync(user, planned.Id, ct));
        Assert.Single(await nudges.ReadAsync(user, ct).ToListAsync());
        Assert.Equal(reference, await conversations.GetAsync(user, ct));
        await nudges.RemoveAsync(user, planned.Id, ct);
        await conversations.RemoveAsync(user, ct);
        Assert.Empty(await nudges.ReadAsync(user, ct).ToListAsync());
        Assert.Null(await conversations.GetAsync(user, ct));
    }

    [Fact]
    public async Task Subscriptions_SaveReadRemove_RoundTrip()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = _h.Get<ISubscriptionStore>();
        var user = TestData.NewUser();
        var sub = new SubscriptionRecord("7f105c7d-2dc5-4530-97cd-4e7ae6534c07", user, "users/abc/mailFolders('inbox')/messages", "state", s_t0.AddDays(3));

        await store.SaveAsync(sub, ct);
        await store.SaveAsync(sub with { Id = "other/#?" }, ct);

        Assert.Equal(sub, await store.FindAsync(sub.Id, ct));
        Assert.Equal(2, (await store.ListAsync(user, ct)).Count);
        await store.DeleteAsync(sub.Id, ct);
        Assert.Null(await store.FindAsync(sub.Id, ct));
        Assert.Single(await store.ListAsync(user, ct));
    }

    [Fact]
    public async Task EngineState_SeveralMegabytes_RoundTripsAndReplaces()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = _h.Get<IEngineStateStore>();
        var user = TestData.NewUser();
        var big = new byte[3_500_000];
        new Random(42).NextBytes(big);
        var small = new byte[] { 1, 2, 3 };

        Assert.Null(await store.ReadAsync(user, ct));
        var v1 = await store.TryWriteAsync(user, big, null, ct);
        var read1 = await store.ReadAsync(user, ct);
        var v2 = await store.TryWriteAsync(user, small, v1, ct);
        var read2 = await store.ReadAsync(user, ct);

        Assert.NotNull(v1);
        Assert.True(read1!.Data.Span.SequenceEqual(big));
        Assert.Equal(v1, read1.Version);
        Assert.NotNull(v2);
        Assert.True(read2!.Data.Span.SequenceEqual(small));
        var rows = (await _h.ScanAllAsync(ct)).Where(r => r.Table == "engine").ToList();
        Assert.Equal(2, rows.Count); // the head and one chunk: the old generation's chunks are gone
    }

    [Fact]
    public async Task EngineState_StaleVersion_ReturnsNullAndKeepsCurrent()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = _h.Get<IEngineStateStore>();
        var user = TestData.NewUser();
        var v1 = await store.TryWriteAsync(user, new byte[] { 1 }, null, ct);
        var v2 = await store.TryWriteAsync(user, new byte[] { 2 }, v1, ct);

        var stale = await store.TryWriteAsync(user, new byte[] { 3 }, v1, ct);
        var createAgain = await store.TryWriteAsync(user, new byte[] { 4 }, null, ct);

        Assert.Null(stale);
        Assert.Null(createAgain);
        var current = await store.ReadAsync(user, ct);
        Assert.Equal(v2, current!.Version);
        Assert.Equal(new byte[] { 2 }, current.Data.ToArray());
        await store.DeleteAsync(user, ct);
        Assert.Null(await store.ReadAsync(user, ct));
    }
}
