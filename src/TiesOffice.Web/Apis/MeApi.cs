using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TiesOffice.Application.Network;
using TiesOffice.Application.Ports;
using TiesOffice.Domain.Ties;
using TiesOffice.Web.Auth;

namespace TiesOffice.Web.Apis;

/// <summary>
/// The tab API under <c>/api/me</c> (docs/Api.md): thin handlers over <see cref="NetworkService"/>. Each handler
/// authenticates the bearer token itself (the same call in both hosts: the DevHost's endpoints and the Functions
/// triggers), resolves the installed user from (tid, oid), and only then touches storage.
/// </summary>
public static class MeApi
{
    /// <summary>The overview route.</summary>
    public const string SummaryRoute = "me/summary";

    /// <summary>The tie list route.</summary>
    public const string TiesRoute = "me/ties";

    /// <summary>One tie.</summary>
    public const string TieRoute = "me/ties/{id}";

    /// <summary>One tie's overrides (PUT, DELETE).</summary>
    public const string OverridesRoute = "me/ties/{id}/overrides";

    /// <summary>Settings (GET, PUT).</summary>
    public const string SettingsRoute = "me/settings";

    /// <summary>"If I changed roles".</summary>
    public const string RoleChangeRoute = "me/role-change";

    /// <summary>Reach.</summary>
    public const string ReachRoute = "me/reach";

    /// <summary>Export (JSON download).</summary>
    public const string ExportRoute = "me/export";

    /// <summary>Erase everything (POST with the typed confirmation).</summary>
    public const string DeleteRoute = "me/delete";

    /// <summary>The Outlook pane's lookup of a message's sender (POST, the address in the body so it never reaches a URL or a request log).</summary>
    public const string SenderRoute = "me/sender";

    /// <summary>The largest request body accepted.</summary>
    public const int MaxBodyBytes = 16 * 1024;

    private const string ProblemBase = "https://tiesoffice.example/problems/";

