using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TiesOffice.Application.Jobs;
using TiesOffice.Application.Ports;
using TiesOffice.Application.Scoring;
using TiesOffice.Application.Sync;
using TiesOffice.Domain.Metadata;
using TiesOffice.Infrastructure.Storage;
using TiesOffice.Testing;
using TiesOffice.Testing.Azurite;

namespace TiesOffice.Storage.Tests;

/// <summary>Counts the storage transactions of a simulated per-user sync, driven through the job processor (which holds the user lease).</summary>
public sealed class TransactionFigureTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset s_t0 = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task SimulatedSync_OneUser_TransactionsWithinBudget()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = StorageHarness.Create(azurite);
        await h.Get<StorageProvisioner>().EnsureCreatedAsync(ct);
        var user = TestData.NewUser();
        await h.Get<IUserDirectory>().EnrolAsync(new EnrolledUser(user, "me@x.example", null, null, s_t0, ConsentState.Active), ct);

        async Task<IReadOnlyDictionary<string, long>> SyncAsync(string jobId, int inbox, int sent, int meetings, int ties)
        {
            h.Counter.Reset();
            await h.Get<IJobQueue>().EnqueueAsync(new SyncJob(user.TenantId, user.UserId, "timer", DateTimeOffset.UtcNow, jobId), cancellationToken: ct);
            var result = await h.Get<IJobProcessor>().ProcessBatchAsync(
                async (job, token) =>
                {
                    var mailbox = h.Get<IMailboxStore>();
                    var sync = h.Get<ISyncStateStore>();
                    foreach (var stream in new[] { "inbox", "sentitems", "calendar" })
                    {
                        await sync.GetDeltaLinkAsync(job.User, stream, token);
                    }

                    await mailbox.UpsertMessagesAsync(job.User, Enumerable.Range(0, inbox).Select(i => TestData.Message($"{jobId}-in-{i}", s_t0)).ToList(), token);
                    await mailbox.UpsertMessagesAsync(job.User, Enumerable.Range(0, sent).Select(i => TestData.Message($"{jobId}-out-{i}", s_t0)).ToList(), token);
                    await mailbox.UpsertMeetingsAsync(job.User, Enumerable.Range(0, meetings).Select(i => TestData.Meeting($"{jobId}-ev-{i}", s_t0, 8)).ToList(), token);
                    foreach (var stream in new[] { "inbox", "sentitems", "calendar" })
                    {
                        await sync.SetDeltaLinkAsync(job.User, stream, "https://delta/" + jobId, token);
                    }

                    var engine = h.Get<IEngineStateStore>();
                    var state = await engine.ReadAsync(job.User, token);
                    await engine.TryWriteAsync(job.User, new byte[200_000], state?.Version, token);
                    await h.Get<ITieStore>().ReplaceAsync(job.User, Enumerable.Range(0, ties).Select(i => TestData.Tie($"c{i}@x.example")).ToList(), token);
                },
                cancellationToken: ct);
            Assert.Equal(1, result.Completed);
            return h.Counter.Snapshot();
        }

        var first = await SyncAsync("first", inbox: 250, sent: 120, meetings: 60, ties: 150);
        var incremental = await SyncAsync("second", inbox: 12, sent: 4, meetings: 2, ties: 150);

        var report = new System.Text.StringBuilder()
            .AppendLine($"first sync (250 in, 120 sent, 60 meetings, 150 ties): {first.Values.Sum()} transactions")
            .AppendLine(Breakdown(first, h.QueueName))
            .AppendLine($"incremental sync (12 in, 4 sent, 2 meetings, 150 ties): {incremental.Values.Sum()} transactions")
            .AppendLine(Breakdown(incremental, h.QueueName))
            .ToString();
        TestContext.Current.TestOutputHelper?.WriteLine(report);
        TestContext.Current.AddAttachment("storage-transactions", report);
        await File.WriteAllTextAsync(Path.Combine(AppContext.BaseDirectory, "storage-transactions.txt"), report, ct);

        Assert.InRange(first.Values.Sum(), 20, 40);
        Assert.InRange(incremental.Values.Sum(), 20, 32);
        Assert.Equal(3, incremental["queue:" + h.QueueName]); // enqueue, receive, delete
    }

    [Fact]
    public async Task UserJob_IdleSyncThroughTheJobProcessor_AtMostEightTableTransactions()
    {
        // The real per-user job over the real stores, with a scripted Graph: a first sync, then one that finds nothing new.
        var ct = TestContext.Current.CancellationToken;
        await using var h = StorageHarness.Create(azurite);
        await h.Get<StorageProvisioner>().EnsureCreatedAsync(ct);
        var user = TestData.NewUser();
        const string Me = "me@x.example";
        await h.Get<IUserDirectory>().EnrolAsync(new EnrolledUser(user, Me, null, null, s_t0, ConsentState.Active), ct);
        var graph = new ScriptedMailboxGraph();
        for (var i = 0; i < 40; i++)
        {
            var contact = $"c{i % 12}@x.example";
            var at = DateTimeOffset.UtcNow.AddDays(-i);
            graph.Add(user, new MailMessage($"out-{i}", Me, null, [contact], [], [], at, at, "conv-" + i, null, false, MailFolder.SentItems));
            graph.Add(user, new MailMessage($"in-{i}", contact, null, [Me], [], [], at.AddHours(1), at.AddHours(1), "conv-" + i, null, false, MailFolder.Inbox));
        }

        var state = h.Get<ISyncStateStore>();
        var tracker = new MailboxChangeTracker(h.Get<IMailboxStore>(), state);
        var sync = new MailboxSync(graph, tracker, state, h.Get<IUserDirectory>(), Options.Create(new MailboxSyncOptions()), TimeProvider.System, NullLogger<MailboxSync>.Instance);
        var scoring = new TieScoring(tracker, h.Get<IEngineStateStore>(), state, h.Get<ITieStore>(), h.Get<ISettingsStore>(), TimeProvider.System, NullLogger<TieScoring>.Instance);
        var handler = new UserSyncHandler(h.Get<IUserDirectory>(), state, sync, tracker, scoring, NullLogger<UserSyncHandler>.Instance);

        async Task<IReadOnlyDictionary<string, long>> RunAsync(string jobId)
        {
            h.Counter.Reset();
            await h.Get<IJobQueue>().EnqueueAsync(new SyncJob(user.TenantId, user.UserId, "timer", DateTimeOffset.UtcNow, jobId), cancellationToken: ct);
            var result = await h.Get<IJobProcessor>().ProcessBatchAsync((job, token) => handler.HandleAsync(job, token), cancellationToken: ct);
            Assert.Equal(1, result.Completed);
            return h.Counter.Snapshot();
        }

        var first = await RunAsync("first");
        var idle = await RunAsync("idle");

        var report = $"first sync: {Tables(first)} table transactions ({Breakdown(first, h.QueueName)})\nidle sync: {Tables(idle)} table transactions ({Breakdown(idle, h.QueueName)})";
        TestContext.Current.TestOutputHelper?.WriteLine(report);
        Assert.True(Tables(first) > Tables(idle), report);
        Assert.InRange(Tables(idle), 1, 8);
        Assert.Equal(0, idle.Where(p => p.Key is "table:ties" or "table:engine" or "table:$batch").Sum(p => p.Value));

        static long Tables(IReadOnlyDictionary<string, long> counts) => counts.Where(p => p.Key.StartsWith("table:", StringComparison.Ordinal)).Sum(p => p.Value);
    }

    [Fact]
    public async Task Attribute_RequestsInsideTheScope_AreCountedApartButStillInTheTotal()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = StorageHarness.Create(azurite);
        await h.Get<StorageProvisioner>().EnsureCreatedAsync(ct);
        var user = TestData.NewUser();
        h.Counter.Reset();

        await h.Get<ITieStore>().ReplaceAsync(user, [TestData.Tie("c@x.example")], ct);
        var work = h.Counter.Total;
        using (h.Counter.Attribute("progress"))
        {
            await foreach (var _ in h.Get<ITieStore>().ReadAsync(user, ct))
            {
            }
        }

        var afterScope = h.Counter.Total;
        await foreach (var _ in h.Get<ITieStore>().ReadAsync(user, ct))
        {
        }

        var snapshot = h.Counter.Snapshot();
        Assert.True(work > 0);
        Assert.True(afterScope > work);
        Assert.Equal(afterScope - work, h.Counter.CountFor("progress"));
        Assert.Equal(afterScope - work, snapshot.Where(p => p.Key.StartsWith("progress/", StringComparison.Ordinal)).Sum(p => p.Value));
        Assert.Equal(h.Counter.Total, snapshot.Values.Sum());
        Assert.Equal(0, h.Counter.CountFor("other"));
    }

    private static string Breakdown(IReadOnlyDictionary<string, long> counts, string queueName) => string.Join(
        ", ",
        counts.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key.Replace(queueName, "jobs", StringComparison.Ordinal)}={p.Value}"));
}
