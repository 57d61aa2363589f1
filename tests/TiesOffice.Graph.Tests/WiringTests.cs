using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TiesOffice.Application.Ports;
using TiesOffice.Application.Sync;
using TiesOffice.Infrastructure.Graph;
using TiesOffice.Testing;

namespace TiesOffice.Graph.Tests;

public sealed class WiringTests
{
    [Fact]
    public async Task AddTiesOfficeGraph_RegistersOnlyTheAdapter_WhosePortsSyncATenant()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await Harness.StartAsync(seed: Harness.SmallTenant());
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddTiesOfficeGraph(new GraphOptions { BaseUrl = new Uri(h.Sim.GraphBaseUrl) }, new LocalTokenCredential());

        // The adapter registers its own types only; the use cases belong to the composition root (AddTiesOffice).
        var useCases = typeof(MailboxSync).Assembly.GetTypes().Where(t => t.Namespace?.StartsWith("TiesOffice.Application", StringComparison.Ordinal) == true && !t.IsInterface).ToHashSet();
        Assert.DoesNotContain(services, d => useCases.Contains(d.ServiceType));
        Assert.DoesNotContain(services, d => d.ServiceType.IsGenericType && d.ServiceType.GetGenericArguments().Any(useCases.Contains));

        await using var provider = services.BuildServiceProvider();
        var store = new InMemoryMailboxStore();
        var directory = new InMemoryUserDirectory();
        var sync = new MailboxSync(
            provider.GetRequiredService<IMailboxGraph>(), store, new InMemorySyncStateStore(), directory,
            Options.Create(new MailboxSyncOptions()), TimeProvider.System, provider.GetRequiredService<ILogger<MailboxSync>>());
        var users = h.Sim.Tenant.Users.Select(u => directory.EnsureActive(h.Key(u.Address), u.Address).User).ToList();
        var results = await new TenantSync(sync).SyncAllAsync(users, 2, ct);

        Assert.Equal(4, results.Count);
        Assert.All(results, r => Assert.Equal(SyncOutcome.Completed, r.Outcome));
        Assert.All(users, u => Assert.NotEmpty(store.Messages(u)));
        Assert.NotNull(provider.GetRequiredService<IGraphSubscriptions>());
    }
}
