using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using TiesOffice.Web;
using TiesOffice.Web.Http;

namespace TiesOffice.DevHost;

/// <summary>
/// Local-only endpoints under <c>/api/dev</c> that the demo script and the end-to-end tests drive. Mapped only in the
/// Development environment: they list every user's data and have no per-user authorization.
/// </summary>
internal static class DevApi
{
    public static RouteGroupBuilder MapDevApi(this IEndpointRouteBuilder endpoints)
    {
        var dev = endpoints.MapGroup(TiesOfficeEndpoints.Prefix + "/dev").WithRequestBodyLimit(RequestBodyLimit.NoBodyBytes);
        dev.MapPost("enrol-all", EnrolAllAsync);
        dev.MapPost("enrol", EnrolAsync);
        dev.MapPost("sync-now", SyncNowAsync);
        dev.MapGet("status", StatusAsync);
        dev.MapGet("network", NetworkAsync);
        dev.MapGet("traffic", TrafficAsync);
        dev.MapPost("rescore-all", RescoreAllAsync);
        return dev;
    }

    private static async Task<Ok<EnrolResult>> EnrolAllAsync(DemoOperations demo, CancellationToken cancellationToken) =>
        TypedResults.Ok(new EnrolResult(await demo.EnrolAllAsync(cancellationToken).ConfigureAwait(false)));

    private static async Task<IResult> EnrolAsync(DemoOperations demo, string? user, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(user))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["user"] = ["Name the user to enrol: ?user=ADDRESS or ?user=ID."] });
        }

        try
        {
            var enrolled = await demo.EnrolAsync(user, cancellationToken).ConfigureAwait(false);
            return enrolled is null
                ? TypedResults.Problem(statusCode: 404, title: "No such user", detail: "Graph has no user with that id or address.")
                : TypedResults.Ok(new EnrolledResult(enrolled.User.UserId));
        }
        catch (Microsoft.Graph.Models.ODataErrors.ODataError error) when (error.ResponseStatusCode == 404)
        {
            return TypedResults.Problem(statusCode: 404, title: "No such user", detail: "Graph has no user with that id or address.");
        }
    }

    /// <summary>Does what one timer tick does: the fan-out (retention runs on its own daily schedule).</summary>
    private static async Task<Ok<EnrolResult>> SyncNowAsync(SyncJobs jobs, TimeProvider time, CancellationToken cancellationToken)
    {
        var queued = await jobs.FanOutAsync("manual-" + time.GetUtcNow().ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new EnrolResult(queued));
    }

    private static async Task<IResult> StatusAsync(DemoOperations demo, string? format, bool? tiers, CancellationToken cancellationToken)
    {
        var status = await demo.StatusAsync(tiers ?? true, cancellationToken).ConfigureAwait(false);
        if (format == "text")
        {
            // One line of key=value pairs, easy to read from a shell script.
            var perTier = string.Join(' ', status.Tiers.Select(t => $"{t.Key}={t.Value}"));
            return TypedResults.Text($"enrolled={status.Enrolled} scored={status.Scored} pending={status.Pending} poison={status.Poison} {perTier}\n");
        }

        return TypedResults.Ok(status);
    }

    private static async Task<IResult> NetworkAsync(DemoOperations demo, string? user, int? top, CancellationToken cancellationToken)
    {
        if (top is < 1 or > 50)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["top"] = ["top must be between 1 and 50."] });
        }

        var text = await demo.NetworkAsync(user ?? string.Empty, top ?? 5, cancellationToken).ConfigureAwait(false);
        return text is null
            ? TypedResults.Problem(statusCode: 404, title: "No such user", detail: "No enrolled user has that address or id.")
            : TypedResults.Text(text);
    }

    private static async Task<IResult> TrafficAsync(DemoOperations demo, string? format, CancellationToken cancellationToken)
    {
        var traffic = await demo.GraphTrafficAsync(cancellationToken).ConfigureAwait(false);
        if (traffic is null)
        {
            return TypedResults.Problem(statusCode: 404, title: "No simulator", detail: "Demo:SimulatorUrl is not set.");
        }

        return format == "text"
            ? TypedResults.Text(string.Create(CultureInfo.InvariantCulture, $"mailboxes={traffic.Mailboxes} requests={traffic.Requests} bytes={traffic.BytesSent} throttled={traffic.Throttled} maxConcurrency={traffic.MaxConcurrency} tableTransactions={traffic.TableTransactions} queueTransactions={traffic.QueueTransactions} progressTransactions={traffic.ProgressTransactions}\n"))
            : TypedResults.Ok(traffic);
    }

    private static async Task<IResult> RescoreAllAsync(DemoOperations demo, string? format, CancellationToken cancellationToken)
    {
        var result = await demo.RescoreAllAsync(cancellationToken).ConfigureAwait(false);
        return format == "text"
            ? TypedResults.Text(string.Create(CultureInfo.InvariantCulture, $"users={result.Users} ties={result.Ties} milliseconds={result.Milliseconds}\n"))
            : TypedResults.Ok(result);
    }

    private sealed record EnrolResult(int Users);

    private sealed record EnrolledResult(string UserId);
}
