using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using TiesOffice.Web.Auth;

namespace TiesOffice.Web.Apis;

/// <summary>
/// The tab and the Outlook pane: built static files served at <c>/tab/</c> and <c>/pane/</c> by both hosts (the
/// Function App is the deployment's only host, docs/Deploy.md). One handler for both, so the DevHost serves exactly
/// what the Function App does: known file types only, no path outside the site's folder, hashed assets cached for a
/// year, everything else revalidated, and a <c>config.json</c> made from the <c>AzureAd</c> settings when the site
/// ships none (so one build serves any deployment).
/// </summary>
public static class StaticSiteApi
{
    /// <summary>The tab's route (no <c>api</c> prefix).</summary>
    public const string TabRoute = "tab/{*path}";

    /// <summary>The pane's route (no <c>api</c> prefix).</summary>
    public const string PaneRoute = "pane/{*path}";

    /// <summary>The Cache-Control of Vite's content-hashed files under <c>assets/</c>.</summary>
    public const string ImmutableCache = "public, max-age=31536000, immutable";

    /// <summary>The Cache-Control of everything else: cached, but revalidated (ETag) before each use.</summary>
    public const string RevalidateCache = "no-cache";

    private static readonly FileExtensionContentTypeProvider s_types = new();

    /// <summary>The two sites.</summary>
    public enum Site
    {
        /// <summary>The personal tab (<c>/tab/</c>).</summary>
        Tab,

        /// <summary>The Outlook sender pane (<c>/pane/</c>).</summary>
        Pane,
    }

    /// <summary>
    /// The folder of a site's built files: <c>Tab:Path</c> or <c>Pane:Path</c> when set, else <c>wwwroot/tab</c> or
    /// <c>wwwroot/pane</c> beside the host's binaries (where the Functions publish puts them).
    /// </summary>
    public static string FolderOf(IConfiguration configuration, Site site)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var name = site == Site.Tab ? "tab" : "pane";
        var configured = configuration[(site == Site.Tab ? "Tab" : "Pane") + ":Path"];
        return Path.GetFullPath(string.IsNullOrEmpty(configured) ? Path.Combine(AppContext.BaseDirectory, "wwwroot", name) : configured);
    }

    /// <summary>GET or HEAD tab/{*path}.</summary>
    public static IResult GetTab(HttpRequest request, string? path) => Serve(request, Site.Tab, path);

    /// <summary>GET or HEAD pane/{*path}.</summary>
    public static IResult GetPane(HttpRequest request, string? path) => Serve(request, Site.Pane, path);

    /// <summary>Serves one file of a site, or 404 (a 301 from <c>/tab</c> to <c>/tab/</c>).</summary>
    public static IResult Serve(HttpRequest request, Site site, string? path)
    {
        ArgumentNullException.ThrowIfNull(request);
        var prefix = site == Site.Tab ? "/tab" : "/pane";
        if (string.IsNullOrEmpty(path) && !request.Path.Value!.EndsWith('/'))
        {
            // The pages resolve config.json against their own address, which must end with a slash.
            return TypedResults.Redirect(prefix + "/" + request.QueryString, permanent: true);
        }

        var services = request.HttpContext.RequestServices;
        var root = FolderOf(services.GetRequiredService<IConfiguration>(), site);
        var relative = string.IsNullOrEmpty(path) ? "index.html" : path;
        if (!IsSafe(relative))
        {
            return NotFound();
        }

        var full = Path.GetFullPath(Path.Combine(root, relative));
        var rootWithSlash = root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar;
        if (!full.StartsWith(rootWithSlash, StringComparison.Ordinal) || !s_types.TryGetContentType(full, out var contentType))
        {
            return NotFound();
        }

        var headers = request.HttpContext.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        var file = new FileInfo(full);
        if (!file.Exists)
        {
            if (relative == "config.json" && ConfigFor(request) is { } config)
            {
                headers.CacheControl = RevalidateCache;
                return TypedResults.Text(config, "application/json");
            }

            return relative == "index.html" && !Directory.Exists(root)
                ? TypedResults.Problem(statusCode: 404, title: $"The {site.ToString().ToLowerInvariant()} is not built",
                    detail: "Build src/TiesOffice.Tab (npm ci && npm run build) and publish or point " + (site == Site.Tab ? "Tab:Path" : "Pane:Path") + " at its output.")
                : NotFound();
        }

        headers.CacheControl = relative.StartsWith("assets/", StringComparison.Ordinal) ? ImmutableCache : RevalidateCache;
        var lastModified = new DateTimeOffset(file.LastWriteTimeUtc);
        var etag = new EntityTagHeaderValue($"\"{file.Length:x}-{file.LastWriteTimeUtc.Ticks:x}\"");
        if (contentType.StartsWith("text/", StringComparison.Ordinal) || contentType is "application/json" or "application/javascript")
        {
            contentType += "; charset=utf-8";
        }

        return TypedResults.PhysicalFile(full, contentType, lastModified: lastModified, entityTag: etag);
    }

    /// <summary>
    /// A relative path with no way out of the site's folder: no empty, <c>.</c> or <c>..</c> segment, no hidden file,
    /// no backslash, colon or control character, at most 256 characters.
    /// </summary>
    public static bool IsSafe(string relative)
    {
        if (string.IsNullOrEmpty(relative) || relative.Length > 256 || relative.Any(c => char.IsControl(c) || c is '\\' or ':' or '*' or '?' or '"' or '<' or '>' or '|'))
        {
            return false;
        }

        return relative.Split('/').All(segment => segment.Length > 0 && !segment.StartsWith('.'));
    }

    /// <summary>
    /// The runtime settings the pages read (src/TiesOffice.Tab/README.md, "Configuration") when sign-in is configured:
    /// the client id, the <c>access_as_user</c> scope of the application ID URI and the authority of the tenant.
    /// </summary>
    private static string? ConfigFor(HttpRequest request)
    {
        var ad = request.HttpContext.RequestServices.GetRequiredService<IOptions<AzureAdOptions>>().Value;
        if (string.IsNullOrEmpty(ad.ClientId))
        {
            return null;
        }

        var appIdUri = ad.Audience is { } audience && audience.StartsWith("api://", StringComparison.OrdinalIgnoreCase)
            ? audience.TrimEnd('/')
            : $"api://{request.Host.Host}/{ad.ClientId}";
        return new JsonObject
        {
            ["clientId"] = ad.ClientId,
            ["scope"] = appIdUri + "/access_as_user",
            ["authority"] = ad.NormalizedInstance + ad.TenantId,
        }.ToJsonString();
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult NotFound() => TypedResults.Problem(statusCode: 404, title: "Not found");
}
