using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace TiesOffice.EndToEnd.Tests.TabApi;

/// <summary>
/// An OpenID issuer the tests control, on a loopback port, shaped like Entra's multi-tenant endpoints: metadata with a
/// templated issuer, and JWKS whose keys carry their own issuer. Tests publish and withdraw keys, take it down, count
/// the JWKS fetches, and mint any token they need (good or broken).
/// </summary>
public sealed class TestIssuer : IAsyncDisposable
{
    private readonly List<(RsaSecurityKey Key, string IssuerTemplate)> _published = [];
    private readonly object _gate = new();
    private WebApplication _app = null!;
    private int _jwksFetches;

    /// <summary>The instance URL, like https://login.microsoftonline.com/ (here http on loopback).</summary>
    public string Instance { get; private set; } = null!;

    /// <summary>When true, metadata and keys answer 503.</summary>
    public bool Unreachable { get; set; }

    /// <summary>How many times the JWKS was fetched.</summary>
    public int JwksFetches => Volatile.Read(ref _jwksFetches);

    /// <summary>The key tokens are signed with by default (published).</summary>
    public RsaSecurityKey SigningKey { get; private set; } = null!;

    public static async Task<TestIssuer> StartAsync()
    {
        var issuer = new TestIssuer();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet("/{tenant}/v2.0/.well-known/openid-configuration", (string tenant) => issuer.Unreachable
            ? Results.StatusCode(503)
            : Results.Text(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["issuer"] = issuer.Instance + (Guid.TryParse(tenant, out _) ? tenant : "{tenantid}") + "/v2.0",
                ["jwks_uri"] = issuer.Instance + "common/discovery/v2.0/keys",
                ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            }), "application/json"));
        app.MapGet("/common/discovery/v2.0/keys", () =>
        {
            Interlocked.Increment(ref issuer._jwksFetches);
            return issuer.Unreachable ? Results.StatusCode(503) : Results.Text(issuer.Jwks(), "application/json");
        });
        await app.StartAsync();
        issuer._app = app;
        issuer.Instance = app.Urls.Single().TrimEnd('/') + "/";
        issuer.SigningKey = issuer.Publish(NewKey());
        return issuer;
    }

    /// <summary>A fresh RSA key with a random kid (not published).</summary>
    public static RsaSecurityKey NewKey() => new(RSA.Create(2048)) { KeyId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)) };

    /// <summary>Publishes a key in the JWKS, with the templated issuer (or a fixed one).</summary>
    public RsaSecurityKey Publish(RsaSecurityKey key, string? issuerTemplate = null)
    {
        lock (_gate)
        {
            _published.Add((key, issuerTemplate ?? Instance + "{tenantid}/v2.0"));
        }

        return key;
    }

    /// <summary>The issuer a token of a tenant carries.</summary>
    public string IssuerFor(string tenantId) => Instance + tenantId + "/v2.0";

    /// <summary>The claims of a good access token for a user.</summary>
    public Dictionary<string, object> AccessTokenClaims(string tenantId, string objectId, string audience)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return new Dictionary<string, object>
        {
            ["iss"] = IssuerFor(tenantId),
            ["aud"] = audience,
            ["tid"] = tenantId,
            ["oid"] = objectId,
            ["sub"] = "pairwise-subject-" + objectId[..8],
            ["email"] = "same.person@example.com",
            ["preferred_username"] = "same.person@example.com",
            ["name"] = "Test Person",
            ["scp"] = "access_as_user",
            ["azp"] = "11111111-2222-4333-8444-555555555555",
            ["ver"] = "2.0",
            ["iat"] = now,
            ["nbf"] = now,
            ["exp"] = now + 3600,
        };
    }

    /// <summary>Signs claims with a key (default: the published signing key) using RS256.</summary>
    public string Sign(IDictionary<string, object> claims, RsaSecurityKey? key = null) =>
        new JsonWebTokenHandler().CreateToken(JsonSerializer.Serialize(claims), new SigningCredentials(key ?? SigningKey, SecurityAlgorithms.RsaSha256));

    /// <summary>An unsigned token (<c>alg: none</c>).</summary>
    public static string WithoutSignature(IDictionary<string, object> claims) => new JsonWebTokenHandler().CreateToken(JsonSerializer.Serialize(claims));

    /// <summary>HS256 with the published RSA public key as the HMAC secret (the classic key-confusion attack).</summary>
    public string SignHmacWithPublicKey(IDictionary<string, object> claims)
    {
        var publicKey = SigningKey.Rsa.ExportSubjectPublicKeyInfo();
        var hmac = new SymmetricSecurityKey(publicKey) { KeyId = SigningKey.KeyId };
        return new JsonWebTokenHandler().CreateToken(JsonSerializer.Serialize(claims), new SigningCredentials(hmac, SecurityAlgorithms.HmacSha256));
    }

    private string Jwks()
    {
        lock (_gate)
        {
            return JsonSerializer.Serialize(new
            {
                keys = _published.Select(p =>
                {
                    var parameters = p.Key.Rsa.ExportParameters(false);
                    return new Dictionary<string, string>
                    {
                        ["kty"] = "RSA",
                        ["use"] = "sig",
                        ["kid"] = p.Key.KeyId,
                        ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
                        ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
                        ["issuer"] = p.IssuerTemplate,
                    };
                }).ToList(),
            });
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
