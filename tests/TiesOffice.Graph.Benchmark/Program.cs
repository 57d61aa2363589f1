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
var raw = args.Contains("--raw");
args = args.Where(a => a != "--raw").ToArray();
for (var i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--data": data = args[i + 1]; break;
        case "--parallel": parallel = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--page": page = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        default: Console.Error.WriteLine("Usage: [--data PATH] [--parallel N] [--page N] [--raw]"); return 2;
    }
}

var load = Stopwatch.StartNew();
await using var sim = await GraphSimulatorServer.StartAsync(new SimulatorOptions { DataPath = data, ShiftToNow = true });
load.Stop();
var graphOptions = new GraphOptions { BaseUrl = new Uri(sim.GraphBaseUrl), MessagePageSize = page, EventPageSize = page };
var client = GraphClients.Create(graphOptions, new LocalTokenCredential(), new MailboxRequestGate(graphOptions, TimeProvider.System));
var store = new InMemoryMailboxStore();
var directory = new InMemoryUserDirectory();
var sync = new MailboxSync(
    new GraphMailboxReader(client, graphOptions, NullLogger<GraphMailboxReader>.Instance), store, new InMemorySyncStateStore(), directory,
    Options.Create(new MailboxSyncOptions()), TimeProvider.System, NullLogger<MailboxSync>.Instance);
var users = sim.Tenant.Users.Select(u => directory.EnsureActive(new UserKey("enron", u.Id), u.Address).User).ToList();
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

if (raw)
{
    // The same pages fetched with a plain HttpClient and no SDK models: the cost of the simulator and the transport alone.
    sim.ResetStats();
    using var http = new HttpClient();
    http.DefaultRequestHeaders.Add("Authorization", "Bearer " + LocalTokenCredential.Token);
    http.DefaultRequestHeaders.Add("Prefer", "odata.maxpagesize=" + page.ToString(CultureInfo.InvariantCulture));
    var window = new MailboxSyncOptions().WindowAt(DateTimeOffset.UtcNow);
    var watch = Stopwatch.StartNew();
    long bytes = 0;
    await Parallel.ForEachAsync(users, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (u, ct) =>
    {
        var starts = new[]
        {
            $"{sim.GraphBaseUrl}/users/{u.UserId}/mailFolders/inbox/messages/delta?$select={string.Join(',', GraphMailboxReader.MessageSelect)}",
            $"{sim.GraphBaseUrl}/users/{u.UserId}/mailFolders/sentitems/messages/delta?$select={string.Join(',', GraphMailboxReader.MessageSelect)}",
            $"{sim.GraphBaseUrl}/users/{u.UserId}/calendarView/delta?startDateTime={window.Start.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}&endDateTime={window.End.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}",
        };
        foreach (var start in starts)
        {
            string? link = start;
            while (link is not null)
            {
                var body = await http.GetByteArrayAsync(new Uri(link), ct);
                Interlocked.Add(ref bytes, body.Length);
                link = NextLink(body);
            }
        }
    });
    watch.Stop();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"raw HTTP, no SDK (same pages): {watch.Elapsed.TotalSeconds:N2} s wall, {sim.Tenant.Mailboxes.Sum(b => b.RequestCount):N0} requests, {bytes / 1048576.0:N1} MiB."));
}

var messages = users.Sum(u => store.Messages(u).Count);
var meetings = users.Sum(u => store.Meetings(u).Count);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Stored: {messages:N0} message copies and {meetings:N0} meeting copies across {users.Count} mailboxes."));
return 0;

static string? NextLink(byte[] body)
{
    var reader = new System.Text.Json.Utf8JsonReader(body);
    while (reader.Read())
    {
        if (reader.CurrentDepth == 1 && reader.TokenType == System.Text.Json.JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("@odata.nextLink"))
            {
                reader.Read();
                return reader.GetString();
            }

            if (reader.ValueTextEquals("value"))
            {
                reader.Skip();
            }
        }
    }

    return null;
}
