extern alias simulator;

using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using simulator::TiesOffice.GraphSimulator;
using TiesOffice.Application;
using TiesOffice.Application.Ports;
using TiesOffice.Infrastructure.Storage;
using TiesOffice.Testing.Azurite;

namespace TiesOffice.EndToEnd.Tests.TabApi;

[CollectionDefinition(Name)]
public sealed class TabApiGroup : ICollectionFixture<TabApiFixture>
{
    public const string Name = "Tab API";
}

/// <summary>
/// The DevHost over Azurite and the Graph simulator, accepting tokens from a <see cref="TestIssuer"/> for any tenant
/// (<c>AzureAd:TenantId=organizations</c>). Two tenants: A (the demo tenant) with four users, B with one user who
/// has the same Graph mailbox (and the same sub and email claims in the tests' tokens) as A's first user.
/// </summary>
public sealed class TabApiFixture(AzuriteFixture azurite) : IAsyncLifetime
{
    public const string TenantA = EndToEndFixture.TenantId;
    public const string TenantB = "b0b00000-0000-4000-8000-00000000000b";
    public const string ClientId = "a9a9a9a9-0000-4000-8000-0000000000a9";
    public const string Audience = "api://tiesoffice-test/" + ClientId;

    // Small Enron mailboxes, so the fixture syncs in seconds.
    public const string Reader = "john.arnold@enron.com";
    public const string Other = "susan.bailey@enron.com";
    public const string Eraser = "harry.arora@enron.com";
    public const string Excluder = "robert.badeer@enron.com";

    public GraphSimulatorServer Simulator { get; private set; } = null!;

    public TestIssuer Issuer { get; private set; } = null!;

    public WebApplicationFactory<Program> Host { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public CapturingLoggerProvider Logs { get; } = new();

    public Dictionary<string, UserKey> Users { get; } = new(StringComparer.Ordinal);

    public UserKey ReaderInB { get; private set; }

    public async ValueTask InitializeAsync()
    {
        Simulator = await GraphSimulatorServer.StartAsync(new SimulatorOptions
        {
            DataPath = Path.Combine(TestPaths.SharedData, "enron"),
            ShiftToNow = true,
        });
        Issuer = await TestIssuer.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Graph:BaseUrl"] = Simulator.GraphBaseUrl,
            ["Graph:DevelopmentToken"] = "true",
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Storage:TablePrefix"] = AzuriteFixture.NewTablePrefix("tab"),
            ["Storage:QueueName"] = AzuriteFixture.NewQueueName("tab"),
            ["Storage:ContactKeySecret"] = "tab-api-secret",
            ["Bot:AppId"] = "00000000-0000-0000-0000-00000000b07a",
            ["SyncSchedule:Interval"] = "01:00:00",
            ["Demo:TenantId"] = TenantA,
            ["AzureAd:Instance"] = Issuer.Instance,
            ["AzureAd:TenantId"] = "organizations",
            ["AzureAd:ClientId"] = ClientId,
            ["AzureAd:Audience"] = Audience,
        };
        Host = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Development");
            foreach (var (key, value) in settings)
            {
                web.UseSetting(key, value);
            }

            web.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Debug).AddProvider(Logs));
        });
        Client = Host.CreateClient();

        var ct = TestContext.Current.CancellationToken;
        foreach (var address in new[] { Reader, Other, Eraser, Excluder })
        {
            var response = await Client.PostAsync(new Uri($"/api/dev/enrol?user={Uri.EscapeDataString(address)}", UriKind.Relative), null, ct);
            response.EnsureSuccessStatusCode();
            var body = await response.Content.ReadFromJsonAsync<Dictionary<string, string>>(ct);
            Users[address] = new UserKey(TenantA, body!["userId"]);
        }

        // Tenant B: the same person's mailbox, enrolled by B (as if B's admin had installed the app).
        ReaderInB = new UserKey(TenantB, Users[Reader].UserId);
        var now = DateTimeOffset.UtcNow;
        await Services.GetRequiredService<IUserDirectory>().EnrolAsync(new EnrolledUser(ReaderInB, Reader, "John Arnold (B)", null, now, ConsentState.Active), ct);
        await Services.GetRequiredService<IJobQueue>().EnqueueAsync(new SyncJob(TenantB, ReaderInB.UserId, "enrol", now, "enrol-b"), cancellationToken: ct);

        await WaitForTiesAsync([.. Users.Values, ReaderInB], ct);
    }

    public IServiceProvider Services => Host.Services;

    /// <summary>A good token for a user (tenant, object id).</summary>
    public string TokenFor(UserKey user) => Issuer.Sign(Issuer.AccessTokenClaims(user.TenantId, user.UserId, Audience));

    /// <summary>Sends a request with a bearer token.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = content };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public Task<HttpResponseMessage> GetAsync(string path, UserKey user) => SendAsync(HttpMethod.Get, path, TokenFor(user));

    /// <summary>Table requests so far (reads and writes), the queue worker's polls left out.</summary>
    public long TableRequests() => Services.GetRequiredService<StorageRequestCounter>().Snapshot()
        .Where(kv => kv.Key.StartsWith("table:", StringComparison.Ordinal)).Sum(kv => kv.Value);

    /// <summary>Polls storage until every user has scored ties and the queue is empty.</summary>
    public async Task WaitForTiesAsync(IReadOnlyCollection<UserKey> users, CancellationToken cancellationToken)
    {
        var ties = Services.GetRequiredService<ITieStore>();
        var jobs = Services.GetRequiredService<IJobProcessor>();
        var deadline = DateTime.UtcNow.AddMinutes(4);
        while (DateTime.UtcNow < deadline)
        {
            var ready = 0;
            foreach (var user in users)
            {
                await foreach (var _ in ties.ReadAsync(user, cancellationToken))
                {
                    ready++;
                    break;
                }
            }

            if (ready == users.Count && (await jobs.GetDepthAsync(cancellationToken)).Pending == 0)
            {
                return;
            }

            await Task.Delay(250, cancellationToken);
        }

        throw new TimeoutException("The tab API fixture's users were not scored in time.");
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Host.DisposeAsync();
        await Issuer.DisposeAsync();
        await Simulator.DisposeAsync();
        Logs.Dispose();
    }
}
