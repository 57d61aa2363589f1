using Microsoft.Extensions.DependencyInjection;
using TiesOffice.Application.Ports;
using TiesOffice.Application.Sync;
using TiesOffice.Infrastructure.Graph;
using TiesOffice.Testing;

namespace TiesOffice.Graph.Tests;

public sealed class WiringTests
{
    [Fact]
    public async Task AddGraphMailboxSync_WithHostStores_SyncsATenant()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await Harness.StartAsync(seed: Harness.SmallTenant());
        var services = new ServiceCollection();
        services.AddLogging();
        var store = new InMemoryMailboxStore();
        services.AddSingleton<IMailboxStore>(store);
        services.AddSingleton<ISyncStateStore, InMemorySyncStateStore>();
        services.AddSingleton<IUserSyncStatusStore, InMemoryUserSyncStatusStore>();
        services.AddSingleton<ISubscriptionStore, InMemorySubscriptionStore>();
        services.AddSingleton<ISyncWorkSink, InMemorySyncWorkSink>();
        services.AddGraphMailboxSync(new GraphOptions { BaseUrl = new Uri(h.Sim.GraphBaseUrl) }, new LocalTokenCredential());
        services.Configure<ChangeNotificationOptions>(o =>
        {
            o.NotificationUrl = new Uri("http://127.0.0.1:1/notify");
            o.LifecycleNotificationUrl = new Uri("http://127.0.0.1:1/lifecycle");
        });
        await using var provider = services.BuildServiceProvider();

        var users = h.Sim.Tenant.Users.Select(u => h.Key(u.Address)).ToList();
        var results = await provider.GetRequiredService<TenantSync>().SyncAllAsync(users, 2, ct);

        Assert.Equal(4, results.Count);
        Assert.All(results, r => Assert.Equal(SyncOutcome.Completed, r.Outcome));
        Assert.All(users, u => Assert.NotEmpty(store.Messages(u)));
        Assert.NotNull(provider.GetRequiredService<ChangeNotificationHandler>());
        Assert.NotNull(provider.GetRequiredService<SubscriptionManager>());
    }
}
