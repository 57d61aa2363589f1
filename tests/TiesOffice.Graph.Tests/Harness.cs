using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Graph;
using TiesOffice.Application;
using TiesOffice.Application.Sync;
using TiesOffice.GraphSimulator;
using TiesOffice.GraphSimulator.Model;
using TiesOffice.Infrastructure.Graph;
using TiesOffice.Testing;

namespace TiesOffice.Graph.Tests;

/// <summary>The simulator on a loopback port, the real SDK client, the sync, and in-memory stores.</summary>
internal sealed class Harness : IAsyncDisposable
{
    public const string TenantId = "contoso";

    private Harness(GraphSimulatorServer sim, GraphOptions graph, MailboxSyncOptions sync)
    {
        Sim = sim;
        GraphOptions = graph;
        SyncOptions = sync;
        Gate = new MailboxRequestGate(graph, TimeProvider.System);
        Client = GraphClients.Create(graph, Credential, Gate);
        Reader = new GraphMailboxReader(Client, graph, Logs.CreateFactory().CreateLogger<GraphMailboxReader>());
    }

    public GraphSimulatorServer Sim { get; }

    public GraphOptions GraphOptions { get; }

    public MailboxSyncOptions SyncOptions { get; }

    public LocalTokenCredential Credential { get; } = new();

    public MailboxRequestGate Gate { get; }

    public GraphServiceClient Client { get; }

    public GraphMailboxReader Reader { get; }

    public InMemoryMailboxStore Store { get; } = new();

    public InMemorySyncStateStore State { get; } = new();

    public InMemoryUserDirectory Directory { get; } = new();

    public CapturingLoggerProvider Logs { get; } = new();

    public static async Task<Harness> StartAsync(
        SimulatorOptions? simulator = null, Action<GraphOptions>? graph = null, Action<MailboxSyncOptions>? sync = null, Action<SimTenant>? seed = null)
    {
        simulator ??= new SimulatorOptions { GenerateCalendar = false };
        var server = await GraphSimulatorServer.StartAsync(simulator, cancellationToken: TestContext.Current.CancellationToken);
        seed?.Invoke(server.Tenant);
        var graphOptions = new GraphOptions
        {
            BaseUrl = new Uri(server.GraphBaseUrl),
            Credential = GraphCredentialKind.ManagedIdentity,
            RetryDelaySeconds = 1,
            MaxRetries = 3,
            RequestTimeout = TimeSpan.FromSeconds(20),
        };
        graph?.Invoke(graphOptions);
        var syncOptions = new MailboxSyncOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(200), RetryMaxDelay = TimeSpan.FromSeconds(2) };
        sync?.Invoke(syncOptions);
        return new Harness(server, graphOptions, syncOptions);
    }

    /// <summary>A fresh use case over the same stores: what a restarted process would build.</summary>
    public MailboxSync NewSync(InMemoryMailboxStore? store = null, InMemorySyncStateStore? state = null) =>
        new(Reader, store ?? Store, state ?? State, Directory, Options.Create(SyncOptions), TimeProvider.System, Logs.CreateFactory().CreateLogger<MailboxSync>());

    /// <summary>The user's key; the user is enrolled as active in <see cref="Directory"/> on first ask, so the sync may run.</summary>
    public UserKey Key(string address)
    {
        var key = new UserKey(TenantId, Sim.Tenant.FindUser(address)!.Id);
        Directory.EnsureActive(key, address);
        return key;
    }

    public SimMailbox Box(string address) => Sim.Tenant.Mailbox(address)!;

    /// <summary>The live message ids the simulator holds in a folder.</summary>
    public HashSet<string> TruthMessages(string address, string folder)
    {
        var box = Box(address);
        lock (box.Gate)
        {
            return box.Items.Where(i => i.Kind == SimItemKind.Message && !i.Removed && i.FolderId == box.Folders[folder]).Select(i => i.Id).ToHashSet();
        }
    }

    /// <summary>The live event ids inside the sync's current window.</summary>
    public HashSet<string> TruthEvents(string address)
    {
        var box = Box(address);
        var window = SyncOptions.WindowAt(DateTimeOffset.UtcNow);
        lock (box.Gate)
        {
            return box.Items.Where(i => i.Kind == SimItemKind.Event && !i.Removed && i.Event!.End > window.Start && i.Event.Start < window.End).Select(i => i.Id).ToHashSet();
        }
    }

    public HashSet<string> Stored(UserKey user) => Store.Messages(user).Keys.Concat(Store.Meetings(user).Keys).ToHashSet();

    /// <summary>Calls the simulator's control API over HTTP.</summary>
    public async Task<string> ControlAsync(string method, string path, object? body = null)
    {
        using var http = new HttpClient { BaseAddress = Sim.BaseAddress };
        using var request = new HttpRequestMessage(new HttpMethod(method), path.TrimStart('/'));
        if (body is not null)
        {
            request.Content = System.Net.Http.Json.JsonContent.Create(body);
        }

        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return text;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Sim.DisposeAsync();
    }

    /// <summary>A small deterministic tenant: 4 users, messages among them, and meetings in the last months.</summary>
    public static Action<SimTenant> SmallTenant(int messages = 120, int meetings = 12) => tenant =>
    {
        string[] people = ["ada@contoso.com", "bob@contoso.com", "cyd@contoso.com", "dee@contoso.com"];
        foreach (var p in people)
        {
            tenant.AddUser(p, string.Empty, "Research", "Engineer");
        }

        var random = new Random(7);
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < messages; i++)
        {
            var from = people[random.Next(people.Length)];
            var to = people.Where(p => p != from).OrderBy(_ => random.Next()).Take(random.Next(1, 3)).ToList();
            tenant.Deliver("m" + i.ToString(CultureInfo.InvariantCulture), from, to, [], [], "Subject number " + (i % 17).ToString(CultureInfo.InvariantCulture),
                now.AddDays(-200).AddHours(i * 3), null, notify: false);
        }

        for (var i = 0; i < meetings; i++)
        {
            var start = now.AddDays(-150 + (i * 9)).Date.AddHours(15);
            tenant.AddMeeting("meet" + i.ToString(CultureInfo.InvariantCulture), new EventData
            {
                Subject = "Planning " + i.ToString(CultureInfo.InvariantCulture),
                Organizer = tenant.AddressOf(people[i % 4]),
                Attendees = [new SimAttendee(tenant.AddressOf(people[(i + 1) % 4]), "required", i % 5 == 0 ? "declined" : "accepted")],
                Start = start,
                End = start.AddMinutes(30),
            }, notify: false);
        }
    };
}
