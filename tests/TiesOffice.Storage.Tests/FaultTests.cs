using Azure;
using TiesOffice.Application;
using TiesOffice.Application.Ports;
using TiesOffice.Infrastructure.Storage;
using TiesOffice.Testing.Azurite;

namespace TiesOffice.Storage.Tests;

/// <summary>Storage faults injected by a real loopback HTTP proxy in front of Azurite.</summary>
public sealed class FaultTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset s_t0 = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private FaultInjectingProxy _tables = null!;
    private FaultInjectingProxy _queues = null!;

    public async ValueTask InitializeAsync()
    {
        _tables = await FaultInjectingProxy.StartAsync(azurite.TableEndpoint, TestContext.Current.CancellationToken);
        _queues = await FaultInjectingProxy.StartAsync(azurite.QueueEndpoint, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _tables.DisposeAsync();
        await _queues.DisposeAsync();
    }

    [Theory]
    [InlineData(503)]
    [InlineData(500)]
    public async Task UpsertMessages_ServerErrors_RetriedWithBackoffAndNothingLost(int status)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = Harness();
        var user = TestData.NewUser();
        var store = h.Get<IMailboxStore>();
        await store.UpsertMessagesAsync(user, [TestData.Message("warm-up", s_t0)], ct);
        var messages = Enumerable.Range(0, 250).Select(i => TestData.Message("m" + i, s_t0.AddMinutes(i))).ToList();
        var before = h.Counter.Total;

        _tables.FailNext(3, status);
        var started = System.Diagnostics.Stopwatch.StartNew();
        await store.UpsertMessagesAsync(user, messages, ct);
        var elapsed = started.Elapsed;
        var read = await store.ReadMessagesAsync(user, ct).ToListAsync();

        Assert.Equal(3, _tables.Failed);
        Assert.Equal(251, read.Count);
        Assert.Equal(3 + 3 + 1, h.Counter.Total - before); // 3 batches + 3 retried attempts + 1 query page
        Assert.True(elapsed >= TimeSpan.FromMilliseconds(20 + 40), $"no back-off seen: {elapsed}");
    }

    [Fact]
    public async Task EnqueueAndProcess_QueueUnavailable_RetriedAndJobHandledOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = Harness();
        var user = TestData.NewUser();
        await h.Get<IUserDirectory>().EnrolAsync(new EnrolledUser(user, "u@x.example", null, null, s_t0, ConsentState.Active), ct);
        await h.Get<StorageProvisioner>().EnsureCreatedAsync(ct);
        var handled = 0;

        _queues.FailNext(2, 503);
        await h.Get<IJobQueue>().EnqueueAsync(new SyncJob(user.TenantId, user.UserId, "timer", s_t0, "j1"), cancellationToken: ct);
        _queues.FailNext(2, 503);
        var result = await h.Get<IJobProcessor>().ProcessBatchAsync((_, _) => { handled++; return Task.CompletedTask; }, cancellationToken: ct);

        Assert.Equal(4, _queues.Failed);
        Assert.Equal(1, handled);
        Assert.Equal(1, result.Completed);
        Assert.Equal((0, 0), await h.Get<IJobProcessor>().GetDepthAsync(ct));
    }

    [Fact]
    public async Task ProcessBatch_StorageDownLongerThanSdkRetries_MessageRetriedLaterAndWriteNotLost()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = Harness(o => o.MaxRetries = 2);
        var user = TestData.NewUser();
        await h.Get<IUserDirectory>().EnrolAsync(new EnrolledUser(user, "u@x.example", null, null, s_t0, ConsentState.Active), ct);
        await h.Get<IJobQueue>().EnqueueAsync(new SyncJob(user.TenantId, user.UserId, "timer", s_t0, "j1"), cancellationToken: ct);
        var failures = 0;
        var deliveries = 0;

        async Task Handler(SyncJob job, CancellationToken token)
        {
            if (++deliveries == 1)
            {
                _tables.FailNext(3, 503); // the SDK tries 3 times in all, so the first delivery fails
            }

            try
            {
                await h.Get<ISyncStateStore>().SetDeltaLinkAsync(job.User, "inbox", "https://delta/1", token);
            }
            catch (RequestFailedException ex) when (ex.Status == 503)
            {
                failures++;
                throw;
            }
        }

        var first = await h.Get<IJobProcessor>().ProcessBatchAsync(Handler, cancellationToken: ct);
        await Task.Delay(100, ct);
        var second = await h.Get<IJobProcessor>().ProcessBatchAsync(Handler, cancellationToken: ct);

        Assert.Equal(1, failures);
        Assert.Equal(1, first.Retrying);
        Assert.Equal(1, second.Completed);
        Assert.Equal("https://delta/1", await h.Get<ISyncStateStore>().GetDeltaLinkAsync(user, "inbox", ct));
    }

    [Fact]
    public async Task TryAcquire_InsertResponseLost_StillOwnsLease()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = Harness();
        await h.Get<StorageProvisioner>().EnsureCreatedAsync(ct);
        var user = TestData.NewUser();

        _tables.FailResponsesNext(1, 503, r => r.Method == "POST");
        var lease = await h.Get<IUserLease>().TryAcquireAsync(user, "host-1", ct);

        Assert.Equal(1, _tables.Failed);
        Assert.NotNull(lease);
        Assert.NotNull(await h.Get<IUserLease>().RenewAsync(lease, ct));
    }

    [Fact]
    public async Task UpdateSettings_ConditionalUpdateResponseLost_AppliedExactlyOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = Harness();
        var user = TestData.NewUser();
        await h.Get<ISettingsStore>().SaveSettingsAsync(user, new UserSettings(10), ct);

        _tables.FailResponsesNext(1, 503, r => r.Method == "PUT" && r.Headers.IfMatch.ToString() is { Length: > 0 } m && m != "*");
        var written = await h.Get<ISettingsStore>().UpdateSettingsAsync(user, s => s with { WeeklyNudgeBudget = s.WeeklyNudgeBudget + 1 }, ct);

        Assert.Equal(1, _tables.Failed);
        Assert.Equal(11, written.WeeklyNudgeBudget);
        Assert.Equal(11, (await h.Get<ISettingsStore>().GetSettingsAsync(user, ct)).WeeklyNudgeBudget);
    }

    [Fact]
    public async Task EngineStateTryWrite_FlipResponseLost_ReportsSuccessAndKeepsNewBlob()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = Harness();
        var user = TestData.NewUser();
        var store = h.Get<IEngineStateStore>();
        var v1 = await store.TryWriteAsync(user, new byte[] { 1 }, null, ct);

        _tables.FailResponsesNext(1, 503, r => r.Method == "PUT" && r.Headers.IfMatch.ToString() is { Length: > 0 } m && m != "*");
        var v2 = await store.TryWriteAsync(user, new byte[] { 2 }, v1, ct);
        var read = await store.ReadAsync(user, ct);

        Assert.Equal(1, _tables.Failed);
        Assert.NotNull(v2);
        Assert.Equal(v2, read!.Version);
        Assert.Equal(new byte[] { 2 }, read.Data.ToArray());
    }

    private StorageHarness Harness(Action<StorageOptions>? configure = null)
    {
        var h = StorageHarness.Create(azurite, configure, connectionString: azurite.ConnectionStringFor(_tables.Endpoint, _queues.Endpoint));
        return h;
    }
}
