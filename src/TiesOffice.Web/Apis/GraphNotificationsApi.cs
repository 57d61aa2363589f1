using Microsoft.AspNetCore.Http;
using TiesOffice.Application.Sync;
using TiesOffice.Web.Http;

namespace TiesOffice.Web.Apis;

/// <summary>
/// Microsoft Graph change notifications and lifecycle notifications. Graph first validates each URL by posting a
/// <c>validationToken</c>, which must come back as text within 10 seconds; notifications are checked against their
/// subscription's clientState and acknowledged with 202 at once, with the work queued. A body over
/// <see cref="RequestBodyLimit.GraphNotificationBytes"/> is answered 413.
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

        // Both hosts call this handler, so the cap is applied here too (the Functions triggers run no endpoint filters).
        var body = await RequestBodyLimit.ReadAsync(request, RequestBodyLimit.GraphNotificationBytes, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return RequestBodyLimit.TooLarge(RequestBodyLimit.GraphNotificationBytes);
        }

        using var stream = new MemoryStream(body, writable: false);
        var response = await handler.HandleAsync(token, stream, cancellationToken).ConfigureAwait(false);
        return response.Body is null
            ? TypedResults.StatusCode(response.StatusCode)
            : TypedResults.Content(response.Body, response.ContentType ?? "text/plain", statusCode: response.StatusCode);
    }
}
