using Microsoft.AspNetCore.Http;
using TiesOffice.Application.Sync;

namespace TiesOffice.Web.Apis;

/// <summary>
/// Microsoft Graph change notifications and lifecycle notifications. Graph first validates each URL by posting a
/// <c>validationToken</c>, which must come back as text within 10 seconds; notifications are checked against their
/// subscription's clientState and acknowledged with 202 at once, with the work queued.
/// </summary>
public static class GraphNotificationsApi
{
    /// <summary>The change-notification route (relative to the host's <c>/api</c> prefix).</summary>
    public const string NotificationsRoute = "graph/notifications";

    /// <summary>The lifecycle-notification route (relative to the host's <c>/api</c> prefix).</summary>
    public const string LifecycleRoute = "graph/lifecycle";

    /// <summary>Handles one POST from Graph, on either route.</summary>
    /// <param name="request">The request; its query may hold <c>validationToken</c> (already URL-decoded by ASP.NET Core).</param>
    /// <param name="handler">The shared handler.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The response Graph expects.</returns>
    public static async Task<IResult> HandleAsync(HttpRequest request, ChangeNotificationHandler handler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(handler);
        var token = request.Query.TryGetValue("validationToken", out var values) ? values.ToString() : null;
        var response = await handler.HandleAsync(token, request.Body, cancellationToken).ConfigureAwait(false);
        return response.Body is null
            ? TypedResults.StatusCode(response.StatusCode)
            : TypedResults.Content(response.Body, response.ContentType ?? "text/plain", statusCode: response.StatusCode);
    }
}
