using Microsoft.Extensions.Time.Testing;
using TiesOffice.Application.Ports;
using TiesOffice.Testing.Azurite;

namespace TiesOffice.Storage.Tests;

public sealed class LeaseTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));
    private StorageHarness _host1 = null!;
    private StorageHarness _host2 = null!;

    public ValueTask InitializeAsync()
    {
        _host1 = StorageHarness.Create(azurite, o => o.LeaseDuration = TimeSpan.FromMinutes(5), _clock);
        _host2 = StorageHarness.Create(azurite, o => o.LeaseDuration = TimeSpan.FromMinutes(5), _clock, prefix: _host1.Prefix, queueName: _host1.QueueName);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _host1.DisposeAsync();
        await _host2.DisposeAsync();
    }

    [Fact]
    public async Task TryAcquire_TwoHostsRacing_ExactlyOneWins()
    {
        var ct = TestContext.Current.CancellationToken;
        for (var round = 0; round < 10; round++)
        {
            var user = TestData.NewUser();
            var racers = Enumerable.Range(0, 8)
                .Select(i => Task.Run(() => (i % 2 == 0 ? _host1 : _host2).Get<IUserLease>().TryAcquireAsync(user, "worker-" + i, ct), ct));

            var results = await Task.WhenAll(racers);

            Assert.Single(results, r => r is not null);
        }
    }

    [Fact]
    public async Task TryAcquire_ExpiredLease_TakenOverAndOldHolderCannotRenew()
    {
        var ct = TestContext.Current.CancellationToken;
        var user = TestData.NewUser();
        var first = await _host1.Get<IUserLease>().TryAcquireAsync(user, "host1", ct);
        Assert.Null(await _host2.Get<IUserLease>().TryAcquireAsync(user, "host2", ct));

        _clock.Advance(TimeSpan.FromMinutes(6));
        var second = await _host2.Get<IUserLease>().TryAcquireAsync(user, "host2", ct);
        var renewedByOld = await _host1.Get<IUserLease>().RenewAsync(first!, ct);
        await _host1.Get<IUserLease>().ReleaseAsync(first!, ct);

        Assert.NotNull(second);
        Assert.Null(renewedByOld);
        Assert.Null(await _host1.Get<IUserLease>().TryAcquireAsync(user, "host1", ct)); // the old holder's release did not free it
    }

    [Fact]
    public async Task Renew_BeforeExpiry_KeepsLeaseAndReleaseFreesIt()
    {
        var ct = TestContext.Current.CancellationToken;
        var user = TestData.NewUser();
        var lease = await _host1.Get<IUserLease>().TryAcquireAsync(user, "host1", ct);

        _clock.Advance(TimeSpan.FromMinutes(4));
        var renewed = await _host1.Get<IUserLease>().RenewAsync(lease!, ct);
        _clock.Advance(TimeSpan.FromMinutes(4));
        var stolen = await _host2.Get<IUserLease>().TryAcquireAsync(user, "host2", ct);
        await _host1.Get<IUserLease>().ReleaseAsync(renewed!, ct);
        var after = await _host2.Get<IUserLease>().TryAcquireAsync(user, "host2", ct);

        Assert.NotNull(renewed);
        Assert.Null(stolen);
        Assert.NotNull(after);
    }
}
