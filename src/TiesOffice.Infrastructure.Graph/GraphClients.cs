using Azure.Core;
using Microsoft.Graph;
using Microsoft.Kiota.Authentication.Azure;

namespace TiesOffice.Infrastructure.Graph;

/// <summary>Builds the <see cref="GraphServiceClient"/>: the SDK's default middleware, the mailbox gate, a configurable base URL.</summary>
public static class GraphClients
{
    /// <summary>Creates a Graph client.</summary>
    /// <param name="options">Base URL, scopes and timeouts.</param>
    /// <param name="credential">The app-only credential (see <see cref="GraphCredentials"/>).</param>
    /// <param name="gate">The per-mailbox gate shared by every client of the process.</param>
    /// <returns>The client.</returns>
    public static GraphServiceClient Create(GraphOptions options, TokenCredential credential, MailboxRequestGate gate)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var handlers = GraphClientFactory.CreateDefaultHandlers();
        handlers.Add(new MailboxGateHandler(gate));
        var http = GraphClientFactory.Create(handlers);
        http.Timeout = options.RequestTimeout;
        var auth = new AzureIdentityAuthenticationProvider(credential, [options.BaseUrl.Host], null, true, [.. options.Scopes]);
        return new GraphServiceClient(http, auth, options.BaseUrl.ToString().TrimEnd('/'));
    }
}
