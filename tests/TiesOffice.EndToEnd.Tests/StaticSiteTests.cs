using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using TiesOffice.Testing.Azurite;
using TiesOffice.Web.Apis;

namespace TiesOffice.EndToEnd.Tests;

/// <summary>
/// The tab and the pane's static files through the DevHost, which maps the same handler and routes as the Function
/// App (<see cref="StaticSiteApi"/>; <see cref="FunctionsHostTests"/> checks the routes match): content types,
/// caching, conditional requests, the redirect to the trailing slash, the generated config.json, and no way out of
/// the site's folder.
/// </summary>
public sealed class StaticSiteTests : IAsyncLifetime
{
    private readonly AzuriteFixture _azurite;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "ties-static-" + Guid.NewGuid().ToString("N"));
    private WebApplicationFactory<Program> _host = null!;
    private HttpClient _client = null!;

    public StaticSiteTests(AzuriteFixture azurite) => _azurite = azurite;

    public ValueTask InitializeAsync()
    {
        var tab = Directory.CreateDirectory(Path.Combine(_root, "site", "tab")).FullName;
        var pane = Directory.CreateDirectory(Path.Combine(_root, "site", "pane")).FullName;
        Directory.CreateDirectory(Path.Combine(tab, "assets"));
        Directory.CreateDirectory(Path.Combine(pane, "office", "en-us"));
        File.WriteAllText(Path.Combine(tab, "index.html"), "<!doctype html><title>tab</title>");
        File.WriteAllText(Path.Combine(tab, "assets", "index-abc123.js"), "console.log('tab');");
        File.WriteAllText(Path.Combine(tab, ".env"), "SECRET=1");
        File.WriteAllText(Path.Combine(tab, "notes.unknownext"), "?");
        File.WriteAllText(Path.Combine(pane, "index.html"), "<!doctype html><title>pane</title>");
        File.WriteAllBytes(Path.Combine(pane, "ribbon-16.png"), [0x89, 0x50, 0x4E, 0x47]);
        File.WriteAllText(Path.Combine(pane, "office", "en-us", "outlook_strings.js"), "var x;");
        // A file beside the sites that no URL may reach.
        File.WriteAllText(Path.Combine(_root, "site", "secret.json"), "{\"secret\":true}");

        var settings = new Dictionary<string, string?>
        {
            ["Tab:Path"] = tab,
            ["Pane:Path"] = pane,
            ["Graph:BaseUrl"] = "http://127.0.0.1:9/v1.0",
            ["Graph:DevelopmentToken"] = "true",
            ["Storage:ConnectionString"] = _azurite.ConnectionString,
            ["Storage:TablePrefix"] = AzuriteFixture.NewTablePrefix("site"),
            ["Storage:QueueName"] = AzuriteFixture.NewQueueName("site"),
            ["Storage:ContactKeySecret"] = "static-site-secret",
            ["Bot:AppId"] = "00000000-0000-0000-0000-00000000b07a",
            ["SyncSchedule:Interval"] = "01:00:00",
            ["AzureAd:Instance"] = "https://login.microsoftonline.com/",
            ["AzureAd:TenantId"] = "11111111-2222-4333-8444-555555555555",
            ["AzureAd:ClientId"] = "a9a9a9a9-0000-4000-8000-0000000000a9",
            ["AzureAd:Audience"] = "a9a9a9a9-0000-4000-8000-0000000000a9",
        };
        _host = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Production");
            foreach (var (key, value) in settings)
            {
                web.UseSetting(key, value);
            }
        });
        _client = _host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri("https://ties.example.com") });
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    [Theory]
    [InlineData("/tab/", "text/html", "tab", StaticSiteApi.RevalidateCache)]
    [InlineData("/tab/assets/index-abc123.js", "text/javascript", "console.log('tab');", StaticSiteApi.ImmutableCache)]
    [InlineData("/pane/", "text/html", "pane", StaticSiteApi.RevalidateCache)]
    [InlineData("/pane/ribbon-16.png", "image/png", null, StaticSiteApi.RevalidateCache)]
    [InlineData("/pane/office/en-us/outlook_strings.js", "text/javascript", "var x;", StaticSiteApi.RevalidateCache)]
    public async Task Get_AFileOfTheSite_ServesItWithItsTypeAndCaching(string path, string type, string? contains, string cache)
    {
        using var response = await _client.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(type, response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(cache, response.Headers.CacheControl!.ToString());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.NotNull(response.Headers.ETag);
        if (contains is not null)
        {
            Assert.Contains(contains, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Get_WithTheETag_Gets304()
    {
        var ct = TestContext.Current.CancellationToken;
        using var first = await _client.GetAsync(new Uri("/pane/", UriKind.Relative), ct);
        using var again = new HttpRequestMessage(HttpMethod.Get, new Uri("/pane/", UriKind.Relative));
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var response = await _client.SendAsync(again, ct);
        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
    }

    [Theory]
    [InlineData("/tab", "/tab/")]
    [InlineData("/pane", "/pane/")]
    public async Task Get_TheSiteWithoutItsSlash_RedirectsToIt(string path, string location)
    {
        using var response = await _client.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal(location, response.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData("/tab/..%2Fsecret.json")]
    [InlineData("/tab/%2E%2E/secret.json")]
    [InlineData("/tab/..%5Csecret.json")]
    [InlineData("/pane/..%2F..%2Fsite%2Fsecret.json")]
    [InlineData("/tab/.env")]
    [InlineData("/tab/notes.unknownext")]
    [InlineData("/tab/missing.js")]
    [InlineData("/tab/assets")]
    [InlineData("/tab/assets//index-abc123.js")]
    [InlineData("/pane/%2Fetc%2Fpasswd")]
    public async Task Get_APathOutsideTheSiteHiddenUnknownOrMissing_Gets404(string path)
    {
        using var response = await _client.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("secret", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("..", false)]
    [InlineData("a/../b.js", false)]
    [InlineData("a\\b.js", false)]
    [InlineData("c:/x.js", false)]
    [InlineData(".git/config", false)]
    [InlineData("a//b.js", false)]
    [InlineData("assets/index-abc.js", true)]
    [InlineData("ribbon-25@2x.png", true)]
    public void IsSafe_RefusesEveryWayOut(string path, bool safe) => Assert.Equal(safe, StaticSiteApi.IsSafe(path));

    [Fact]
    public async Task ConfigJson_WhenTheSiteShipsNone_IsMadeFromTheAzureAdSettings()
    {
        var ct = TestContext.Current.CancellationToken;
        using var response = await _client.GetAsync(new Uri("/pane/config.json", UriKind.Relative), ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        using var config = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        Assert.Equal("a9a9a9a9-0000-4000-8000-0000000000a9", config.RootElement.GetProperty("clientId").GetString());
        Assert.Equal("api://ties.example.com/a9a9a9a9-0000-4000-8000-0000000000a9/access_as_user", config.RootElement.GetProperty("scope").GetString());
        Assert.Equal("https://login.microsoftonline.com/11111111-2222-4333-8444-555555555555", config.RootElement.GetProperty("authority").GetString());
    }

    [Fact]
    public async Task Head_IsServedLikeGet_WithoutABody()
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, new Uri("/tab/assets/index-abc123.js", UriKind.Relative));
        using var response = await _client.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(StaticSiteApi.ImmutableCache, response.Headers.CacheControl!.ToString());
    }
}