    /// <summary>The JSON the API writes and reads: camelCase, enums as camelCase strings, unknown fields refused.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
    };

    /// <summary>Maps every route on a group (the DevHost; the Functions app has one trigger per route and verb).</summary>
    /// <param name="api">The <c>/api</c> group.</param>
    public static void MapMeApi(this Microsoft.AspNetCore.Routing.IEndpointRouteBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        Microsoft.AspNetCore.Builder.EndpointRouteBuilderExtensions.MapGet(api, SummaryRoute, (HttpRequest r, CancellationToken ct) => GetSummaryAsync(r, ct));
        Microsoft.AspNetCore.Builder.EndpointRouteBuilderExtensions.MapGet(api, TiesRoute, (HttpRequest r, CancellationToken ct) => ListTiesAsync(r, ct));
        Microsoft.AspNetCore.Builder.EndpointRouteBuilderExtensions.MapGet(api, TieRoute, (HttpRequest r, string id, CancellationToken ct) => GetTieAsync(r, id, ct));
        Microsoft.AspNetCore.Builder.EndpointRouteBuilderExtensions.MapPut(api, OverridesRoute, (HttpRequest r, string id, CancellationToken ct) => PutOverridesAsync(r, id, ct));
        Microsoft.AspNetCore.Builder.EndpointRouteBuilderExtensions.MapDelete(api, OverridesRoute, (HttpRequest r, string id, CancellationToken ct) => DeleteOverridesAsync(r, id, ct));
        Microsoft.AspNetCore.Builder.EndpointRouteBuilderExtensions.MapGet(api, SettingsRoute, (HttpRequest r, CancellationToken ct) => GetSettingsAsync(r, ct));
        Microsoft.AspNetCore.Builder.EndpointRouteBuilderExtensions.MapPut(api, SettingsRoute, (HttpRequest r, CancellationToken ct) => PutSettingsAsync(r, ct));
        Microsoft.AspNetCore.Builder.EndpointRouteBuilderExtensions.MapGet(api, RoleChangeRoute, (HttpRequest r, CancellationToken ct) => GetRoleChangeAsync(r, ct));
        Microsoft.AspNetCore.Builder.EndpointRouteBuilderExtensions.MapGet(api, ReachRoute, (HttpRequest r, CancellationToken ct) => GetReachAsync(r, ct));
        Microsoft.AspNetCore.Builder.EndpointRouteBuilderExtensions.MapGet(api, ExportRoute, (HttpRequest r, CancellationToken ct) => ExportAsync(r, ct));
        Microsoft.AspNetCore.Builder.EndpointRouteBuilderExtensions.MapPost(api, DeleteRoute, (HttpRequest r, CancellationToken ct) => DeleteAsync(r, ct));
        Microsoft.AspNetCore.Builder.EndpointRouteBuilderExtensions.MapPost(api, SenderRoute, (HttpRequest r, CancellationToken ct) => LookUpSenderAsync(r, ct));
    }

    /// <summary>GET me/summary.</summary>
    public static Task<IResult> GetSummaryAsync(HttpRequest request, CancellationToken cancellationToken) =>
        RunAsync(request, async (me, network) =>
        {
            var s = await network.GetSummaryAsync(me, cancellationToken).ConfigureAwait(false);
            return Ok(new
            {
                user = new { displayName = s.DisplayName, mailAddress = s.MailAddress },
                sync = new { state = s.Sync, lastSyncedAt = s.LastSyncedAt },
                tiers = s.Tiers,
                history = s.History,
                suggestions = s.Suggestions,
            });
        });

    /// <summary>GET me/ties.</summary>
    public static Task<IResult> ListTiesAsync(HttpRequest request, CancellationToken cancellationToken) =>
        RunAsync(request, async (me, network) =>
        {
            var query = ParseQuery(request.Query);
            var page = await network.ListTiesAsync(me, query, cancellationToken).ConfigureAwait(false);
            return Ok(new { items = page.Items.Select(TieDto.From), continuation = page.Continuation, total = page.Total });
        });

    /// <summary>GET me/ties/{id}.</summary>
    public static Task<IResult> GetTieAsync(HttpRequest request, string id, CancellationToken cancellationToken) =>
        RunAsync(request, async (me, network) =>
            DetailOrNotFound(await network.GetTieAsync(me, id, cancellationToken).ConfigureAwait(false)));

    /// <summary>PUT me/ties/{id}/overrides.</summary>
    public static Task<IResult> PutOverridesAsync(HttpRequest request, string id, CancellationToken cancellationToken) =>
        RunAsync(request, async (me, network) =>
        {
            var body = await ReadBodyAsync(request, cancellationToken).ConfigureAwait(false);
            if (body.Problem is { } problem)
            {
                return problem;
            }

            var change = ParseOverrides(body.Document!.RootElement);
            return DetailOrNotFound(await network.ChangeOverridesAsync(me, id, change, cancellationToken).ConfigureAwait(false));
        });

    /// <summary>DELETE me/ties/{id}/overrides.</summary>
    public static Task<IResult> DeleteOverridesAsync(HttpRequest request, string id, CancellationToken cancellationToken) =>
        RunAsync(request, async (me, network) =>
            DetailOrNotFound(await network.ClearOverridesAsync(me, id, cancellationToken).ConfigureAwait(false)));

    /// <summary>GET me/settings.</summary>
    public static Task<IResult> GetSettingsAsync(HttpRequest request, CancellationToken cancellationToken) =>
        RunAsync(request, async (me, network) =>
            Ok(SettingsDto.From(await network.GetSettingsAsync(me, cancellationToken).ConfigureAwait(false))));

    /// <summary>PUT me/settings.</summary>
    public static Task<IResult> PutSettingsAsync(HttpRequest request, CancellationToken cancellationToken) =>
        RunAsync(request, async (me, network) =>
        {
            var body = await ReadBodyAsync(request, cancellationToken).ConfigureAwait(false);
            if (body.Problem is { } problem)
            {
                return problem;
            }

            var dto = Deserialize<SettingsDto>(body.Document!.RootElement);
            var saved = await network.SaveSettingsAsync(me, dto.ToView(), cancellationToken).ConfigureAwait(false);
            return Ok(SettingsDto.From(saved));
        });

    /// <summary>GET me/role-change.</summary>
    public static Task<IResult> GetRoleChangeAsync(HttpRequest request, CancellationToken cancellationToken) =>
        RunAsync(request, async (me, network) =>
        {
            var v = await network.GetRoleChangeAsync(me, cancellationToken).ConfigureAwait(false);
            return Ok(new { survive = v.Survive.Select(TieDto.From), go = v.Go.Select(TieDto.From), unknown = v.Unknown.Select(TieDto.From) });
        });

    /// <summary>GET me/reach.</summary>
    public static Task<IResult> GetReachAsync(HttpRequest request, CancellationToken cancellationToken) =>
        RunAsync(request, async (me, network) =>
        {
            var v = await network.GetReachAsync(me, cancellationToken).ConfigureAwait(false);
            return Ok(new
            {
                internalDomain = v.InternalDomain,
                groups = v.Groups.Select(g => new { name = g.Name, kind = g.Kind, @internal = g.Internal, strong = g.Strong, weak = g.Weak, onlyBridge = g.OnlyBridge is null ? null : TieDto.From(g.OnlyBridge) }),
            });
        });

    /// <summary>GET me/export.</summary>
    public static Task<IResult> ExportAsync(HttpRequest request, CancellationToken cancellationToken) =>
        RunAsync(request, async (me, network) =>
        {
            var json = await network.ExportAsync(me, cancellationToken).ConfigureAwait(false);
            return TypedResults.File(System.Text.Encoding.UTF8.GetBytes(json), "application/json", "tiesoffice-export.json");
        });

    /// <summary>POST me/delete.</summary>
    public static Task<IResult> DeleteAsync(HttpRequest request, CancellationToken cancellationToken) =>
        RunAsync(request, async (me, network) =>
        {
            var body = await ReadBodyAsync(request, cancellationToken).ConfigureAwait(false);
            if (body.Problem is { } problem)
            {
                return problem;
            }

            var dto = Deserialize<DeleteDto>(body.Document!.RootElement);
            await network.EraseAsync(me, dto.Confirm, cancellationToken).ConfigureAwait(false);
            return TypedResults.NoContent();
        });

    /// <summary>
    /// POST me/sender with <c>{ "address": "…" }</c>: the tie with a message's sender (200, a tie in full), or 404 with
    /// the problem type saying why there is none: <c>not-found</c> (a first contact), <c>not-tracked</c> (the address
    /// or its domain is on the user's exclusion list), <c>self</c> (the user's own address).
    /// </summary>
    public static Task<IResult> LookUpSenderAsync(HttpRequest request, CancellationToken cancellationToken) =>
        RunAsync(request, async (me, network) =>
        {
            var body = await ReadBodyAsync(request, cancellationToken).ConfigureAwait(false);
            if (body.Problem is { } problem)
            {
                return problem;
            }

            var dto = Deserialize<SenderDto>(body.Document!.RootElement);
            var found = await network.LookUpSenderAsync(me, dto.Address, cancellationToken).ConfigureAwait(false);
            return found.Outcome switch
            {
                SenderLookupOutcome.Tie => Ok(new TieDetailDto(found.Tie!)),
                SenderLookupOutcome.NotTracked => Problem(404, "not-tracked", "Not tracked", "This address or its domain is on your never-track list; TiesOffice keeps nothing about it."),
                SenderLookupOutcome.Self => Problem(404, "self", "Your own address", "This message is from you."),
                _ => Problem(404, "not-found", "No tie yet", "You have no tie with this address yet."),
            };
        });

    // ---- the pipeline every route shares ----

    private static async Task<IResult> RunAsync(HttpRequest request, Func<EnrolledUser, NetworkService, Task<IResult>> action)
    {
        ArgumentNullException.ThrowIfNull(request);
        var context = request.HttpContext;
        var result = await context.AuthenticateAsync(TabAuthentication.Scheme).ConfigureAwait(false);
        if (!result.Succeeded || result.Principal is null)
        {
            context.Response.Headers.WWWAuthenticate = result.None
                ? "Bearer"
                : "Bearer error=\"invalid_token\"";
            return Problem(401, "unauthorized", "Sign-in required", result.None
                ? "Send an Entra access token for this API in the Authorization header (Bearer)."
                : "The access token was refused: it is expired, not for this API, or not signed by a trusted issuer.");
        }

        if (!TabAuthentication.HasRequiredScope(result.Principal))
        {
            return Problem(403, "insufficient-scope", "Not a user token for this API", $"The token must be a delegated access token with the '{TabAuthentication.RequiredScope}' scope.");
        }

        var ad = context.RequestServices.GetRequiredService<IOptions<AzureAdOptions>>().Value;
        if (TabAuthentication.UserOf(result.Principal, ad) is not { } user)
        {
            return Problem(401, "unauthorized", "Sign-in required", "The access token does not name a user of an accepted tenant.");
        }

        var network = context.RequestServices.GetRequiredService<NetworkService>();
        var me = await network.FindInstalledAsync(user, context.RequestAborted).ConfigureAwait(false);
        if (me is null)
        {
            return Problem(403, "not-installed", "TiesOffice is not installed", "Install TiesOffice in Teams or Outlook first; nothing is kept for you until you do.");
        }

        try
        {
            return await action(me, network).ConfigureAwait(false);
        }
        catch (NetworkRequestException e)
        {
            return Invalid(e.Field, e.Message);
        }
        catch (BadBodyException e)
        {
            return Invalid(e.Field, e.Message);
        }
    }

    private static Microsoft.AspNetCore.Http.HttpResults.JsonHttpResult<object> Ok(object value) => TypedResults.Json(value, Json);

    private static IResult DetailOrNotFound(TieDetail? detail) => detail is null
        ? Problem(404, "not-found", "No such tie", "You have no tie with this id.")
        : Ok(new TieDetailDto(detail));

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Problem(int status, string type, string title, string detail) =>
        TypedResults.Problem(statusCode: status, type: ProblemBase + type, title: title, detail: detail);

    private static Microsoft.AspNetCore.Http.HttpResults.ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "The request is not valid", type: ProblemBase + "invalid-request", detail: message);

    private sealed record Body(JsonDocument? Document, IResult? Problem);

    private static async Task<Body> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return new Body(null, Problem(413, "too-large", "The request is too large", $"Bodies are limited to {MaxBodyBytes / 1024} KiB."));
        }

        if (!(request.ContentType?.Split(';')[0].Trim().Equals("application/json", StringComparison.OrdinalIgnoreCase) ?? false))
        {
            return new Body(null, Problem(415, "unsupported-media-type", "JSON expected", "Send the body as application/json."));
        }

        var buffer = new byte[MaxBodyBytes + 1];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await request.Body.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        if (read > MaxBodyBytes)
        {
            return new Body(null, Problem(413, "too-large", "The request is too large", $"Bodies are limited to {MaxBodyBytes / 1024} KiB."));
        }

        try
        {
            var document = JsonDocument.Parse(buffer.AsMemory(0, read), new JsonDocumentOptions { MaxDepth = 16 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                return new Body(null, Invalid("body", "The body must be a JSON object."));
            }

            return new Body(document, null);
        }
        catch (JsonException)
        {
            return new Body(null, Invalid("body", "The body is not valid JSON."));
        }
    }

    private sealed class BadBodyException(string field, string message) : Exception(message)
    {
        public string Field { get; } = field;
    }

    private static T Deserialize<T>(JsonElement element)
    {
        try
        {
            return element.Deserialize<T>(Json) ?? throw new BadBodyException("body", "The body is empty.");
        }
        catch (JsonException e)
        {
            // System.Text.Json names the offending member in its message ("... could not be mapped to any .NET member ...").
            var path = string.IsNullOrEmpty(e.Path) ? "body" : e.Path.TrimStart('$', '.');
            var unknown = e.Message.Contains("could not be mapped", StringComparison.Ordinal);
            throw new BadBodyException(path, unknown
                ? "The body has a field this API does not accept (identity and scores cannot be set)."
                : "A field has the wrong type or format.");
        }
    }

    private static readonly HashSet<string> s_overrideFields = new(StringComparer.Ordinal) { "tier", "positionBased", "muted", "snoozedUntil", "cadenceDays", "note" };

    private static OverrideChange ParseOverrides(JsonElement body)
    {
        foreach (var property in body.EnumerateObject())
        {
            if (!s_overrideFields.Contains(property.Name))
            {
                throw new BadBodyException(property.Name, $"'{Truncate(property.Name)}' is not a field of overrides (accepted: {string.Join(", ", s_overrideFields)}); identity and scores cannot be set.");
            }
        }

        return new OverrideChange(
            Tier: PatchOf(body, "tier", e => ParseEnum<TieTier>(e, "tier")),
            PositionBased: PatchOf(body, "positionBased", e => e.ValueKind is JsonValueKind.True or JsonValueKind.False ? e.GetBoolean() : throw new BadBodyException("positionBased", "positionBased must be true, false or null.")),
            Muted: body.TryGetProperty("muted", out var muted)
                ? muted.ValueKind is JsonValueKind.True or JsonValueKind.False ? muted.GetBoolean() : throw new BadBodyException("muted", "muted must be true or false.")
                : null,
            SnoozedUntil: PatchOf(body, "snoozedUntil", e => ParseDate(e)),
            CadenceDays: PatchOf(body, "cadenceDays", e => e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out var d) ? d : throw new BadBodyException("cadenceDays", "cadenceDays must be a number of days.")),
            Note: PatchOf(body, "note", e => e.ValueKind == JsonValueKind.String ? e.GetString()! : throw new BadBodyException("note", "note must be text.")));
    }

    private static Patch<T>? PatchOf<T>(JsonElement body, string name, Func<JsonElement, T> parse)
    {
        if (!body.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Null ? new Patch<T>(default, false) : new Patch<T>(parse(value), true);
    }

    private static T ParseEnum<T>(JsonElement e, string field)
        where T : struct, Enum
    {
        if (e.ValueKind == JsonValueKind.String && Enum.TryParse<T>(e.GetString(), ignoreCase: true, out var value) && !int.TryParse(e.GetString(), out _))
        {
            return value;
        }

        throw new BadBodyException(field, $"{field} must be one of: {string.Join(", ", Enum.GetNames<T>().Select(JsonNamingPolicy.CamelCase.ConvertName))}.");
    }

    private static DateTimeOffset ParseDate(JsonElement e)
    {
        var text = e.ValueKind == JsonValueKind.String ? e.GetString() : null;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var day))
        {
            return new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        }

        if (DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var instant))
        {
            return instant.ToUniversalTime();
        }

        throw new BadBodyException("snoozedUntil", "snoozedUntil must be a date (YYYY-MM-DD) or an ISO 8601 instant.");
    }

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "…";

    private static TieQuery ParseQuery(IQueryCollection query)
    {
        string[] known = ["tier", "portability", "trend", "scope", "q", "sort", "limit", "continuation"];
        foreach (var key in query.Keys)
        {
            if (!known.Contains(key, StringComparer.Ordinal))
            {
                throw new BadBodyException(key, $"Unknown query parameter '{Truncate(key)}' (accepted: {string.Join(", ", known)}).");
            }
        }

        var tiers = query["tier"].SelectMany(v => (v ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(v => ParseQueryEnum<TieTier>(v, "tier")).Distinct().ToList();
        int limit = 50;
        if (query.TryGetValue("limit", out var limitText) && !int.TryParse(limitText.ToString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out limit))
        {
            throw new BadBodyException("limit", $"limit must be a whole number between 1 and {NetworkService.MaxPageSize}.");
        }

        return new TieQuery(
            tiers,
            Single<PortabilityClass>(query, "portability"),
            Single<TieTrend>(query, "trend"),
            Single<TieScope>(query, "scope"),
            query.TryGetValue("q", out var q) ? q.ToString() : null,
            Single<TieSort>(query, "sort") ?? TieSort.Score,
            limit,
            query.TryGetValue("continuation", out var c) && c.ToString().Length > 0 ? c.ToString() : null);
    }

    private static T? Single<T>(IQueryCollection query, string name)
        where T : struct, Enum
    {
        if (!query.TryGetValue(name, out var values) || values.Count == 0)
        {
            return null;
        }

        if (values.Count > 1)
        {
            throw new BadBodyException(name, $"Give {name} once.");
        }

        return ParseQueryEnum<T>(values.ToString(), name);
    }

    private static T ParseQueryEnum<T>(string value, string field)
        where T : struct, Enum =>
        Enum.TryParse<T>(value, ignoreCase: true, out var parsed) && !int.TryParse(value, out _)
            ? parsed
            : throw new BadBodyException(field, $"{field} must be one of: {string.Join(", ", Enum.GetNames<T>().Select(JsonNamingPolicy.CamelCase.ConvertName))}.");

    // ---- shapes (docs/Api.md) ----

    /// <summary>A tie as lists show it ("Tie" in docs/Api.md); scores rounded for the wire.</summary>
    private record TieDto(
        string Id,
        string Contact,
        string? DisplayName,
        TieTier Tier,
        TieTier InferredTier,
        double Score,
        DateTimeOffset? LastContact,
        TieTrend Trend,
        TieScope Scope,
        PortabilityDto Portability,
        ReciprocityDto Reciprocity,
        string Why,
        bool IsOverridden,
        bool Muted,
        DateTimeOffset? SnoozedUntil)
    {
        public static TieDto From(TieSummary t) => new(
            t.Id, t.Contact, t.DisplayName, t.Tier, t.InferredTier, Math.Round(t.Score, 4), t.LastContact, t.Trend, t.Scope,
            new PortabilityDto(t.Portability.Class, Math.Round(t.Portability.PersonalShare, 3)),
            new ReciprocityDto(Math.Round(t.Reciprocity.Balance, 3), t.Reciprocity.Owed),
            t.Why, t.IsOverridden, t.Muted, t.SnoozedUntil);
    }

    /// <summary>One tie in full ("Tie detail" in docs/Api.md): the list's fields and what the detail view adds.</summary>
    private sealed record TieDetailDto : TieDto
    {
        public TieDetailDto(TieDetail d)
            : base(From(d.Summary))
        {
            Timeline = d.Timeline;
            Attention = d.Attention;
            RhythmDays = d.RhythmDays;
            WhyParts = d.WhyParts;
            Overrides = d.Overrides;
        }

        public IReadOnlyList<TiesOffice.Application.Scoring.TimelineCount> Timeline { get; }

        public AttentionView Attention { get; }

        public double? RhythmDays { get; }

        public WhyParts WhyParts { get; }

        public OverridesView Overrides { get; }
    }

    private sealed record PortabilityDto(PortabilityClass Class, double PersonalShare);

    private sealed record ReciprocityDto(double Balance, ReplyOwed Owed);

    private sealed record DeleteDto(string? Confirm);

    private sealed record SenderDto(string? Address);

    private sealed record SettingsDto(string DigestDay, string DigestTime, int WeeklyBudget, string? TimeZone, IReadOnlyList<string> Exclusions)
    {
        public static SettingsDto From(SettingsView v) => new(
            JsonNamingPolicy.CamelCase.ConvertName(v.DigestDay.ToString()),
            v.DigestTime.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture),
            v.WeeklyBudget,
            v.TimeZone,
            v.Exclusions);

        public SettingsView ToView()
        {
            if (DigestDay is null || !Enum.TryParse<DayOfWeek>(DigestDay, ignoreCase: true, out var day) || int.TryParse(DigestDay, out _))
            {
                throw new BadBodyException("digestDay", "digestDay must be a day of the week, such as monday.");
            }

            if (!TimeOnly.TryParseExact(DigestTime, "HH:mm", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var time))
            {
                throw new BadBodyException("digestTime", "digestTime must be HH:mm, such as 09:00.");
            }

            return new SettingsView(day, time, WeeklyBudget, string.IsNullOrWhiteSpace(TimeZone) ? null : TimeZone, Exclusions ?? throw new BadBodyException("exclusions", "exclusions is required (an empty list for none)."));
        }
    }
}
