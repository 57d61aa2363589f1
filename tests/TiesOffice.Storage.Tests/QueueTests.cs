using System.Collections.Concurrent;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using TiesOffice.Application;
using TiesOffice.Application.Ports;
using TiesOffice.Application.Sync;
using TiesOffice.Infrastructure.Storage;
using TiesOffice.Testing.Azurite;

namespace TiesOffice.Storage.Tests;

public sealed class QueueTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset s_t0 = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private StorageHarness _h = null!;

    public ValueTask InitializeAsync()
    {
        _h = StorageHarness.Create(azurite, o => o.VisibilityTimeout = TimeSpan.FromSeconds(30));
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _h.DisposeAsync();

    [Fact]
    public async Task ProcessBatch_EnrolledUser_HandlerRunsAndMessageDeleted()
    {
        var ct = TestContext.Current.CancellationToken;
        var user = await EnrolAsync(ct);
        var handled = new ConcurrentBag<SyncJob>();
        var job = new SyncJob(user.TenantId, user.UserId, "timer", s_t0, "job-1");

        await _h.Get<IJobQueue>().EnqueueAsync(job, cancellationToken: ct);
        var result = await _h.Get<IJobProcessor>().ProcessBatchAsync((j, _) => { handled.Add(j); return Task.CompletedTask; }, cancellationToken: ct);

        Assert.Equal(new JobBatchResult(1, 1, 0, 0, 0, 0), result);
        Assert.Equal(job, Assert.Single(handled));
        Assert.Equal((0, 0), await _h.Get<IJobProcessor>().GetDepthAsync(ct));
    }

    [Fact]
    public async Task ProcessBatch_SameMessageDeliveredTwice_OneEffect()
    {
        var ct = TestContext.Current.CancellationToken;
        var user = await EnrolAsync(ct);
        var job = new SyncJob(user.TenantId, user.UserId, "notification", s_t0, "dup-job");
        var effects = 0;
        await _h.Get<IJobQueue>().EnqueueAsync(job, cancellationToken: ct);
        await _h.Get<IJobQueue>().EnqueueAsync(job, cancellationToken: ct);

        var first = await _h.Get<IJobProcessor>().ProcessBatchAsync((_, _) => { Interlocked.Increment(ref effects); return Task.CompletedTask; }, maxMessages: 1, cancellationToken: ct);
        var second = await _h.Get<IJobProcessor>().ProcessBatchAsync((_, _) => { Interlocked.Increment(ref effects); return Task.CompletedTask; }, maxMessages: 1, cancellationToken: ct);

        Assert.Equal(1, effects);
        Assert.Equal(1, first.Completed);
        Assert.Equal(1, second.Duplicates);
        Assert.Equal((0, 0), await _h.Get<IJobProcessor>().GetDepthAsync(ct));
    }

    [Fact]
    public async Task ProcessBatch_MalformedMessages_GoToPoisonAndLaterOnesProcessed()
    {
        var ct = TestContext.Current.CancellationToken;
        var user = await EnrolAsync(ct);
        var raw = _h.RawQueue();
        await raw.CreateIfNotExistsAsync(cancellationToken: ct);
        await raw.SendMessageAsync("{ not json", cancellationToken: ct);
        await raw.SendMessageAsync("""{"tenantId":"t","reason":"timer"}""", cancellationToken: ct);
        var notBase64 = new QueueClient(_h.ConnectionString, _h.QueueName, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });
        await notBase64.SendMessageAsync("%%% not base64 %%%", cancellationToken: ct);
        await _h.Get<IJobQueue>().EnqueueAsync(new SyncJob(user.TenantId, user.UserId, "timer", s_t0, "good"), cancellationToken: ct);
        var handled = new ConcurrentBag<string>();

        var total = new JobBatchResult(0, 0, 0, 0, 0, 0);
        for (var i = 0; i < 5 && (await _h.Get<IJobProcessor>().GetDepthAsync(ct)).Pending > 0; i++)
        {
            var r = await _h.Get<IJobProcessor>().ProcessBatchAsync((j, _) => { handled.Add(j.JobId); return Task.CompletedTask; }, cancellationToken: ct);
            total = new JobBatchResult(total.Received + r.Received, total.Completed + r.Completed, 0, 0, total.Retrying + r.Retrying, total.Poisoned + r.Poisoned);
        }

        Assert.Equal(["good"], handled);
        Assert.Equal(2, total.Poisoned);
        Assert.Equal((0, 3), await _h.Get<IJobProcessor>().GetDepthAsync(ct));
        Assert.Contains(_h.Logs.Lines, l => l.Contains("[4204]", StringComparison.Ordinal) && l.Contains("missing userId, jobId, requestedAt", StringComparison.Ordinal));
        Assert.Contains(_h.Logs.Lines, l => l.Contains("[4204]", StringComparison.Ordinal) && l.Contains("not valid JSON", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ProcessBatch_HandlerFailsFiveTimes_MovedToPoisonWithoutBlockingOthers()
    {
        var ct = TestContext.Current.CancellationToken;
        var user = await EnrolAsync(ct);
        var other = await EnrolAsync(ct);
        var attempts = 0;
        var good = 0;
        await _h.Get<IJobQueue>().EnqueueAsync(new SyncJob(user.TenantId, user.UserId, "timer", s_t0, "bad"), cancellationToken: ct);
        await _h.Get<IJobQueue>().EnqueueAsync(new SyncJob(other.TenantId, other.UserId, "timer", s_t0, "good"), cancellationToken: ct);

        Task Handler(SyncJob job, CancellationToken _)
        {
            if (job.JobId == "bad")
            {
                Interlocked.Increment(ref attempts);
                throw new InvalidOperationException("Graph is down");
            }

            Interlocked.Increment(ref good);
            return Task.CompletedTask;
        }

        for (var i = 0; i < 20 && (await _h.Get<IJobProcessor>().GetDepthAsync(ct)).Pending > 0; i++)
        {
            await _h.Get<IJobProcessor>().ProcessBatchAsync(Handler, cancellationToken: ct);
            await Task.Delay(50, ct);
        }

        Assert.Equal(5, attempts);
        Assert.Equal(1, good);
        Assert.Equal((0, 1), await _h.Get<IJobProcessor>().GetDepthAsync(ct));
    }

    [Fact]
    public async Task ProcessBatch_UserNotActive_JobDroppedWithoutRunning()
    {
        var ct = TestContext.Current.CancellationToken;
        var user = await EnrolAsync(ct);
        await _h.Get<IUserDirectory>().SetConsentAsync(user, ConsentState.NeedsConsent, ct);
        var stranger = TestData.NewUser();
        var ran = 0;
        await _h.Get<IJobQueue>().EnqueueAsync(new SyncJob(user.TenantId, user.UserId, "timer", s_t0, "j1"), cancellationToken: ct);
        await _h.Get<IJobQueue>().EnqueueAsync(new SyncJob(stranger.TenantId, stranger.UserId, "timer", s_t0, "j2"), cancellationToken: ct);

        var result = await _h.Get<IJobProcessor>().ProcessBatchAsync((_, _) => { ran++; return Task.CompletedTask; }, cancellationToken: ct);

        Assert.Equal(0, ran);
        Assert.Equal(2, result.Dropped);
    }

    [Fact]
    public async Task EnqueueForActiveUsers_SameRunFiredByTwoHosts_EachActiveUserSyncedOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        var active = new[] { await EnrolAsync(ct), await EnrolAsync(ct), await EnrolAsync(ct) };
        var inactive = await EnrolAsync(ct);
        await _h.Get<IUserDirectory>().SetConsentAsync(inactive, ConsentState.NeedsConsent, ct);
        var synced = new ConcurrentBag<UserKey>();

        var first = await _h.Get<IJobQueue>().EnqueueForActiveUsersAsync("timer", "202603010900", s_t0, TimeSpan.Zero, ct);
        var second = await _h.Get<IJobQueue>().EnqueueForActiveUsersAsync("timer", "202603010900", s_t0, TimeSpan.Zero, ct);
        for (var i = 0; i < 5 && (await _h.Get<IJobProcessor>().GetDepthAsync(ct)).Pending > 0; i++)
        {
            await _h.Get<IJobProcessor>().ProcessBatchAsync((job, _) => { synced.Add(job.User); return Task.CompletedTask; }, 32, maxConcurrency: 4, cancellationToken: ct);
        }

        Assert.Equal(3, first);
        Assert.Equal(3, second);
        Assert.Equal(active.OrderBy(u => u.UserId, StringComparer.Ordinal), synced.OrderBy(u => u.UserId, StringComparer.Ordinal));
    }

    [Fact]
    public async Task HandleDelivered_SecondCopyPassedEarlyCheckWhileFirstRan_SecondIsDuplicateUnderLease()
    {
        // The interleaving that made the fan-out test flaky, forced: copy B passes the early "already done?" check
        // while copy A runs, and only asks for the lease once A has completed and released it.
        var ct = TestContext.Current.CancellationToken;
        var user = await EnrolAsync(ct);
        await using var plain = StorageHarness.Create(azurite, prefix: _h.Prefix, queueName: _h.QueueName);
        var gate = new SecondAcquireWaitsForRelease(plain.Get<IUserLease>());
        await using var h = StorageHarness.Create(
            azurite,
            prefix: _h.Prefix,
            queueName: _h.QueueName,
            services: s => s.AddSingleton<IUserLease>(gate));
        var text = $$"""{"tenantId":"{{user.TenantId}}","userId":"{{user.UserId}}","reason":"timer","requestedAt":"2026-03-01T09:00:00Z","jobId":"race-1"}""";
        var runs = 0;

        var a = h.Get<IJobProcessor>().HandleDeliveredAsync(text, async (_, token) =>
        {
            Interlocked.Increment(ref runs);
            await gate.SecondAcquireStarted.WaitAsync(token); // B has passed the early check and asks for the lease
        }, ct);
        await gate.FirstAcquired.WaitAsync(ct);
        var b = h.Get<IJobProcessor>().HandleDeliveredAsync(text, (_, _) => { Interlocked.Increment(ref runs); return Task.CompletedTask; }, ct);

        Assert.Equal(JobOutcome.Completed, await a);
        Assert.Equal(JobOutcome.Duplicate, await b);
        Assert.Equal(1, runs);
    }

    [Fact]
    public async Task HandleDelivered_Malformed_ThrowsFormatException()
    {
        var ct = TestContext.Current.CancellationToken;

        await Assert.ThrowsAsync<FormatException>(() => _h.Get<IJobProcessor>().HandleDeliveredAsync("[]", (_, _) => Task.CompletedTask, ct));
    }

    [Fact]
    public async Task HandleDelivered_NotificationJob_HandlerGetsTheNotificationAsARecord()
    {
        var ct = TestContext.Current.CancellationToken;
        var user = await EnrolAsync(ct);
        var job = new SyncJob(user.TenantId, user.UserId, "notification", DateTimeOffset.UnixEpoch, "notify-1")
        {
            Notification = new JobNotification(SyncWorkReason.SubscriptionRemoved, "sub-1:with-colon"),
        };
        SyncJob? seen = null;

        var outcome = await _h.Get<IJobProcessor>().HandleDeliveredAsync(QueueJobQueue.Serialize(job).ToString(), (j, _) => { seen = j; return Task.CompletedTask; }, ct);

        Assert.Equal(JobOutcome.Completed, outcome);
        Assert.Equal(new JobNotification(SyncWorkReason.SubscriptionRemoved, "sub-1:with-colon"), seen!.Notification);
        Assert.Equal("notification", seen.Reason);
    }

    [Theory]
    [InlineData("notification:Changed", SyncWorkReason.Changed, null)]
    [InlineData("notification:ReauthorizationRequired:sub-9", SyncWorkReason.ReauthorizationRequired, "sub-9")]
    public void TryParse_MessageQueuedBeforeTheNotificationRecord_ReadsTheNotificationFromTheReason(string reason, SyncWorkReason kind, string? subscription)
    {
        var text = $$"""{"tenantId":"t","userId":"u","reason":"{{reason}}","requestedAt":"2026-03-01T09:00:00Z","jobId":"old-1"}""";

        Assert.True(QueueJobQueue.TryParse(text, out var job, out _));

        Assert.Equal(new JobNotification(kind, subscription), job.Notification);
        Assert.Equal("notification", job.Reason);
    }

    [Theory]
    [InlineData("""{"tenantId":"t","userId":"u","reason":"notification","requestedAt":"2026-03-01T09:00:00Z","jobId":"j","notification":{"kind":"Exploded"}}""")]
    [InlineData("""{"tenantId":"t","userId":"u","reason":"notification","requestedAt":"2026-03-01T09:00:00Z","jobId":"j","notification":{"kind":"7"}}""")]
    [InlineData("""{"tenantId":"t","userId":"u","reason":"notification:Exploded:sub","requestedAt":"2026-03-01T09:00:00Z","jobId":"j"}""")]
    public void TryParse_UnknownNotificationKind_RefusedWithThatReason(string text)
    {
        Assert.False(QueueJobQueue.TryParse(text, out _, out var reason));
        Assert.Equal("unknown notification kind", reason);
    }

    [Fact]
    public void TryParse_TimerJob_HasNoNotification()
    {
        var text = """{"tenantId":"t","userId":"u","reason":"timer","requestedAt":"2026-03-01T09:00:00Z","jobId":"timer:1"}""";

        Assert.True(QueueJobQueue.TryParse(text, out var job, out _));
        Assert.Null(job.Notification);
    }

    [Fact]
    public async Task HandleDelivered_TwiceSameJob_SecondIsDuplicate()
    {
        var ct = TestContext.Current.CancellationToken;
        var user = await EnrolAsync(ct);
        var text = $$"""{"tenantId":"{{user.TenantId}}","userId":"{{user.UserId}}","reason":"timer","requestedAt":"2026-03-01T09:00:00Z","jobId":"fx-1"}""";

        var first = await _h.Get<IJobProcessor>().HandleDeliveredAsync(text, (_, _) => Task.CompletedTask, ct);
        var second = await _h.Get<IJobProcessor>().HandleDeliveredAsync(text, (_, _) => Task.CompletedTask, ct);

        Assert.Equal(JobOutcome.Completed, first);
        Assert.Equal(JobOutcome.Duplicate, second);
    }

    [Fact]
    public async Task ProcessBatch_TwoHostsTwoJobsSameUser_NeverConcurrentAndBothDone()
    {
        // Both hosts' clocks stand still at t0, and b was requested a minute after a: whichever runs first started
        // before the other was requested, so neither serves the other and both must run.
        var ct = TestContext.Current.CancellationToken;
        var user = await EnrolAsync(ct);
        var clock = new FakeTimeProvider(s_t0);
        await using var one = StorageHarness.Create(azurite, o => o.VisibilityTimeout = TimeSpan.FromSeconds(30), clock: clock, prefix: _h.Prefix, queueName: _h.QueueName);
        await using var other = StorageHarness.Create(azurite, o => o.VisibilityTimeout = TimeSpan.FromSeconds(30), clock: clock, prefix: _h.Prefix, queueName: _h.QueueName);
        await one.Get<IJobQueue>().EnqueueAsync(new SyncJob(user.TenantId, user.UserId, "timer", s_t0, "a"), cancellationToken: ct);
        await one.Get<IJobQueue>().EnqueueAsync(new SyncJob(user.TenantId, user.UserId, "notification", s_t0.AddMinutes(1), "b"), cancellationToken: ct);
        var running = 0;
        var maxRunning = 0;
        var done = new ConcurrentBag<string>();

        async Task Handler(SyncJob job, CancellationToken token)
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref maxRunning, now);
            await Task.Delay(700, token);
            done.Add(job.JobId);
            Interlocked.Decrement(ref running);
        }

        var deferred = 0;
        for (var round = 0; round < 10 && done.Count < 2; round++)
        {
            var results = await Task.WhenAll(
                Task.Run(() => one.Get<IJobProcessor>().ProcessBatchAsync(Handler, maxMessages: 1, cancellationToken: ct), ct),
                Task.Run(() => other.Get<IJobProcessor>().ProcessBatchAsync(Handler, maxMessages: 1, cancellationToken: ct), ct));
            deferred += results.Sum(r => r.Deferred);
        }

        Assert.Equal(1, maxRunning);
        Assert.Equal(["a", "b"], done.Order(StringComparer.Ordinal));
        Assert.True(deferred >= 1, "the second host should have found the user busy at least once");
    }

    [Fact]
    public async Task ProcessBatch_HandlerOutlivesLeaseDuration_LeaseRenewedAndOthersKeptOut()
    {
        // On a fake clock: the handler moves time on past two lease durations in steps, and after each step waits
        // for the renewal that step makes due, so no renewal can be "late" however busy the machine is.
        var ct = TestContext.Current.CancellationToken;
        var clock = new FakeTimeProvider(s_t0);
        void Configure(StorageOptions o) => o.LeaseDuration = TimeSpan.FromSeconds(1);
        await using var plain = StorageHarness.Create(azurite, Configure, clock);
        var renewals = new RenewalSignal(plain.Get<IUserLease>());
        await using var h = StorageHarness.Create(azurite, Configure, clock, prefix: plain.Prefix, queueName: plain.QueueName, services: s => s.AddSingleton<IUserLease>(renewals));
        var user = TestData.NewUser();
        await h.Get<IUserDirectory>().EnrolAsync(new EnrolledUser(user, "u@x.example", null, null, s_t0, ConsentState.Active), ct);
        await h.Get<IJobQueue>().EnqueueAsync(new SyncJob(user.TenantId, user.UserId, "timer", s_t0, "long"), cancellationToken: ct);
        var intruders = new List<UserLeaseHandle?>();

        var result = await h.Get<IJobProcessor>().ProcessBatchAsync(
            async (job, token) =>
            {
                for (var i = 0; i < 5; i++)
                {
                    clock.Advance(TimeSpan.FromMilliseconds(400)); // a renewal falls due every third of a second
                    Assert.True(await renewals.Renewed.WaitAsync(TimeSpan.FromMinutes(5), token), "The lease was not renewed.");
                    intruders.Add(await plain.Get<IUserLease>().TryAcquireAsync(job.User, "intruder", token));
                }
            },
            cancellationToken: ct);

        Assert.Equal(1, result.Completed);
        Assert.Equal(5, intruders.Count);
        Assert.All(intruders, Assert.Null);
        Assert.NotNull(await plain.Get<IUserLease>().TryAcquireAsync(user, "after", ct)); // released at the end
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    private async Task<UserKey> EnrolAsync(CancellationToken ct)
    {
        var user = TestData.NewUser();
        await _h.Get<IUserDirectory>().EnrolAsync(new EnrolledUser(user, "u@x.example", null, null, s_t0, ConsentState.Active), ct);
        return user;
    }
}

