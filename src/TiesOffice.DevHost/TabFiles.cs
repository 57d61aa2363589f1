using Microsoft.Extensions.FileProviders;

namespace TiesOffice.DevHost;

/// <summary>
/// Serves the built tab at <c>/tab/</c> from <c>Tab:Path</c> (default <c>src/TiesOffice.Tab/dist</c> beside the
/// DevHost's project). When the folder is missing, <c>/tab/</c> says how to build it.
/// </summary>
internal static class TabFiles
{
    public const string RequestPath = "/tab";

    public static void UseTabFiles(this WebApplication app)
    {
        var configured = app.Configuration["Tab:Path"];
        var path = Path.GetFullPath(string.IsNullOrEmpty(configured)
            ? Path.Combine(app.Environment.ContentRootPath, "..", "TiesOffice.Tab", "dist")
            : configured);
        if (!File.Exists(Path.Combine(path, "index.html")))
        {
            app.MapGet(RequestPath + "/{**rest}", () => TypedResults.Text(
                $"The tab is not built. Build it with:\n\n  cd src/TiesOffice.Tab && npm ci --no-audit --no-fund && npm run build\n\n(or set Tab:Path to a folder holding its index.html; looked in {path}).\n",
                statusCode: 404));
            return;
        }

        var files = new PhysicalFileProvider(path);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files, RequestPath = RequestPath });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files, RequestPath = RequestPath });

        // No fallback route: the tab routes with the address's hash (#/ties/...), so every request is for a real file,
        // and a fallback endpoint would be chosen before the static files and answer 404 for /tab/ itself.
    }
}
