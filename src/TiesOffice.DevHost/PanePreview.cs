using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using TiesOffice.Web.Apis;

namespace TiesOffice.DevHost;

/// <summary>
/// Development only: the Outlook pane in a plain browser, for the demo. <c>/dev-pane/</c> asks for a sender (address,
/// name, light or dark); <c>/dev-pane/?from=…</c> serves the built pane with Office.js replaced by a stand-in that
/// gives it that message (Office.context.mailbox.item with <c>from</c> and <c>sender</c>, and the Office theme). The
/// pane signs in through the local sign-in page, as the tab does. Office hosts cannot run here; inside Outlook the
/// pane loads the real Office.js and signs in with nested app authentication.
/// </summary>
internal static class PanePreview
{
    public const string Path = "/dev-pane/";

    public static void MapPanePreview(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Path, Page);
        endpoints.MapGet(Path + "office-stand-in.js", StandIn);
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ContentHttpResult Page(HttpRequest request, IConfiguration configuration)
    {
        var from = request.Query["from"].ToString();
        if (string.IsNullOrWhiteSpace(from))
        {
            return TypedResults.Content(
                """
                <!doctype html><html lang="en"><head><meta charset="utf-8"><title>TiesOffice pane preview</title>
                <style>body{font-family:system-ui,sans-serif;max-width:34rem;margin:2rem auto;padding:0 1rem}label{display:block;margin:.6rem 0}</style></head>
                <body><h1>Outlook pane preview (DevHost)</h1>
                <p>Opens the sender pane in this browser with a stand-in for Office.js that gives it a message from the
                sender below. Sign in as a demo user when asked; pick a sender that user writes to for the known-sender
                view, or any other address for a first contact.</p>
                <form method="get"><label>Sender's address <input name="from" type="email" required value="david.w.delainey@enron.com"></label>
                <label>Sender's name <input name="name" value="David Delainey"></label>
                <label><input type="checkbox" name="theme" value="dark"> Dark Office theme</label>
                <button type="submit">Open the pane</button></form></body></html>
                """, "text/html; charset=utf-8");
        }

        var index = System.IO.Path.Combine(StaticSiteApi.FolderOf(configuration, StaticSiteApi.Site.Pane), "index.html");
        if (!File.Exists(index))
        {
            return TypedResults.Text("The pane is not built: cd src/TiesOffice.Tab && npm run build\n", statusCode: 404);
        }

        var standIn = Path + "office-stand-in.js" + request.QueryString;
        var html = File.ReadAllText(index).Replace("src=\"office/office.js\"", $"src=\"{WebUtility.HtmlEncode(standIn)}\"", StringComparison.Ordinal);
        return TypedResults.Content(html, "text/html; charset=utf-8");
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ContentHttpResult StandIn(string? from, string? name, string? theme)
    {
        var js = JavaScriptEncoder.Default;
        var address = js.Encode(from ?? string.Empty);
        var display = js.Encode(string.IsNullOrWhiteSpace(name) ? from ?? string.Empty : name);
        var dark = theme == "dark";
        var script = new StringBuilder()
            .AppendLine("/* A STAND-IN for Office.js (DevHost preview only): the open message and the Office theme. */")
            .AppendLine("(function () {")
            .Append("  var who = { emailAddress: \"").Append(address).Append("\", displayName: \"").Append(display).AppendLine("\" };")
            .AppendLine("  window.Office = {")
            .AppendLine("    onReady: function () { return Promise.resolve({ host: null, platform: null }); },")
            .AppendLine("    EventType: { OfficeThemeChanged: 'officeThemeChanged' },")
            .AppendLine("    context: {")
            .AppendLine("      displayLanguage: navigator.language || 'en-US',")
            .Append("      officeTheme: { isDarkTheme: ").Append(dark ? "true" : "false").Append(", bodyBackgroundColor: '").Append(dark ? "#292929" : "#ffffff").AppendLine("' },")
            .AppendLine("      requirements: { isSetSupported: function () { return false; } },")
            .AppendLine("      mailbox: { item: { itemType: 'message', from: who, sender: who }, addHandlerAsync: function () {} },")
            .AppendLine("    },")
            .AppendLine("  };")
            .AppendLine("})();")
            .ToString();
        return TypedResults.Content(script, "text/javascript; charset=utf-8");
    }
}
