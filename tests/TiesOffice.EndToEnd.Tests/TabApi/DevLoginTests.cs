extern alias simulator;

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using simulator::TiesOffice.GraphSimulator;
using TiesOffice.Testing.Azurite;

namespace TiesOffice.EndToEnd.Tests.TabApi;

/// <summary>
/// Local sign-in without a bypass: the DevHost on a real loopback port, with no <c>AzureAd</c> settings at all, runs
/// its own issuer; the API fetches that issuer's metadata and keys over HTTP and validates its tokens like Entra's.
/// </summary>
public sealed class DevLoginTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private GraphSimulatorServer _simulator = null!;
    private WebApplicationFactory<Program> _host = null!;
    private HttpClient _client = null!;

    public async ValueTask InitializeAsync()
    {
        _simulator = await GraphSimulatorServer.StartAsync(new SimulatorOptions { DataPath = Path.Combine(TestPaths.SharedData, "enron"), ShiftToNow = true });
        _host = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Development");
            web.UseSetting("Graph:BaseUrl", _simulator.GraphBaseUrl);
            web.UseSetting("Graph:DevelopmentToken", "true");
            web.UseSetting("Storage:ConnectionString", azurite.ConnectionString);
            web.UseSetting("Storage:TablePrefix", AzuriteFixture.NewTablePrefix("login"));
            web.UseSetting("Storage:QueueName", AzuriteFixture.NewQueueName("login"));
            web.UseSetting("SyncSchedule:Interval", "01:00:00");
            web.UseSetting("Bot:AppId", "00000000-0000-0000-0000-00000000b07a");
        });
        _host.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _host.StartServer();
        var address = _host.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First();
        _client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(address) };
        using var enrol = await _client.PostAsync(new Uri("/api/dev/enrol?user=harry.arora%40enron.com", UriKind.Relative), null, TestContext.Current.CancellationToken);
        enrol.EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task PickPage_RedirectsToTheTabWithAToken_ThatTheApiAccepts()
    {
        var ct = TestContext.Current.CancellationToken;
        var page = await _client.GetStringAsync(new Uri("/dev-login/pick?redirect=/tab/", UriKind.Relative), ct);
        Assert.Contains("harry.arora@enron.com", page, StringComparison.Ordinal);
        var userId = System.Text.RegularExpressions.Regex.Match(page, "name=\"user\" value=\"([^\"]+)\"").Groups[1].Value;

        using var picked = await _client.PostAsync(new Uri("/dev-login/pick", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string> { ["user"] = userId, ["redirect"] = "/tab/" }), ct);
        Assert.Equal(HttpStatusCode.Redirect, picked.StatusCode);
        var location = picked.Headers.Location!.OriginalString;
        Assert.StartsWith("/tab/#access_token=", location, StringComparison.Ordinal);
        var token = Uri.UnescapeDataString(location.Split("access_token=")[1].Split('&')[0]);

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/me/summary", UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var summary = await _client.SendAsync(request, ct);
        Assert.Equal(HttpStatusCode.OK, summary.StatusCode);
        var body = await summary.Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.Equal("harry.arora@enron.com", body.GetProperty("user").GetProperty("mailAddress").GetString());
    }

    [Fact]
    public async Task TokenEndpoint_MintsForEnrolledUsersOnly()
    {
        var ct = TestContext.Current.CancellationToken;
        using var good = await _client.PostAsJsonAsync(new Uri("/dev-login/token", UriKind.Relative), new { user = "harry.arora@enron.com" }, ct);
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        var token = (await good.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("access_token").GetString();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/me/ties?limit=5", UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var ties = await _client.SendAsync(request, ct);
        Assert.Equal(HttpStatusCode.OK, ties.StatusCode);

        using var stranger = await _client.PostAsJsonAsync(new Uri("/dev-login/token", UriKind.Relative), new { user = "nobody@enron.com" }, ct);
        Assert.Equal(HttpStatusCode.NotFound, stranger.StatusCode);
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example/")]
    public async Task PickPage_RefusesRedirectsOffThisHost(string redirect)
    {
        using var response = await _client.GetAsync(new Uri("/dev-login/pick?redirect=" + Uri.EscapeDataString(redirect), UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
        await _simulator.DisposeAsync();
    }
}
