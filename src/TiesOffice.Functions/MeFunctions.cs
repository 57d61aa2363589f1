using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TiesOffice.Web;
using TiesOffice.Web.Apis;

namespace TiesOffice.Functions;

/// <summary>
/// The tab API's triggers (docs/Api.md): one per route and verb, each a thin shell over <see cref="MeApi"/>, which
/// validates the bearer token itself through the same JwtBearer scheme as the DevHost (the ASP.NET Core integration
/// gives the handlers a real <see cref="HttpContext"/> with the host's services). Anonymous at the Functions level:
/// function keys are not user sign-in.
/// </summary>
public static class MeFunctions
{
    /// <summary>host.json sets no route prefix (the Function App also serves /tab/ and /pane/), so the API routes carry their own.</summary>
    private const string Prefix = TiesOfficeEndpoints.Prefix + "/";

    /// <summary>GET me/summary.</summary>
    [Function("MeSummary")]
    public static Task<IResult> Summary([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Prefix + MeApi.SummaryRoute)] HttpRequest request, CancellationToken cancellationToken) =>
        MeApi.GetSummaryAsync(request, cancellationToken);

    /// <summary>GET me/ties.</summary>
    [Function("MeTies")]
    public static Task<IResult> Ties([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Prefix + MeApi.TiesRoute)] HttpRequest request, CancellationToken cancellationToken) =>
        MeApi.ListTiesAsync(request, cancellationToken);

    /// <summary>GET me/ties/{id}.</summary>
    [Function("MeTie")]
    public static Task<IResult> Tie([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Prefix + MeApi.TieRoute)] HttpRequest request, string id, CancellationToken cancellationToken) =>
        MeApi.GetTieAsync(request, id, cancellationToken);

    /// <summary>PUT me/ties/{id}/overrides.</summary>
    [Function("MePutOverrides")]
    public static Task<IResult> PutOverrides([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = Prefix + MeApi.OverridesRoute)] HttpRequest request, string id, CancellationToken cancellationToken) =>
        MeApi.PutOverridesAsync(request, id, cancellationToken);

    /// <summary>DELETE me/ties/{id}/overrides.</summary>
    [Function("MeDeleteOverrides")]
    public static Task<IResult> DeleteOverrides([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = Prefix + MeApi.OverridesRoute)] HttpRequest request, string id, CancellationToken cancellationToken) =>
        MeApi.DeleteOverridesAsync(request, id, cancellationToken);

    /// <summary>GET me/settings.</summary>
    [Function("MeGetSettings")]
    public static Task<IResult> GetSettings([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Prefix + MeApi.SettingsRoute)] HttpRequest request, CancellationToken cancellationToken) =>
        MeApi.GetSettingsAsync(request, cancellationToken);

    /// <summary>PUT me/settings.</summary>
    [Function("MePutSettings")]
    public static Task<IResult> PutSettings([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = Prefix + MeApi.SettingsRoute)] HttpRequest request, CancellationToken cancellationToken) =>
        MeApi.PutSettingsAsync(request, cancellationToken);

    /// <summary>GET me/role-change.</summary>
    [Function("MeRoleChange")]
    public static Task<IResult> RoleChange([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Prefix + MeApi.RoleChangeRoute)] HttpRequest request, CancellationToken cancellationToken) =>
        MeApi.GetRoleChangeAsync(request, cancellationToken);

    /// <summary>GET me/reach.</summary>
    [Function("MeReach")]
    public static Task<IResult> Reach([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Prefix + MeApi.ReachRoute)] HttpRequest request, CancellationToken cancellationToken) =>
        MeApi.GetReachAsync(request, cancellationToken);

    /// <summary>GET me/export.</summary>
    [Function("MeExport")]
    public static Task<IResult> Export([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Prefix + MeApi.ExportRoute)] HttpRequest request, CancellationToken cancellationToken) =>
        MeApi.ExportAsync(request, cancellationToken);

    /// <summary>POST me/delete.</summary>
    [Function("MeDelete")]
    public static Task<IResult> Delete([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Prefix + MeApi.DeleteRoute)] HttpRequest request, CancellationToken cancellationToken) =>
        MeApi.DeleteAsync(request, cancellationToken);

    /// <summary>POST me/sender (the Outlook pane).</summary>
    [Function("MeSender")]
    public static Task<IResult> Sender([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Prefix + MeApi.SenderRoute)] HttpRequest request, CancellationToken cancellationToken) =>
        MeApi.LookUpSenderAsync(request, cancellationToken);
}
