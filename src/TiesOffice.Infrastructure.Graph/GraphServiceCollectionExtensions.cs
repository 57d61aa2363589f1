using Azure.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Graph;
using TiesOffice.Application.Ports;

namespace TiesOffice.Infrastructure.Graph;

/// <summary>Registers the Graph adapter: the SDK client and the ports it implements. The use cases are registered by the composition root.</summary>
public static class GraphServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="GraphOptions"/>, <see cref="MailboxRequestGate"/>, <see cref="GraphServiceClient"/>, and the
    /// ports <see cref="IMailboxGraph"/>, <see cref="IGraphSubscriptions"/>, <see cref="IDirectoryDepartments"/> and
    /// <see cref="IMailSender"/> (Graph's sendMail, used only when Outlook actionable messages are on). The host supplies logging.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="graph">The Graph options (base URL, credential kind, page sizes, limits).</param>
    /// <param name="credential">The credential; null builds the one <paramref name="graph"/> names (<see cref="GraphCredentials"/>).</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddTiesOfficeGraph(this IServiceCollection services, GraphOptions graph, TokenCredential? credential = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        graph.Validate();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(graph);
        services.AddSingleton(sp => new MailboxRequestGate(graph, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => GraphClients.Create(graph, credential ?? GraphCredentials.Create(graph), sp.GetRequiredService<MailboxRequestGate>()));
        services.AddSingleton<IMailboxGraph>(sp => new GraphMailboxReader(sp.GetRequiredService<GraphServiceClient>(), graph, sp.GetRequiredService<ILogger<GraphMailboxReader>>()));
        services.AddSingleton<IGraphSubscriptions>(sp => new GraphSubscriptionClient(sp.GetRequiredService<GraphServiceClient>()));
        services.AddSingleton<IMailSender>(sp => new GraphMailSender(sp.GetRequiredService<GraphServiceClient>(), graph, sp.GetRequiredService<ILogger<GraphMailSender>>()));
        services.AddSingleton<IDirectoryDepartments>(sp => new GraphDirectoryDepartments(
            sp.GetRequiredService<GraphServiceClient>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<GraphDirectoryDepartments>>()));
        return services;
    }
}
