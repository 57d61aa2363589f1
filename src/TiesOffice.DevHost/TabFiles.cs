using TiesOffice.Web.Apis;

namespace TiesOffice.DevHost;

/// <summary>
/// Serves the built tab at <c>/tab/</c> and the Outlook pane at <c>/pane/</c> through the same handler as the Function
/// App (<see cref="StaticSiteApi"/>), from <c>Tab:Path</c> and <c>Pane:Path</c> (defaults: <c>dist</c> and
/// <c>dist-pane</c> of <c>src/TiesOffice.Tab</c> beside the DevHost's project). A site that is not built answers 404
/// saying how to build it.
/// </summary>
internal static class TabFiles
{
    public static void UseTabFiles(this WebApplication app)
    {
        var tab = Path.Combine(app.Environment.ContentRootPath, "..", "TiesOffice.Tab");
        if (string.IsNullOrEmpty(app.Configuration["Tab:Path"]))
        {
            app.Configuration["Tab:Path"] = Path.GetFullPath(Path.Combine(tab, "dist"));
        }

        if (string.IsNullOrEmpty(app.Configuration["Pane:Path"]))
        {
            app.Configuration["Pane:Path"] = Path.GetFullPath(Path.Combine(tab, "dist-pane"));
        }

        // The same routes and methods as the Functions triggers (a test compares the two).
        string[] methods = ["GET", "HEAD"];
        app.MapMethods(StaticSiteApi.TabRoute, methods, StaticSiteApi.GetTab);
        app.MapMethods(StaticSiteApi.PaneRoute, methods, StaticSiteApi.GetPane);
    }
}
