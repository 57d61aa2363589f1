using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using TiesOffice.Web.Apis;
using TiesOffice.Web.Http;

namespace TiesOffice.Web;

/// <summary>
/// The HTTP surface, mapped once for the DevHost. The Functions app exposes the same routes through one thin trigger
/// each (a test reads its <c>functions.metadata</c> and checks every route is here too).
/// </summary>
public static class TiesOfficeEndpoints
{
    /// <summary>The prefix both hosts put before every route (the Functions host's default).</summary>
    public const string Prefix = "api";

    /// <summary>Maps every TiesOffice endpoint under <c>/api</c>, each with its request body cap (<see cref="RequestBodyLimit"/>).</summary>
    /// <param name="endpoints">The route builder.</param>
    /// <returns>The group, for further conventions.</returns>
    public static RouteGroupBuilder MapTiesOffice(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup(Prefix);
        api.MapGet(HealthApi.Route, HealthApi.Get);
        api.MapPost(GraphNotificationsApi.NotificationsRoute, GraphNotificationsApi.HandleAsync).DisableAntiforgery()
            .WithRequestBodyLimit(RequestBodyLimit.GraphNotificationBytes);
        api.MapPost(GraphNotificationsApi.LifecycleRoute, GraphNotificationsApi.HandleAsync).DisableAntiforgery()
            .WithRequestBodyLimit(RequestBodyLimit.GraphNotificationBytes);
        return api;
    }
}
