using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Microsoft.IdentityModel.Validators;
using TiesOffice.Application;

namespace TiesOffice.Web.Auth;

/// <summary>
/// Validates the tab's Entra access tokens with JwtBearer and Microsoft.IdentityModel's <see cref="AadIssuerValidator"/>
/// and signing-key issuer check. There is no switch that turns any of it off: without <c>AzureAd:ClientId</c> no
/// audience matches and every token is refused.
/// </summary>
public static class TabAuthentication
{
    /// <summary>The authentication scheme of the tab API.</summary>
    public const string Scheme = "TabBearer";

    /// <summary>The delegated scope every token must carry.</summary>
    public const string RequiredScope = "access_as_user";

    /// <summary>Allowed clock skew for <c>exp</c> and <c>nbf</c> (security.md: 5 minutes).</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>Registers the scheme from the <c>AzureAd</c> section (read when the first token arrives, so a host may set it late).</summary>
    /// <param name="services">The services.</param>
    public static void AddTabAuthentication(this IServiceCollection services)
    {
        services.AddOptions<AzureAdOptions>().BindConfiguration(AzureAdOptions.SectionName)
            .Validate(o => o.Problems().Count == 0, "AzureAd: Instance must be https (or loopback http) and TenantId a GUID or 'organizations'.");
        services.AddAuthentication().AddJwtBearer(Scheme, _ => { });
        services.AddOptions<JwtBearerOptions>(Scheme).Configure<IOptions<AzureAdOptions>>((jwt, ad) => Configure(jwt, ad.Value));
    }

    private static void Configure(JwtBearerOptions jwt, AzureAdOptions ad)
    {
        jwt.MetadataAddress = ad.MetadataAddress;
        jwt.RequireHttpsMetadata = !ad.IsLoopbackInstance;
        jwt.MapInboundClaims = false;
        jwt.RefreshOnIssuerKeyNotFound = true;
        var audiences = new[] { ad.Audience, ad.ClientId }.Where(a => !string.IsNullOrWhiteSpace(a)).Select(a => a!).ToArray();
        var parameters = new TokenValidationParameters
        {
            ValidateAudience = true,
            ValidAudiences = audiences,

            // With no audience configured, nothing can match: fail closed rather than accept any audience.
            AudienceValidator = audiences.Length == 0 ? (_, _, _) => false : null,
            ValidateIssuer = true,
            ValidIssuer = ad.IsSingleTenant ? ad.IssuerFor(ad.TenantId) : ad.IssuerFor("{tenantid}"),
            IssuerValidator = AadIssuerValidator.GetAadIssuerValidator(ad.IssuerFor(ad.TenantId)).Validate,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            ClockSkew = ClockSkew,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            NameClaimType = "name",
        };
        parameters.EnableAadSigningKeyIssuerValidation();
        jwt.TokenValidationParameters = parameters;
        jwt.Events = new JwtBearerEvents
        {
            OnTokenValidated = context =>
            {
                if (context.Principal is null || UserOf(context.Principal, ad) is null)
                {
                    context.Fail("The token's tid and oid must be GUIDs, its issuer must be its own tenant's, and a single-tenant deployment accepts only its tenant.");
                }

                return Task.CompletedTask;
            },
        };
    }

    /// <summary>The user a validated token names: (tid, oid), never an address or UPN; null when they are not GUIDs.</summary>
    /// <param name="principal">The validated principal.</param>
    /// <param name="ad">The settings.</param>
    /// <returns>The user, or null.</returns>
    public static UserKey? UserOf(ClaimsPrincipal principal, AzureAdOptions ad)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(ad);
        var tid = principal.FindFirstValue("tid");
        var oid = principal.FindFirstValue("oid");
        var iss = principal.FindFirstValue("iss");
        if (!Guid.TryParse(tid, out var tenant) || !Guid.TryParse(oid, out var user) || iss != ad.IssuerFor(tid!))
        {
            return null;
        }

        if (ad.IsSingleTenant && !string.Equals(tid, ad.TenantId, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return new UserKey(tenant.ToString("D"), user.ToString("D"));
    }

    /// <summary>Whether the token is a delegated token with the <see cref="RequiredScope"/> (ID tokens and app-only tokens have no <c>scp</c>).</summary>
    /// <param name="principal">The validated principal.</param>
    /// <returns>True when the scope is there.</returns>
    public static bool HasRequiredScope(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return principal.FindAll("scp").SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Contains(RequiredScope, StringComparer.Ordinal);
    }
}
