using Azure.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Graph;
using TiesOffice.Application.Ports;
using TiesOffice.Application.Sync;

namespace TiesOffice.Infrastructure.Graph;

/// <summary>Registers the Graph adapter and the sync use cases.</summary>
public static class GraphServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="GraphServiceClient"/>, <see cref="IMailboxGraph"/>, <see cref="IGraphSubscriptions"/>,
    /// <see cref="MailboxSync"/>, <see cref="TenantSync"/>, <see cref="ChangeNotificationHandler"/> and
    /// <see cref="SubscriptionManager"/>. The host supplies logging, the stores (<see cref="IMailboxStore"/>,
    /// <see cref="ISyncStateStore"/>, <see cref="IUserSyncStatusStore"/>, <see cref="ISubscriptionStore"/>),
    /// <see cref="ISyncWorkSink"/>, and the options <see cref="MailboxSyncOptions"/> and <see cref="ChangeNotificationOptions"/>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="graph">The Graph options (base URL, credential kind, page sizes, limits).</param>
    /// <param name="credential">The credential; null builds the one <paramref name="graph"/> names (<see cref="GraphCredentials"/>).</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddGraphMailboxSync(this IServiceCollection services, GraphOptions graph, TokenCredential? credential = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        graph.Validate();
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<MailboxSyncOptions>();
        services.AddOptions<ChangeNotificationOptions>();
        services.AddSingleton(graph);
        services.AddSingleton(sp => new MailboxRequestGate(graph, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => GraphClients.Create(graph, credential ?? GraphCredentials.Create(graph), sp.GetRequiredService<MailboxRequestGate>()));
        services.AddSingleton<IMailboxGraph>(sp => new GraphMailboxReader(sp.GetRequiredService<GraphServiceClient>(), graph, sp.GetRequiredService<ILogger<GraphMailboxReader>>()));
        services.AddSingleton<IGraphSubscriptions>(sp => new GraphSubscriptionClient(sp.GetRequiredService<GraphServiceClient>()));
        services.AddSingleton(sp => new MailboxSync(
            sp.GetRequiredService<IMailboxGraph>(), sp.GetRequiredService<IMailboxStore>(), sp.GetRequiredService<ISyncStateStore>(),
            sp.GetRequiredService<IUserSyncStatusStore>(), sp.GetRequiredService<IOptions<MailboxSyncOptions>>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<MailboxSync>>()));
        services.AddSingleton(sp => new TenantSync(sp.GetRequiredService<MailboxSync>()));
        services.AddSingleton(sp => new ChangeNotificationHandler(
            sp.GetRequiredService<ISubscriptionStore>(), sp.GetRequiredService<ISyncWorkSink>(), sp.GetRequiredService<ILogger<ChangeNotificationHandler>>()));
        services.AddSingleton(sp => new SubscriptionManager(
            sp.GetRequiredService<IGraphSubscriptions>(), sp.GetRequiredService<ISubscriptionStore>(), sp.GetRequiredService<MailboxSync>(),
            sp.GetRequiredService<IOptions<ChangeNotificationOptions>>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<SubscriptionManager>>()));
        return services;
    }
}
