using Microsoft.AspNetCore.Http;
using TiesOffice.Infrastructure.Bot;

namespace TiesOffice.Web.Apis;

/// <summary>
/// The Teams bot's messaging endpoint: the Bot Connector posts every activity here with a Bearer token, which is
/// checked before anything is done (<see cref="BotMessagesEndpoint"/>).
/// </summary>
public static class BotApi
{
    /// <summary>The route (relative to the host's <c>/api</c> prefix): the bot registration's messaging endpoint.</summary>
    public const string Route = "messages";

    /// <summary>Handles one POST from the Bot Connector.</summary>
    /// <param name="request">The request.</param>
    /// <param name="endpoint">The shared endpoint.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>200 (with the invoke response for invokes), or a problem.</returns>
    public static Task<IResult> HandleAsync(HttpRequest request, BotMessagesEndpoint endpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return endpoint.HandleAsync(request, cancellationToken);
    }
}
