using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using TiesOffice.Web.Apis;

namespace TiesOffice.Functions;

/// <summary>
/// The tab and the Outlook pane (docs/Deploy.md, "Why the Function App serves the tab and the pane"): their built
/// files, published under <c>wwwroot/tab</c> and <c>wwwroot/pane</c>, served by the same handler as the DevHost's.
/// host.json's empty route prefix puts them at <c>/tab/</c> and <c>/pane/</c>.
/// </summary>
public static class SiteFunctions
{
    /// <summary>GET tab/{*path}.</summary>
    [Function("Tab")]
    public static IResult Tab([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = StaticSiteApi.TabRoute)] HttpRequest request, string? path) =>
        StaticSiteApi.GetTab(request, path);

    /// <summary>GET pane/{*path}.</summary>
    [Function("Pane")]
    public static IResult Pane([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = StaticSiteApi.PaneRoute)] HttpRequest request, string? path) =>
        StaticSiteApi.GetPane(request, path);
}
