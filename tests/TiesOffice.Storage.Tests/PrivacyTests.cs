using Azure.Data.Tables;
using Microsoft.Extensions.Time.Testing;
using TiesOffice.Application;
using TiesOffice.Application.Ports;
using TiesOffice.Application.Proactive;
using TiesOffice.Application.Sync;
using TiesOffice.Infrastructure.Storage;
using TiesOffice.Testing.Azurite;

namespace TiesOffice.Storage.Tests;

public sealed class PrivacyTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset s_now = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(s_now);
    private StorageHarness _h = null!;

    public ValueTask InitializeAsync()
    {
        _h = StorageHarness.Create(azurite, o => o.RetentionPeriod = TimeSpan.FromDays(30), _clock);
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _h.DisposeAsync();

    [Fact]
    public async Task Export_UserWithDataEverywhere_ContainsEverythingAndNoSubject()
    {
        var ct = TestContext.Current.CancellationToken;
        var user = TestData.NewUser();
        var other = new UserKey(user.TenantId, user.UserId + "-other");
        await SeedAsync(user, ct);
        await SeedAsync(other, ct);

        var export = await _h.Get<IPrivacyOperations>().ExportAsync(user, ct);
        var json = export.ToJson();

        Assert.Equal(user, export.Enrolment!.User);
        Assert.Equal(new UserSettings(7, "Europe/Paris"), export.Settings);
        Assert.Single(export.Overrides);
        Assert.Equal("https://delta/inbox", export.SyncState["inbox"]);
        Assert.Equal(3, export.Messages.Count);
        Assert.Single(export.Meetings);
        Assert.Equal(2, export.Ties.Count);
        Assert.Equal(1_000_000, export.EngineStateBytes);
        Assert.Equal([("n1", NudgeStatus.Planned), ("n2", NudgeStatus.Sent)], export.Nudges.Select(n => (n.Id, n.Status)).Order());
        Assert.Equal(["2026-W09", "2026-W10"], export.DigestClaims!.Select(c => c.Week));
        Assert.Equal((DeliveryOutcome.Sent, ProactiveChannel.Outlook), (export.DigestClaims![0].Outcome!.Value, export.DigestClaims[0].Channel!.Value));
        Assert.Equal(user, export.TeamsUserIndex!.User);
        Assert.Contains("\"channel\": \"Outlook\"", json, StringComparison.Ordinal);
        Assert.Contains("\"week\": \"2026-W10\"", json, StringComparison.Ordinal);
        Assert.Equal("conv", export.ConversationReference!.ConversationId);
        Assert.Equal(["done-job"], export.CompletedJobs);
        Assert.Equal("sub-1-" + user.UserId, Assert.Single(export.Subscriptions).Id);
        Assert.DoesNotContain("secret-client-state", json, StringComparison.Ordinal);
        Assert.Contains("\"consent\": \"Active\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("Secret subject", json, StringComparison.Ordinal);
        Assert.DoesNotContain(other.UserId, json, StringComparison.Ordinal);
        AssertLogsArePrivate(user, other);
    }

    [Fact]
    public async Task Erase_UserWithDataEverywhere_LeavesNoRowOrJobAndOthersUntouched()
    {
        var ct = TestContext.Current.CancellationToken;
        var user = TestData.NewUser();
        var other = new UserKey(user.TenantId, user.UserId + "-other");
        await SeedAsync(user, ct);
        await SeedAsync(other, ct);
        await _h.Get<IJobQueue>().EnqueueAsync(new SyncJob(user.TenantId, user.UserId, "timer", s_now, "q1"), cancellationToken: ct);
        await _h.Get<IJobQueue>().EnqueueAsync(new SyncJob(other.TenantId, other.UserId, "timer", s_now, "q2"), cancellationToken: ct);
        await _h.Get<IJobQueue>().EnqueueAsync(new SyncJob(user.TenantId, user.UserId, "timer", s_now, "q3"), cancellationToken: ct);
        var otherRowsBefore = (await _h.ScanAllAsync(ct)).Count(r => Owns(other, r));

        var result = await _h.Get<IPrivacyOperations>().EraseAsync(user, ct);
        var rows = await _h.ScanAllAsync(ct);

        Assert.DoesNotContain(rows, r => Owns(user, r));
        Assert.Equal(otherRowsBefore, rows.Count(r => Owns(other, r)));
        Assert.Equal(2, result.QueuedJobsDeleted);
        Assert.Equal(["sub-1-" + user.UserId], result.SubscriptionIds);
        Assert.Null(await _h.Get<ISubscriptionStore>().FindAsync("sub-1-" + user.UserId, ct));
        Assert.NotNull(await _h.Get<ISubscriptionStore>().FindAsync("sub-1-" + other.UserId, ct));
        Assert.True(result.TotalRows >= 12, $"only {result.TotalRows} rows deleted");
        Assert.Equal((1, 0), await _h.Get<IJobProcessor>().GetDepthAsync(ct));
        Assert.False(await _h.Get<IUserDirectory>().IsSyncAllowedAsync(user, ct));
        var after = await _h.Get<IPrivacyOperations>().ExportAsync(user, ct);
        Assert.Null(after.Enrolment);
        Assert.Empty(after.Messages);
        Assert.Empty(after.Nudges);
        Assert.Empty(after.DigestClaims!);
        Assert.Null(after.TeamsUserIndex);
        Assert.Null(await _h.Get<ITeamsUserIndex>().FindAsync(user.UserId, ct));
        Assert.Null(await _h.Get<IDigestClaimStore>().GetAsync(user, "2026-W09", ct));
        Assert.Equal(user.UserId + "-other", (await _h.Get<ITeamsUserIndex>().FindAsync(other.UserId, ct))!.Value.UserId);
        Assert.Equal(2, (await _h.Get<IPrivacyOperations>().ExportAsync(other, ct)).DigestClaims!.Count);
        AssertLogsArePrivate(user, other);
    }

    [Fact]
    public async Task Erase_ThenSyncJobArrives_DroppedAndNothingWritten()
    {
        var ct = TestContext.Current.CancellationToken;
        var user = TestData.NewUser();
        await SeedAsync(user, ct);
        await _h.Get<IPrivacyOperations>().EraseAsync(user, ct);
        await _h.Get<IJobQueue>().EnqueueAsync(new SyncJob(user.TenantId, user.UserId, "timer", s_now, "late"), cancellationToken: ct);

        var result = await _h.Get<IJobProcessor>().ProcessBatchAsync(
            (job, token) => _h.Get<IMailboxStore>().UpsertMessagesAsync(job.User, [TestData.Message("resurrected", s_now)], token),
            cancellationToken: ct);

        Assert.Equal(1, result.Dropped);
        Assert.DoesNotContain(await _h.ScanAllAsync(ct), r => Owns(user, r));

        // Only a new enrolment (new consent) lets the user be synced again.
        await _h.Get<IUserDirectory>().EnrolAsync(new EnrolledUser(user, "me@x.example", null, null, s_now, ConsentState.Active), ct);
        Assert.True(await _h.Get<IUserDirectory>().IsSyncAllowedAsync(user, ct));
    }

    [Fact]
    public async Task Erase_SyncHoldsLease_WaitsForRelease()
    {
        var ct = TestContext.Current.CancellationToken;
        // The wait is a backstop, not an expectation: the erase goes on as soon as the lease is released, so a long
        // bound keeps a starved machine (the steps below taking over 20 s) from letting the erase run early.
        await using var h = StorageHarness.Create(azurite, o => o.EraseLeaseWait = TimeSpan.FromMinutes(10));
        var user = TestData.NewUser();
        await h.Get<IUserDirectory>().EnrolAsync(new EnrolledUser(user, "me@x.example", null, null, s_now, ConsentState.Active), ct);
        var lease = await h.Get<IUserLease>().TryAcquireAsync(user, "sync-host", ct);

        var erase = h.Get<IPrivacyOperations>().EraseAsync(user, ct);
        await Task.Delay(600, ct);
        var finishedEarly = erase.IsCompleted;
        await h.Get<IMailboxStore>().UpsertMessagesAsync(user, [TestData.Message("last-page", s_now)], ct); // the sync's last write
        await h.Get<IUserLease>().ReleaseAsync(lease!, ct);
        await erase;

        Assert.False(finishedEarly);
        Assert.DoesNotContain(await h.ScanAllAsync(ct), r => Owns(user, r));
    }

    [Fact]
    public async Task ApplyRetention_MixedAges_DropsOnlyOldItemsOfThatUser()
    {
        var ct = TestContext.Current.CancellationToken;
        var user = TestData.NewUser();
        var other = TestData.NewUser();
        var store = _h.Get<IMailboxStore>();
        var old = s_now.AddDays(-40);
        var recent = s_now.AddDays(-10);
        var random = new Random(1);
        var hugeOld = TestData.Message("huge-old", old) with
        {
            To = Enumerable.Range(0, 10_000).Select(_ => new string(Enumerable.Range(0, 150).Select(_ => (char)random.Next('a', 'z' + 1)).ToArray()) + "@x.example").ToList(),
        };
        await store.UpsertMessagesAsync(user, [TestData.Message("old", old), TestData.Message("recent", recent), hugeOld], ct);
        await store.UpsertMeetingsAsync(user, [TestData.Meeting("old-meeting", old), TestData.Meeting("recent-meeting", recent)], ct);
        await store.UpsertMessagesAsync(other, [TestData.Message("old", old)], ct);
        Assert.Contains(await _h.ScanAllAsync(ct), r => Owns(user, r) && r.Row.RowKey.StartsWith("x|", StringComparison.Ordinal));

        var removed = await _h.Get<IPrivacyOperations>().ApplyRetentionAsync(user, ct);

        Assert.Equal(3, removed);
        Assert.Equal(["recent"], (await store.ReadMessagesAsync(user, ct).ToListAsync()).Select(m => m.Id));
        Assert.Equal(["recent-meeting"], (await store.ReadMeetingsAsync(user, ct).ToListAsync()).Select(m => m.Id));
        Assert.Single(await store.ReadMessagesAsync(other, ct).ToListAsync());
        Assert.DoesNotContain(await _h.ScanAllAsync(ct), r => Owns(user, r) && r.Row.RowKey.StartsWith("x|", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Keys_AfterWritingEverything_NoAddressInAnyKeyAndContactKeysDifferPerTenant()
    {
        var ct = TestContext.Current.CancellationToken;
        var a = TestData.NewUser("tenant-a");
        var b = TestData.NewUser("tenant-b");
        await SeedAsync(a, ct);
        await SeedAsync(b, ct);

        var rows = await _h.ScanAllAsync(ct);
        var tieKeys = rows.Where(r => r.Table == "ties" && r.Row.GetString("Contact") == "x@x.example").Select(r => r.Row.RowKey).ToList();

        Assert.DoesNotContain(rows, r => r.Row.PartitionKey.Contains('@', StringComparison.Ordinal) || r.Row.RowKey.Contains('@', StringComparison.Ordinal));
        Assert.Equal(2, tieKeys.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal("x@x.example", (await _h.Get<ITieStore>().GetAsync(a, " X@x.Example ", ct))?.Contact);
    }

    private async Task SeedAsync(UserKey user, CancellationToken ct)
    {
        await _h.Get<IUserDirectory>().EnrolAsync(new EnrolledUser(user, "me@x.example", "Me", "Europe/Paris", s_now, ConsentState.Active), ct);
        await _h.Get<ISettingsStore>().SaveSettingsAsync(user, new UserSettings(7, "Europe/Paris"), ct);
        await _h.Get<ISettingsStore>().SaveOverrideAsync(user, new ContactOverride("muted@x.example", Muted: true), ct);
        await _h.Get<ISyncStateStore>().SetDeltaLinkAsync(user, "inbox", "https://delta/inbox", ct);
        await _h.Get<IMailboxStore>().UpsertMessagesAsync(user, [TestData.Message("a", s_now), TestData.Message("b", s_now), TestData.Message("c", s_now, recipients: 3000)], ct);
        await _h.Get<IMailboxStore>().UpsertMeetingsAsync(user, [TestData.Meeting("e", s_now)], ct);
        await _h.Get<ITieStore>().ReplaceAsync(user, [TestData.Tie("x@x.example"), TestData.Tie("y@x.example")], ct);
        await _h.Get<IEngineStateStore>().TryWriteAsync(user, new byte[1_000_000], null, ct);
        await _h.Get<INudgeStore>().UpsertAsync(user, [new Nudge("n1", "x@x.example", "reconnect", s_now, null, NudgeStatus.Planned), new Nudge("n2", "y@x.example", "reconnect", s_now, s_now, NudgeStatus.Sent)], ct);
        await _h.Get<IDigestClaimStore>().TryClaimAsync(user, new DigestClaim("2026-W09", s_now, DeliveryOutcome.Sent, ProactiveChannel.Outlook), ct);
        await _h.Get<IDigestClaimStore>().TryClaimAsync(user, new DigestClaim("2026-W10", s_now, DeliveryOutcome.Blocked), ct);
        await _h.Get<IConversationReferenceStore>().SaveAsync(user, new ConversationReference("https://s/", "conv", "personal", null, "bot", "u", null, "msteams"), ct);
        await _h.Get<IJobProcessor>().HandleDeliveredAsync(
            $$"""{"tenantId":"{{user.TenantId}}","userId":"{{user.UserId}}","reason":"timer","requestedAt":"2026-03-01T09:00:00Z","jobId":"done-job"}""",
            (_, _) => Task.CompletedTask,
            ct);
        await _h.Get<ISubscriptionStore>().SaveAsync(new SubscriptionRecord("sub-1-" + user.UserId, user, "users/x/messages", "secret-client-state", s_now.AddDays(2)), ct);
        var lease = await _h.Get<IUserLease>().TryAcquireAsync(user, "host", ct);
        await _h.Get<IUserLease>().ReleaseAsync(lease!, ct);
        await _h.Get<IUserLease>().TryAcquireAsync(user, "host", ct);
        _clock.Advance(TimeSpan.FromMinutes(10)); // the lease lapses, as after a crash; erase must still remove its row
    }

    private static bool Owns(UserKey user, (string Table, TableEntity Row) row) =>
        row.Table == "users"
            ? row.Row.PartitionKey == KeyEncoding.Encode(user.TenantId) && row.Row.RowKey == KeyEncoding.Encode(user.UserId)
            : row.Row.PartitionKey == KeyEncoding.Encode(user.TenantId) + "|" + KeyEncoding.Encode(user.UserId);

    private void AssertLogsArePrivate(params UserKey[] users)
    {
        Assert.NotEmpty(_h.Logs.Lines);
        foreach (var line in _h.Logs.Lines)
        {
            Assert.DoesNotContain("@x.example", line, StringComparison.Ordinal);
            Assert.DoesNotContain("Secret subject", line, StringComparison.Ordinal);
            Assert.DoesNotContain("delta/", line, StringComparison.Ordinal);
            foreach (var user in users)
            {
                Assert.DoesNotContain(user.UserId, line, StringComparison.Ordinal);
                Assert.DoesNotContain(user.TenantId, line, StringComparison.Ordinal);
            }
        }
    }
}
