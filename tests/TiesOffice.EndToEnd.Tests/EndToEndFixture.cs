extern alias simulator;
extern alias faketeams;

using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using faketeams::TiesOffice.FakeTeams;
using simulator::TiesOffice.GraphSimulator;
using TiesOffice.Testing.Azurite;

[assembly: AssemblyFixture(typeof(AzuriteFixture))]

// One test class at a time: WebApplicationFactory finds the DevHost's host through a process-wide diagnostic listener,
// so two factories starting at once can pick up each other's host (seen: a refused start surfacing as an
// ObjectDisposedException of the other host's services). Sequential classes also keep the busy 2-core box calm.
[assembly: CollectionBehavior(CollectionBehavior.CollectionPerAssembly)]

namespace TiesOffice.EndToEnd.Tests;

/// <summary>
/// The DevHost over real parts: Azurite for storage, the Graph simulator (Enron, shifted to today) on a loopback port,
/// the fake Teams channel (its OpenID metadata, token endpoint and Connector on a loopback HTTPS port, its certificate
/// trusted for loopback only), and the DevHost's real pipeline in a <see cref="WebApplicationFactory{TEntryPoint}"/>.
/// Each fixture gets its own tables and queue.
/// </summary>
public sealed class EndToEndFixture(AzuriteFixture azurite) : IAsyncLifetime
{
    /// <summary>The demo tenant's id in the end-to-end tests (a GUID, as Entra's are).</summary>
    public const string TenantId = "de770000-0000-4000-8000-000000000001";

    /// <summary>The service mailbox the digest mails come from (an empty mailbox of the simulator).</summary>
    public const string DigestSender = "tiesoffice-digest@enron.com";

    /// <summary>The actionable-message provider id the DevHost is configured with.</summary>
    public const string Originator = "a11d0000-0000-4000-8000-00000000a11d";

    public GraphSimulatorServer Simulator { get; private set; } = null!;

    public WebApplicationFactory<Program> Host { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    /// <summary>The fake Teams channel; its users are the simulator's first users (same object ids).</summary>
    public FakeTeamsChannel Teams { get; private set; } = null!;

    private string _certificatePath = string.Empty;

    public async ValueTask InitializeAsync()
    {
        Simulator = await GraphSimulatorServer.StartAsync(new SimulatorOptions
        {
            DataPath = Path.Combine(TestPaths.SharedData, "enron"),
            ShiftToNow = true,
            ServiceMailboxes = { DigestSender },
        });
        _certificatePath = Path.Combine(Path.GetTempPath(), $"fake-teams-{Guid.NewGuid():N}.pem");
        var teamsOptions = new FakeTeamsOptions { CertificatePemPath = _certificatePath, TenantId = TenantId };
        teamsOptions.Endorsements.Add("outlook");
        foreach (var user in Simulator.Tenant.Users.Take(3))
        {
            teamsOptions.Users.Add(new FakeUser(user.Id, user.DisplayName, user.Address));
        }

        Teams = await FakeTeamsChannel.StartAsync(teamsOptions);
        var settings = new Dictionary<string, string?>
        {
            ["Bot:AppId"] = teamsOptions.BotAppId,
            ["Bot:OpenIdMetadataUrl"] = Teams.OpenIdMetadataUrl.ToString(),
            ["Bot:AllowedServiceUrls"] = "127.0.0.1",
            ["Bot:TokenEndpoint"] = Teams.BaseAddress.ToString(),
            ["Bot:Credential"] = "ClientSecret",
            ["Bot:ClientSecret"] = teamsOptions.BotClientSecret,
            ["Bot:LoopbackRootCertificatePath"] = _certificatePath,
            ["Bot:KeyRefreshInterval"] = "00:00:00",
            ["Bot:Channels"] = "msteams;outlook",
            ["ActionableMessages:Enabled"] = "true",
            ["ActionableMessages:OriginatorId"] = Originator,
            ["ActionableMessages:SenderMailbox"] = DigestSender,
            ["ActionableMessages:TenantId"] = TenantId,
            ["Graph:BaseUrl"] = Simulator.GraphBaseUrl,
            ["Graph:DevelopmentToken"] = "true",
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Storage:TablePrefix"] = AzuriteFixture.NewTablePrefix("e2e"),
            ["Storage:QueueName"] = AzuriteFixture.NewQueueName("e2e"),
            ["Storage:ContactKeySecret"] = "end-to-end-secret",
            ["SyncSchedule:Interval"] = "01:00:00",
            ["Demo:SimulatorUrl"] = Simulator.BaseAddress.ToString(),
            ["Demo:TenantId"] = TenantId,
        };
        Host = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Development");

            // UseSetting (not ConfigureAppConfiguration): the composition root reads settings while the host is built.
            foreach (var (key, value) in settings)
            {
                web.UseSetting(key, value);
            }
        });
        Client = Host.CreateClient();
        Teams.BotClient = Client;
    }

    /// <summary>Enrols one user through the dev API and returns the id Graph gave it.</summary>
    public async Task<string> EnrolAsync(string address, CancellationToken cancellationToken)
    {
        var response = await Client.PostAsync(new Uri($"/api/dev/enrol?user={Uri.EscapeDataString(address)}", UriKind.Relative), null, cancellationToken);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<Dictionary<string, string>>(cancellationToken);
        return body!["userId"];
    }

    /// <summary>
    /// How long a wait may go without its condition holding before the test gives up. It is a backstop for a broken
    /// run, not a performance expectation: every wait returns as soon as its condition holds, so the bound only has to
    /// be far beyond what a busy shared machine needs (a first sync took over 4 minutes at a load average of 50).
    /// </summary>
    public static readonly TimeSpan WaitBound = TimeSpan.FromMinutes(15);

    /// <summary>Polls the dev status until every enrolled user is scored and the queue is empty.</summary>
    public async Task<Dictionary<string, int>> WaitForScoresAsync(int users, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + WaitBound;
        Dictionary<string, int> status = [];
        while (DateTime.UtcNow < deadline)
        {
            using var response = await Client.GetAsync(new Uri("/api/dev/status?format=text", UriKind.Relative), cancellationToken);

            // A poll that storage failed (500 after the SDK's retries, when Azurite is starved) is a failed poll, not
            // a failed sync: poll again. Any other answer is read.
            if ((int)response.StatusCode < 500)
            {
                response.EnsureSuccessStatusCode();
                var line = await response.Content.ReadAsStringAsync(cancellationToken);
                status = line.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(kv => kv.Split('='))
                    .ToDictionary(kv => kv[0], kv => int.Parse(kv[1], System.Globalization.CultureInfo.InvariantCulture));
                if (status["scored"] >= users && status["pending"] == 0)
                {
                    return status;
                }
            }

            await Task.Delay(250, cancellationToken);
        }

        throw new TimeoutException("Users were not scored within " + WaitBound + "; last status: " + string.Join(' ', status.Select(kv => $"{kv.Key}={kv.Value}")));
    }

    /// <summary>Reads until <paramref name="read"/> gives a value, up to <see cref="WaitBound"/>; null if it never does.</summary>
    public static async Task<T?> PollAsync<T>(Func<Task<T?>> read, CancellationToken cancellationToken)
        where T : class
    {
        var deadline = DateTime.UtcNow + WaitBound;
        while (DateTime.UtcNow < deadline)
        {
            if (await read() is { } value)
            {
                return value;
            }

            await Task.Delay(500, cancellationToken);
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Host.DisposeAsync();
        await Teams.DisposeAsync();
        await Simulator.DisposeAsync();
        File.Delete(_certificatePath);
    }
}
