using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TiesOffice.Application.Sync;
using TiesOffice.Infrastructure.Bot;
using TiesOffice.Web;
using TiesOffice.Web.Apis;

namespace TiesOffice.Functions;

/// <summary>The HTTP triggers: thin shells over the shared endpoint handlers in TiesOffice.Web.</summary>
public sealed class HttpFunctions(ChangeNotificationHandler notifications, BotMessagesEndpoint bot)
{
    /// <summary>host.json sets no route prefix (the Function App also serves /tab/ and /pane/), so these routes carry their own.</summary>
    private const string Prefix = TiesOfficeEndpoints.Prefix + "/";

    /// <summary>Liveness probe.</summary>
    [Function("Health")]
    public static IResult Health([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Prefix + HealthApi.Route)] HttpRequest request) =>
        HealthApi.Get();

    /// <summary>Graph change notifications (and their validation handshake).</summary>
    [Function("GraphNotifications")]
    public Task<IResult> GraphNotifications(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Prefix + GraphNotificationsApi.NotificationsRoute)] HttpRequest request,
        CancellationToken cancellationToken) =>
        GraphNotificationsApi.HandleAsync(request, notifications, cancellationToken);

    /// <summary>Graph lifecycle notifications (and their validation handshake).</summary>
    [Function("GraphLifecycle")]
    public Task<IResult> GraphLifecycle(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Prefix + GraphNotificationsApi.LifecycleRoute)] HttpRequest request,
        CancellationToken cancellationToken) =>
        GraphNotificationsApi.HandleAsync(request, notifications, cancellationToken);

    /// <summary>The Teams bot's messaging endpoint (the Bot Connector's activities).</summary>
    [Function("BotMessages")]
    public Task<IResult> BotMessages(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Prefix + BotApi.Route)] HttpRequest request,
        CancellationToken cancellationToken) =>
        BotApi.HandleAsync(request, bot, cancellationToken);
}
