using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TiesOffice.Application;
using TiesOffice.Application.Sync;
using TiesOffice.GraphSimulator;
using TiesOffice.Infrastructure.Graph;
using TiesOffice.Testing;

// Usage: dotnet run -c Release --project tests/TiesOffice.Graph.Benchmark -- [--data PATH] [--parallel N] [--page N]
var data = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../../shared/data/enron"));
var parallel = 8;
var page = 1000;
for (var i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--data": data = args[i + 1]; break;
        case "--parallel": parallel = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--page": page = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        default: Console.Error.WriteLine("Usage: [--data PATH] [--parallel N] [--page N]"); return 2;
    }
}

var load = Stopwatch.StartNew();
await using var sim = await GraphSimulatorServer.StartAsync(new SimulatorOptions { DataPath = data, ShiftToNow = true });
load.Stop();
var graphOptions = new GraphOptions { BaseUrl = new Uri(sim.GraphBaseUrl), MessagePageSize = page, EventPageSize = page };
var client = GraphClients.Create(graphOptions, new LocalTokenCredential(), new MailboxRequestGate(graphOptions, TimeProvider.System));
var store = new InMemoryMailboxStore();
var sync = new MailboxSync(
    new GraphMailboxReader(client, graphOptions, NullLogger<GraphMailboxReader>.Instance), store, new InMemorySyncStateStore(), new InMemoryUserSyncStatusStore(),
    Options.Create(new MailboxSyncOptions()), TimeProvider.System, NullLogger<MailboxSync>.Instance);
var users = sim.Tenant.Users.Select(u => new UserKey("enron", u.Id)).ToList();
var tenant = new TenantSync(sync);

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Simulator: {users.Count} mailboxes loaded in {load.Elapsed.TotalSeconds:N1} s; {Environment.ProcessorCount} cores; page {page}; {parallel} mailboxes at a time."));
foreach (var round in new[] { "initial", "incremental (no changes)" })
{
    sim.ResetStats();
    var watch = Stopwatch.StartNew();
    var results = await tenant.SyncAllAsync(users, parallel);
    watch.Stop();
    var boxes = sim.Tenant.Mailboxes.ToList();
    var requests = boxes.Sum(b => b.RequestCount);
    var bytes = boxes.Sum(b => b.BytesSentCount);
    var items = results.Sum(r => r.Upserted);
    var maxConcurrency = boxes.Max(b => b.MaxConcurrencyObserved);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{round}: {watch.Elapsed.TotalSeconds:N2} s wall, {requests:N0} Graph requests, {items:N0} items stored ({items / watch.Elapsed.TotalSeconds:N0} items/s), {bytes / 1048576.0:N1} MiB, max {maxConcurrency} in flight per mailbox, {boxes.Sum(b => b.ThrottledCount)} throttled, outcomes: {string.Join(", ", results.GroupBy(r => r.Outcome).Select(g => g.Key + " " + g.Count()))}."));
}

var messages = users.Sum(u => store.Messages(u).Count);
var meetings = users.Sum(u => store.Meetings(u).Count);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Stored: {messages:N0} message copies and {meetings:N0} meeting copies across {users.Count} mailboxes."));
return 0;
