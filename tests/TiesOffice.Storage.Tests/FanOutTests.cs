using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using TiesOffice.Application;
using TiesOffice.Application.Jobs;
using TiesOffice.Application.Ports;
using TiesOffice.Application.Sync;
using TiesOffice.Infrastructure.Storage;
using TiesOffice.Testing.Azurite;

namespace TiesOffice.Storage.Tests;

/// <summary>
/// The timer's fan-out at scale: spread over the interval, one job per active user per tick, and timer jobs that queued
/// up behind a backlog dropped for one read. Every queue send is seen on the wire, through a loopback proxy in front of
/// Azurite, so the tests read each message's visibility delay as Queue storage received it, without waiting for it.
/// </summary>
public sealed partial class FanOutTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset s_t0 = new(2026, 12, 6, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan s_interval = TimeSpan.FromMinutes(15);
    private readonly ConcurrentQueue<(UserKey User, string JobId, int DelaySeconds)> _sent = new();
    private FaultInjectingProxy _queues = null!;

    public async ValueTask InitializeAsync()
    {
        _queues = await FaultInjectingProxy.StartAsync(azurite.QueueEndpoint, TestContext.Current.CancellationToken);
        _queues.Observer = Record;
    }

    public async ValueTask DisposeAsync() => await _queues.DisposeAsync();

    [Fact]
    public async Task EnqueueForActiveUsers_SpreadOverTheInterval_EachActiveUserOnceAtItsOwnFixedOffset()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = Harness();
        var active = await EnrolAsync(h, 60, ct);
        var lapsed = await EnrolAsync(h, 1, ct);
        var erased = await EnrolAsync(h, 1, ct);
        await h.Get<IUserDirectory>().SetConsentAsync(lapsed[0], ConsentState.NeedsConsent, ct);
        await h.Get<IUserDirectory>().SetConsentAsync(erased[0], ConsentState.Erased, ct);

        var queued = await h.Get<IJobQueue>().EnqueueForActiveUsersAsync("timer", "202612060900", s_t0, s_interval, ct);
        var firstTick = _sent.ToArray();
        _sent.Clear();
        await h.Get<IJobQueue>().EnqueueForActiveUsersAsync("timer", "202612060915", s_t0 + s_interval, s_interval, ct);
        var secondTick = _sent.ToArray();

        Assert.Equal(60, queued);
        Assert.Equal(Sorted(active), Sorted(firstTick.Select(s => s.User)));
        Assert.All(firstTick, s => Assert.Equal("timer:202612060900", s.JobId));
        Assert.All(firstTick, s => Assert.Equal((int)FanOutSpread.DelayFor(s.User, s_interval).TotalSeconds, s.DelaySeconds));
        Assert.All(firstTick, s => Assert.InRange(s.DelaySeconds, 0, (int)s_interval.TotalSeconds - 1));
        Assert.True(firstTick.Select(s => s.DelaySeconds).Distinct().Count() > 1, "every user got the same delay: nothing is spread");
        Assert.Equal(
            firstTick.ToDictionary(s => s.User, s => s.DelaySeconds),
            secondTick.ToDictionary(s => s.User, s => s.DelaySeconds));
    }

    [Fact]
    public async Task EnqueueForActiveUsers_NoSpread_EveryActiveUserVisibleAtOnceAndSyncedExactlyOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = Harness(o => o.FanOutParallelism = 8);
        var active = await EnrolAsync(h, 70, ct);
        var synced = new ConcurrentQueue<UserKey>();

        var queued = await h.Get<IJobQueue>().EnqueueForActiveUsersAsync("timer", "manual-1", DateTimeOffset.UtcNow, TimeSpan.Zero, ct);
        for (var i = 0; i < 10 && (await h.Get<IJobProcessor>().GetDepthAsync(ct)).Pending > 0; i++)
        {
            await h.Get<IJobProcessor>().ProcessBatchAsync((job, _) => { synced.Enqueue(job.User); return Task.CompletedTask; }, 32, maxConcurrency: 4, cancellationToken: ct);
        }

        Assert.Equal(70, queued);
        Assert.All(_sent, s => Assert.Equal(0, s.DelaySeconds));
        Assert.Equal(Sorted(active), Sorted(synced));
    }

    [Fact]
    public async Task HandleDelivered_TimerJobsQueuedBehindABacklog_DroppedForOneReadWithoutRunning()
    {
        // Tick 1 (09:00) waited behind a backlog and ran at 09:40; ticks 2 and 3 (09:15, 09:30) queued meanwhile.
        var ct = TestContext.Current.CancellationToken;
        var clock = new FakeTimeProvider(s_t0);
        await using var h = Harness(clock: clock);
        var user = (await EnrolAsync(h, 1, ct))[0];
        var runs = new ConcurrentQueue<string>();
        Task Handler(SyncJob job, CancellationToken _)
        {
            runs.Enqueue(job.JobId);
            return Task.CompletedTask;
        }

        clock.Advance(TimeSpan.FromMinutes(40));
        var first = await h.Get<IJobProcessor>().HandleDeliveredAsync(Text(user, "timer:0900", s_t0), Handler, ct);
        h.Counter.Reset();
        var second = await h.Get<IJobProcessor>().HandleDeliveredAsync(Text(user, "timer:0915", s_t0.AddMinutes(15)), Handler, ct);
        var secondCost = h.Counter.Snapshot();
        var third = await h.Get<IJobProcessor>().HandleDeliveredAsync(Text(user, "timer:0930", s_t0.AddMinutes(30)), Handler, ct);

        // A job requested after that sync started (mail may have arrived since) runs.
        clock.Advance(TimeSpan.FromMinutes(5));
        var fourth = await h.Get<IJobProcessor>().HandleDeliveredAsync(Text(user, "notify:1", s_t0.AddMinutes(41)), Handler, ct);

        Assert.Equal([JobOutcome.Completed, JobOutcome.Duplicate, JobOutcome.Duplicate, JobOutcome.Completed], new[] { first, second, third, fourth });
        Assert.Equal(["timer:0900", "notify:1"], runs);
        Assert.Equal(new Dictionary<string, long> { ["table:jobs"] = 1 }, secondCost);
    }

    [Theory]
    [InlineData(SyncWorkReason.ReauthorizationRequired)]
    [InlineData(SyncWorkReason.SubscriptionRemoved)]
    public async Task HandleDelivered_LifecycleJobRequestedBeforeALaterSync_StillRunsBecauseNoOtherJobRenewsTheSubscription(SyncWorkReason kind)
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new FakeTimeProvider(s_t0);
        await using var h = Harness(clock: clock);
        var user = (await EnrolAsync(h, 1, ct))[0];
        var runs = new ConcurrentQueue<string>();
        Task Handler(SyncJob job, CancellationToken _)
        {
            runs.Enqueue(job.JobId);
            return Task.CompletedTask;
        }

        var lifecycle = new SyncJob(user.TenantId, user.UserId, "notification", s_t0, "notify:lifecycle") { Notification = new JobNotification(kind, "sub-1") };
        var changed = new SyncJob(user.TenantId, user.UserId, "notification", s_t0, "notify:changed") { Notification = new JobNotification(SyncWorkReason.Changed, "sub-1") };
        clock.Advance(TimeSpan.FromMinutes(5));
        await h.Get<IJobProcessor>().HandleDeliveredAsync(Text(user, "timer:0905", s_t0.AddMinutes(5)), Handler, ct);

        var lifecycleOutcome = await h.Get<IJobProcessor>().HandleDeliveredAsync(QueueJobQueue.Serialize(lifecycle).ToString(), Handler, ct);
        var changedOutcome = await h.Get<IJobProcessor>().HandleDeliveredAsync(QueueJobQueue.Serialize(changed).ToString(), Handler, ct);
        var again = await h.Get<IJobProcessor>().HandleDeliveredAsync(QueueJobQueue.Serialize(lifecycle).ToString(), Handler, ct);

        Assert.Equal([JobOutcome.Completed, JobOutcome.Duplicate, JobOutcome.Duplicate], new[] { lifecycleOutcome, changedOutcome, again });
        Assert.Equal(["timer:0905", "notify:lifecycle"], runs);
    }

    [Fact]
    public async Task ProcessBatch_BacklogOfTicksForTwoUsers_EachUserSyncedOnceAndTheRestDuplicates()
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new FakeTimeProvider(s_t0.AddMinutes(45));
        await using var h = Harness(clock: clock);
        var users = await EnrolAsync(h, 2, ct);
        foreach (var user in users)
        {
            foreach (var minutes in new[] { 0, 15, 30 })
            {
                await h.Get<IJobQueue>().EnqueueAsync(new SyncJob(user.TenantId, user.UserId, "timer", s_t0.AddMinutes(minutes), $"timer:{minutes}"), cancellationToken: ct);
            }
        }

        var synced = new ConcurrentQueue<UserKey>();
        var result = await h.Get<IJobProcessor>().ProcessBatchAsync((job, _) => { synced.Enqueue(job.User); return Task.CompletedTask; }, 32, maxConcurrency: 1, cancellationToken: ct);

        Assert.Equal(new JobBatchResult(6, 2, 4, 0, 0, 0), result);
        Assert.Equal(Sorted(users), Sorted(synced));
    }

    private StorageHarness Harness(Action<StorageOptions>? configure = null, TimeProvider? clock = null) =>
        StorageHarness.Create(azurite, configure, clock: clock, connectionString: azurite.ConnectionStringFor(azurite.TableEndpoint, _queues.Endpoint));

    private static async Task<List<UserKey>> EnrolAsync(StorageHarness h, int count, CancellationToken ct)
    {
        var users = new List<UserKey>();
        for (var i = 0; i < count; i++)
        {
            var user = TestData.NewUser();
            await h.Get<IUserDirectory>().EnrolAsync(new EnrolledUser(user, $"u{i}@x.example", null, null, s_t0, ConsentState.Active), ct);
            users.Add(user);
        }

        return users;
    }

    private static string Text(UserKey user, string jobId, DateTimeOffset requestedAt) =>
        QueueJobQueue.Serialize(new SyncJob(user.TenantId, user.UserId, "timer", requestedAt, jobId)).ToString();

    private static List<string> Sorted(IEnumerable<UserKey> users) => users.Select(u => u.ToString()).Order(StringComparer.Ordinal).ToList();

    /// <summary>Records each job message sent to a queue: whose it is, its job id, and its visibility delay (0 when none).</summary>
    private void Record(string method, string pathAndQuery, byte[] body)
    {
        if (method != "POST" || !pathAndQuery.Contains("/messages", StringComparison.Ordinal))
        {
            return;
        }

        var text = MessageText().Match(Encoding.UTF8.GetString(body)).Groups[1].Value;
        using var json = JsonDocument.Parse(Convert.FromBase64String(text));
        var root = json.RootElement;
        var user = new UserKey(root.GetProperty("tenantId").GetString()!, root.GetProperty("userId").GetString()!);
        var delay = Visibility().Match(pathAndQuery) is { Success: true } m ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        _sent.Enqueue((user, root.GetProperty("jobId").GetString()!, delay));
    }

    [GeneratedRegex("<MessageText>(.*)</MessageText>", RegexOptions.Singleline)]
    private static partial Regex MessageText();

    [GeneratedRegex("[?&]visibilitytimeout=([0-9]+)")]
    private static partial Regex Visibility();
}