/// <summary>
/// A lease decorator that lets the first acquire through, and holds the second until the first holder has released,
/// so the second copy of a job is guaranteed to take the lease after the first has completed.
/// </summary>
internal sealed class SecondAcquireWaitsForRelease(IUserLease inner) : IUserLease
{
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _firstAcquired = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _secondStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _acquires;

    public Task FirstAcquired => _firstAcquired.Task;

    public Task SecondAcquireStarted => _secondStarted.Task;

    public async Task<UserLeaseHandle?> TryAcquireAsync(UserKey user, string owner, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Increment(ref _acquires) == 1)
        {
            var held = await inner.TryAcquireAsync(user, owner, cancellationToken);
            _firstAcquired.TrySetResult();
            return held;
        }

        _secondStarted.TrySetResult();
        await _released.Task.WaitAsync(cancellationToken);
        return await inner.TryAcquireAsync(user, owner, cancellationToken);
    }

    public Task<UserLeaseHandle?> RenewAsync(UserLeaseHandle lease, CancellationToken cancellationToken = default) => inner.RenewAsync(lease, cancellationToken);

    public async Task ReleaseAsync(UserLeaseHandle lease, CancellationToken cancellationToken = default)
    {
        await inner.ReleaseAsync(lease, cancellationToken);
        _released.TrySetResult();
    }
}

/// <summary>A lease decorator that signals each successful renewal.</summary>
internal sealed class RenewalSignal(IUserLease inner) : IUserLease
{
    public SemaphoreSlim Renewed { get; } = new(0);

    public Task<UserLeaseHandle?> TryAcquireAsync(UserKey user, string owner, CancellationToken cancellationToken = default) =>
        inner.TryAcquireAsync(user, owner, cancellationToken);

    public async Task<UserLeaseHandle?> RenewAsync(UserLeaseHandle lease, CancellationToken cancellationToken = default)
    {
        var renewed = await inner.RenewAsync(lease, cancellationToken);
        if (renewed is not null)
        {
            Renewed.Release();
        }

        return renewed;
    }

    public Task ReleaseAsync(UserLeaseHandle lease, CancellationToken cancellationToken = default) => inner.ReleaseAsync(lease, cancellationToken);
}
