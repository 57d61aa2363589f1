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
        dev.MapGet("bot/cards", BotCardSamples);
        dev.MapGet("bot/digest-mail", DigestMailSample);
        dev.MapPost("digest-due", DigestDueAsync);
        return dev;
    }

    /// <summary>Every card the bot can send, filled with made-up sample data, for the renderer test and the demo page.</summary>
    private static IResult BotCardSamples(TiesOffice.Infrastructure.Bot.Cards.BotCards cards)
    {
        const string user = "29:sample-user";
        var kim = new TiesOffice.Infrastructure.Bot.Cards.ContactSuggestion(
            "tie-sample-1", "Kim Example", "kim@example.test", "Weak tie · last contact 14 Sep 2026",
            "Kim shared a useful report last spring: send her the article you think she'd like, and ask how the launch went.");
        var lee = kim with { TieId = "tie-sample-2", Name = "Lee Sample", Address = "lee@example.test", Detail = "Dormant tie · no contact for 7 months", Suggestion = "Congratulate Lee on the new role, and offer an introduction that could help." };
        var all = new System.Text.Json.Nodes.JsonObject
        {
            ["welcome"] = cards.Welcome(user),
            ["help"] = cards.Help(user),
            ["confirmDelete"] = TiesOffice.Infrastructure.Bot.Cards.BotCards.ConfirmDelete(user),
            ["deleted"] = TiesOffice.Infrastructure.Bot.Cards.BotCards.Deleted(user),
            ["kept"] = TiesOffice.Infrastructure.Bot.Cards.BotCards.Kept(user),
            ["suggestion"] = cards.Suggestion(user, kim),
            ["suggestionDone"] = cards.Suggestion(user, kim, "Noted: you reached out. Nice one."),
            ["digest"] = cards.Digest(user, [kim, lee], "2 suggestions this week, from 148 ties."),
            ["digestEmpty"] = cards.Digest(user, [], "No suggestions this week."),
            ["digestMail"] = cards.ActionableDigest(SampleOriginator, [kim, lee], "2 suggestions this week, from 148 ties."),
            ["digestMailEmpty"] = cards.ActionableDigest(SampleOriginator, [], "No suggestions this week."),
            ["digestMailAfterSnooze"] = cards.ActionableDigest(SampleOriginator, [lee], "1 suggestion this week, from 148 ties.", "Kim Example: Snoozed for 14 days."),
        };
        return Results.Text(all.ToJsonString(), "application/json");
    }

    /// <summary>The provider id of the samples when actionable messages are not configured (the DevHost's default).</summary>
    private const string SampleOriginator = "00000000-0000-4000-8000-00000000a11d";

    /// <summary>
    /// The digest as an Outlook actionable message (the whole HTML mail), with the sample suggestions and the configured
    /// originator (or a sample one), for the renderer test: it parses the HTML and renders the card in its head.
    /// </summary>
    private static IResult DigestMailSample(TiesOffice.Infrastructure.Bot.Outlook.ActionableDigestMail mail, TiesOffice.Infrastructure.Bot.Outlook.ActionableMessagesOptions options, bool? empty)
    {
        var kim = new TiesOffice.Infrastructure.Bot.Cards.ContactSuggestion(
            "tie-sample-1", "Kim <Example> & Co", "kim@example.test", "Weak tie · last contact 14 Sep 2026",
            "Kim shared a useful report last spring: send her the article you think she'd like, and ask how the launch went.");
        var lee = kim with { TieId = "tie-sample-2", Name = "Lee Sample", Address = "lee@example.test", Detail = "Dormant tie · no contact for 7 months", Suggestion = "Congratulate Lee on the new role, and offer an introduction that could help." };
        var composed = mail.Compose(empty == true ? [] : [kim, lee], "2 suggestions this week, from 148 ties.", options.OriginatorId is { Length: > 0 } o ? o : SampleOriginator);
        return Results.Text(composed.Html, "text/html; charset=utf-8");
    }

    /// <summary>Makes one user's weekly digest due now and queues the user's sync, which sends it (the demo's "the digest arrives").</summary>
    private static async Task<IResult> DigestDueAsync(DemoOperations demo, string? user, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(user))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["user"] = ["Name the user: ?user=ADDRESS or ?user=ID."] });
        }

        var result = await demo.MakeDigestDueAsync(user, cancellationToken).ConfigureAwait(false);
        return result is null
            ? TypedResults.Problem(statusCode: 404, title: "No such user", detail: "No enrolled user has that address or id.")
            : TypedResults.Ok(result);
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

    /// <summary>Does what one timer tick does, the fan-out, but with every job visible at once (retention runs on its own daily schedule).</summary>
    private static async Task<Ok<EnrolResult>> SyncNowAsync(SyncJobs jobs, TimeProvider time, CancellationToken cancellationToken)
    {
        var queued = await jobs.FanOutNowAsync("manual-" + time.GetUtcNow().ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
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
