using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using TiesOffice.Application;
using TiesOffice.Application.Ports;
using TiesOffice.Web.Auth;

namespace TiesOffice.DevHost;

/// <summary>
/// The Development-only OpenID issuer at <c>/dev-login/</c>: its own RSA key (made at start-up, never stored), OpenID
/// metadata and JWKS shaped like Entra's, a page to pick an enrolled demo user, and a token endpoint for scripts and
/// tests. It mints ordinary access tokens; the tab API validates them through the same JwtBearer code as Entra's,
/// with <c>AzureAd:Instance</c> pointing here. It signs only for users enrolled in the demo tenant.
/// </summary>
internal sealed class DevLogin : IDisposable
{
    /// <summary>The path the issuer lives under.</summary>
    public const string Path = "/dev-login/";

    /// <summary>The API's client id in Development (when <c>AzureAd:ClientId</c> is not set).</summary>
    public const string DevClientId = "5a1e7e57-0000-4000-8000-00000000ab1e";

    /// <summary>The tab's own client id, as <c>azp</c>.</summary>
    private const string TabClientId = "5a1e7e57-0000-4000-8000-0000000000ab";

    private static readonly TimeSpan s_lifetime = TimeSpan.FromHours(1);
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly RsaSecurityKey _key;
    private readonly IConfiguration _configuration;
    private readonly TimeProvider _time;

    public DevLogin(IConfiguration configuration, TimeProvider time)
    {
        _configuration = configuration;
        _time = time;
        _key = new RsaSecurityKey(_rsa) { KeyId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)) };
    }

    /// <summary>The configured instance (what the API validates against), with one trailing slash.</summary>
    public string Instance => (_configuration["AzureAd:Instance"] ?? string.Empty).TrimEnd('/') + "/";

    /// <summary>Sets the Development defaults of the <c>AzureAd</c> section under every other source, so the environment wins.</summary>
    public static void AddDefaults(ConfigurationManager configuration)
    {
        configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                ["AzureAd:ClientId"] = DevClientId,
                ["AzureAd:Audience"] = "api://tiesoffice-dev/" + DevClientId,
                ["Demo:TenantId"] = DemoOperations.DefaultTenantId,
            },
        });
    }

    /// <summary>After start, points <c>AzureAd:Instance</c> at this issuer unless the environment set it.</summary>
    public static void PointInstanceHere(WebApplication app)
    {
        if (!string.IsNullOrEmpty(app.Configuration["AzureAd:Instance"]))
        {
            return;
        }

        var addresses = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses ?? [];
        var http = addresses.Select(a => new Uri(a.Replace("://+", "://127.0.0.1", StringComparison.Ordinal).Replace("://*", "://127.0.0.1", StringComparison.Ordinal).Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal).Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal).Replace("://localhost", "://127.0.0.1", StringComparison.Ordinal)))
            .FirstOrDefault(u => u.Scheme == "http");
        if (http is not null)
        {
            app.Configuration["AzureAd:Instance"] = new Uri(http, Path).ToString();
        }
    }

    public void Dispose() => _rsa.Dispose();

    /// <summary>Mints an access token for the API, for one user.</summary>
    public (string Token, int ExpiresIn) Mint(UserKey user, string? name, string address)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        var audience = _configuration["AzureAd:Audience"] is { Length: > 0 } a ? a : _configuration["AzureAd:ClientId"];
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Instance + user.TenantId + "/v2.0",
            Audience = audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + s_lifetime,
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.RsaSha256),
            Claims = new Dictionary<string, object>
            {
                ["tid"] = user.TenantId,
                ["oid"] = user.UserId,
                ["sub"] = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes("sub|" + user))[..24]),
                ["name"] = name ?? address,
                ["preferred_username"] = address,
                ["scp"] = TabAuthentication.RequiredScope,
                ["azp"] = TabClientId,
                ["ver"] = "2.0",
            },
        };
        return (new JsonWebTokenHandler().CreateToken(descriptor), (int)s_lifetime.TotalSeconds);
    }

    public object Metadata(string tenant)
    {
        var issuer = Instance + (Guid.TryParse(tenant, out _) ? tenant : "{tenantid}") + "/v2.0";
        return new Dictionary<string, object>
        {
            ["issuer"] = issuer,
            ["authorization_endpoint"] = Instance + "pick",
            ["token_endpoint"] = Instance + "token",
            ["jwks_uri"] = Instance + tenant + "/discovery/v2.0/keys",
            ["response_types_supported"] = new[] { "token" },
            ["subject_types_supported"] = new[] { "pairwise" },
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        };
    }

    public object Keys()
    {
        var p = _rsa.ExportParameters(false);
        return new Dictionary<string, object>
        {
            ["keys"] = new[]
            {
                new Dictionary<string, string>
                {
                    ["kty"] = "RSA",
                    ["use"] = "sig",
                    ["kid"] = _key.KeyId,
                    ["n"] = Base64UrlEncoder.Encode(p.Modulus),
                    ["e"] = Base64UrlEncoder.Encode(p.Exponent),

                    // As Entra's common keys: the issuer a token signed with this key may carry, templated by tenant.
                    ["issuer"] = Instance + "{tenantid}/v2.0",
                },
            },
        };
    }
}

