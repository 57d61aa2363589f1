using System.Net;

namespace TiesOffice.Web.Auth;

/// <summary>
/// The <c>AzureAd</c> section, named as Microsoft.Identity.Web names it: which Entra tokens the tab API accepts.
/// </summary>
public sealed class AzureAdOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "AzureAd";

    /// <summary>The cloud instance, ending with a slash (default <c>https://login.microsoftonline.com/</c>).</summary>
    public string Instance { get; set; } = "https://login.microsoftonline.com/";

    /// <summary>The tenant GUID this deployment serves, or <c>organizations</c> to serve every tenant that installs the app.</summary>
    public string TenantId { get; set; } = "organizations";

    /// <summary>The API's application (client) id; tokens whose <c>aud</c> is it are accepted.</summary>
    public string? ClientId { get; set; }

    /// <summary>The API's application ID URI (for example <c>api://tiesoffice.example.com/&lt;client id&gt;</c>); also accepted as <c>aud</c>.</summary>
    public string? Audience { get; set; }

    /// <summary>The instance with exactly one trailing slash.</summary>
    public string NormalizedInstance => Instance.TrimEnd('/') + "/";

    /// <summary>Whether the tenant is one fixed tenant (a GUID) rather than <c>organizations</c>.</summary>
    public bool IsSingleTenant => Guid.TryParse(TenantId, out _);

    /// <summary>Whether the instance is a loopback address (the only place plain http metadata is allowed).</summary>
    public bool IsLoopbackInstance =>
        Uri.TryCreate(NormalizedInstance, UriKind.Absolute, out var uri)
        && (uri.IsLoopback || (IPAddress.TryParse(uri.Host, out var ip) && IPAddress.IsLoopback(ip)));

    /// <summary>The OpenID metadata address.</summary>
    public string MetadataAddress => $"{NormalizedInstance}{TenantId}/v2.0/.well-known/openid-configuration";

    /// <summary>The issuer a token of tenant <paramref name="tenantId"/> must carry.</summary>
    public string IssuerFor(string tenantId) => $"{NormalizedInstance}{tenantId}/v2.0";

    /// <summary>Checks the settings; returns the problems, empty when none.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (!Uri.TryCreate(NormalizedInstance, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            problems.Add("AzureAd:Instance must be an absolute URL such as https://login.microsoftonline.com/.");
        }
        else if (uri.Scheme == "http" && !IsLoopbackInstance)
        {
            problems.Add("AzureAd:Instance must use https (plain http is allowed only for a loopback address such as http://127.0.0.1:5000/dev-login/).");
        }

        if (!IsSingleTenant && TenantId != "organizations")
        {
            problems.Add("AzureAd:TenantId must be a tenant GUID or 'organizations'.");
        }

        return problems;
    }
}