/// <summary>The issuer's endpoints.</summary>
internal static class DevLoginApi
{
    public static void MapDevLogin(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(DevLogin.Path.TrimEnd('/'));
        group.MapGet("{tenant}/v2.0/.well-known/openid-configuration", (string tenant, DevLogin issuer) => TypedResults.Json(issuer.Metadata(tenant)));
        group.MapGet("{tenant}/discovery/v2.0/keys", (string tenant, DevLogin issuer) => TypedResults.Json(issuer.Keys()));
        group.MapGet("pick", PickPageAsync);
        group.MapPost("pick", PickAsync).DisableAntiforgery();
        group.MapPost("token", TokenAsync);
    }

    private static async Task<IResult> PickPageAsync(string? redirect, IUserDirectory directory, DemoOperations demo, CancellationToken cancellationToken)
    {
        var target = SafeRedirect(redirect);
        if (target is null)
        {
            return TypedResults.Problem(statusCode: 400, title: "Bad redirect", detail: "redirect must be a path on this host, such as /tab/.");
        }

        var html = new StringBuilder();
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>TiesOffice: sign in (Development)</title>")
            .Append("<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}button{display:block;width:100%;text-align:left;margin:.25rem 0;padding:.5rem;font:inherit}</style></head><body>")
            .Append("<h1>Sign in as a demo user</h1><p>Development only: this local issuer signs ordinary access tokens that the API validates like Entra's.</p>");
        var users = new List<EnrolledUser>();
        await foreach (var user in directory.ListTenantAsync(demo.TenantId, cancellationToken).ConfigureAwait(false))
        {
            if (user.Consent != ConsentState.Erased)
            {
                users.Add(user);
            }
        }

        if (users.Count == 0)
        {
            html.Append("<p>No demo user is enrolled yet: run <code>scripts/demo.sh</code> (or POST /api/dev/enrol-all).</p>");
        }

        html.Append("<form method=\"post\"><input type=\"hidden\" name=\"redirect\" value=\"").Append(WebUtility.HtmlEncode(target)).Append("\">");
        foreach (var user in users.OrderBy(u => u.DisplayName ?? u.MailAddress, StringComparer.OrdinalIgnoreCase))
        {
            html.Append("<button type=\"submit\" name=\"user\" value=\"").Append(WebUtility.HtmlEncode(user.User.UserId)).Append("\">")
                .Append(WebUtility.HtmlEncode(user.DisplayName ?? user.MailAddress)).Append(" &lt;").Append(WebUtility.HtmlEncode(user.MailAddress)).Append("&gt;</button>");
        }

        html.Append("</form></body></html>");
        return TypedResults.Content(html.ToString(), "text/html; charset=utf-8");
    }

    private static async Task<IResult> PickAsync(HttpRequest request, IUserDirectory directory, DemoOperations demo, DevLogin issuer, CancellationToken cancellationToken)
    {
        var form = await request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
        var target = SafeRedirect(form["redirect"]);
        if (target is null)
        {
            return TypedResults.Problem(statusCode: 400, title: "Bad redirect", detail: "redirect must be a path on this host, such as /tab/.");
        }

        var user = await FindAsync(directory, demo, form["user"].ToString(), cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            return TypedResults.Problem(statusCode: 404, title: "No such demo user", detail: "Pick one of the enrolled demo users.");
        }

        var (token, expiresIn) = issuer.Mint(user.User, user.DisplayName, user.MailAddress);
        return TypedResults.Redirect($"{target}#access_token={Uri.EscapeDataString(token)}&token_type=Bearer&expires_in={expiresIn}");
    }

    private static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> TokenAsync(TokenRequest body, IUserDirectory directory, DemoOperations demo, DevLogin issuer, CancellationToken cancellationToken)
    {
        var user = await FindAsync(directory, demo, body.User ?? string.Empty, cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            return TypedResults.Problem(statusCode: 404, title: "No such demo user", detail: "Name an enrolled demo user by address or id.");
        }

        var (token, expiresIn) = issuer.Mint(user.User, user.DisplayName, user.MailAddress);
        return TypedResults.Ok(new TokenResponse(token, "Bearer", expiresIn));
    }

    private static async Task<EnrolledUser?> FindAsync(IUserDirectory directory, DemoOperations demo, string who, CancellationToken cancellationToken)
    {
        if (who.Length == 0)
        {
            return null;
        }

        await foreach (var user in directory.ListTenantAsync(demo.TenantId, cancellationToken).ConfigureAwait(false))
        {
            if (user.Consent != ConsentState.Erased
                && (user.User.UserId == who || string.Equals(user.MailAddress, who, StringComparison.OrdinalIgnoreCase)))
            {
                return user;
            }
        }

        return null;
    }

    // Only a path on this host: no scheme, no host, no protocol-relative "//" or "/\".
    private static string? SafeRedirect(string? redirect)
    {
        var target = string.IsNullOrEmpty(redirect) ? "/tab/" : redirect;
        return target.StartsWith('/') && !target.StartsWith("//", StringComparison.Ordinal) && !target.StartsWith("/\\", StringComparison.Ordinal)
            && !target.Contains('#', StringComparison.Ordinal) && !target.Any(char.IsControl)
            ? target
            : null;
    }

    internal sealed record TokenRequest(string? User);

    internal sealed record TokenResponse(
        [property: System.Text.Json.Serialization.JsonPropertyName("access_token")] string AccessToken,
        [property: System.Text.Json.Serialization.JsonPropertyName("token_type")] string TokenType,
        [property: System.Text.Json.Serialization.JsonPropertyName("expires_in")] int ExpiresIn);
}
