using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TiesOffice.Application;
using TiesOffice.Application.Sync;
using TiesOffice.GraphSimulator;
using TiesOffice.Infrastructure.Graph;
using TiesOffice.Testing;

// Times whole-tenant syncs through the real SDK pipeline against the in-process simulator: the initial sync read
// with the SDK's models (before) and with the fast page reader (after), in one process on one machine, then an
// incremental sync with typical new mail and an idle one, and optionally the same pages fetched with a bare
// HttpClient. CPU seconds and allocations are the whole process's (the simulator included), so compare ratios.
//
// Usage: dotnet run -c Release --project tests/TiesOffice.Graph.Benchmark -- [--data PATH | --synthetic N] [--parallel N]
//        [--page N] [--repeat N] [--parsers fast,sdk] [--raw] [--new-mail N]
//        or: -- --fan-out N [--fan-out-parallel 1,32]   (the timer's fan-out of N users against Azurite; FanOutBenchmark.cs)
if (args.Length >= 2 && args[0] == "--fan-out")
{
    var fanOutParallel = args.Length >= 4 && args[2] == "--fan-out-parallel"
        ? args[3].Split(',').Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToList()
        : [1, 32];
    return await TiesOffice.Graph.Benchmark.FanOutBenchmark.RunAsync(int.Parse(args[1], CultureInfo.InvariantCulture), fanOutParallel);
}

var data = TestPaths.Enron;
var synthetic = 0;
var parallel = 8;
var page = 1000;
var repeat = 1;
var newMail = 1;
var parsers = new List<GraphPageParser> { GraphPageParser.SdkModels, GraphPageParser.Fast };
var raw = args.Contains("--raw");
args = args.Where(a => a != "--raw").ToArray();
for (var i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--data": data = args[i + 1]; break;
        case "--synthetic": synthetic = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--parallel": parallel = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--page": page = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--repeat": repeat = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--new-mail": newMail = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--parsers":
            parsers = args[i + 1].Split(',').Select(p => p.Trim() switch
            {
                "fast" => GraphPageParser.Fast,
                "sdk" => GraphPageParser.SdkModels,
                _ => throw new ArgumentException("--parsers takes fast and/or sdk"),
            }).ToList();
            break;
        default: Console.Error.WriteLine("Usage: [--data PATH | --synthetic N] [--parallel N] [--page N] [--repeat N] [--parsers fast,sdk] [--raw] [--new-mail N]"); return 2;
    }
}

var load = Stopwatch.StartNew();
var simOptions = synthetic > 0 ? new SimulatorOptions { SyntheticMailboxes = synthetic } : new SimulatorOptions { DataPath = data, ShiftToNow = true };
await using var sim = await GraphSimulatorServer.StartAsync(simOptions);
load.Stop();
var users = sim.Tenant.Users.Select(u => new UserKey("bench", u.Id)).ToList();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"Simulator: {users.Count} mailboxes loaded in {load.Elapsed.TotalSeconds:N1} s; {Environment.ProcessorCount} cores, load average {LoadAverage()}; page {page}; {parallel} mailboxes at a time."));
Console.WriteLine("CPU and allocations are the whole process's (simulator included); the machine is shared, so compare ratios.");

var process = Process.GetCurrentProcess();
Measure? rawMeasure = null;
InMemoryMailboxStore? lastStore = null;
(MailboxSync Sync, TenantSync Tenant, InMemoryMailboxStore Store) Build(GraphPageParser parser)
{
    var graphOptions = new GraphOptions { BaseUrl = new Uri(sim.GraphBaseUrl), MessagePageSize = page, EventPageSize = page, PageParser = parser };
    var client = GraphClients.Create(graphOptions, new LocalTokenCredential(), new MailboxRequestGate(graphOptions, TimeProvider.System));
    var store = new InMemoryMailboxStore();
    var directory = new InMemoryUserDirectory();
    foreach (var (simUser, key) in sim.Tenant.Users.Zip(users))
    {
        directory.EnsureActive(key, simUser.Address);
    }

    var sync = new MailboxSync(
        new GraphMailboxReader(client, graphOptions, NullLogger<GraphMailboxReader>.Instance), store, new InMemorySyncStateStore(), directory,
        Options.Create(new MailboxSyncOptions()), TimeProvider.System, NullLogger<MailboxSync>.Instance);
    return (sync, new TenantSync(sync), store);
}

async Task<Measure> RunAsync(string name, Func<Task<long>> body)
{
    GC.Collect();
    GC.WaitForPendingFinalizers();
    sim.ResetStats();
    process.Refresh();
    var cpu0 = process.TotalProcessorTime;
    var alloc0 = GC.GetTotalAllocatedBytes(precise: true);
    var watch = Stopwatch.StartNew();
    var items = await body();
    watch.Stop();
    process.Refresh();
    var boxes = sim.Tenant.Mailboxes.ToList();
    var m = new Measure(name, watch.Elapsed.TotalSeconds, (process.TotalProcessorTime - cpu0).TotalSeconds, GC.GetTotalAllocatedBytes(precise: true) - alloc0,
        items, boxes.Sum(b => b.RequestCount), boxes.Sum(b => b.BytesSentCount), boxes.Max(b => b.MaxConcurrencyObserved), boxes.Sum(b => b.ThrottledCount));
    Console.WriteLine(m.Line(users.Count) + $" (load average {LoadAverage()})");
    return m;
}

var initial = new Dictionary<GraphPageParser, List<Measure>>();
for (var r = 0; r < repeat; r++)
{
    // Alternate the order between repeats so that neither reader always runs first.
    foreach (var parser in r % 2 == 0 ? parsers : Enumerable.Reverse(parsers).ToList())
    {
        var (_, tenant, store) = Build(parser);
        var m = await RunAsync($"initial, {Name(parser)}", async () => (await tenant.SyncAllAsync(users, parallel)).Sum(x => x.Upserted));
        (initial.TryGetValue(parser, out var list) ? list : initial[parser] = []).Add(m);
        lastStore = store;
    }
}

if (raw)
{
    // The same pages fetched with a plain HttpClient and no SDK: the cost of the simulator and the transport alone.
    using var http = new HttpClient();
    http.DefaultRequestHeaders.Add("Authorization", "Bearer " + LocalTokenCredential.Token);
    http.DefaultRequestHeaders.Add("Prefer", "odata.maxpagesize=" + page.ToString(CultureInfo.InvariantCulture));
    var window = new MailboxSyncOptions().WindowAt(DateTimeOffset.UtcNow);
    var expected = initial.Values.SelectMany(v => v).Select(v => v.Items).DefaultIfEmpty(0).Max();
    rawMeasure = await RunAsync("raw HttpClient, same pages, no parsing", async () =>
    {
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
                    link = NextLink(body);
                }
            }
        });
        return expected;
    });
}

// Steady state with the fast reader: an incremental sync after typical new mail, then an idle one.
{
    var (sync, tenant, store) = Build(GraphPageParser.Fast);
    await tenant.SyncAllAsync(users, parallel);
    var random = new Random(5);
    var addresses = sim.Tenant.Users.Select(u => u.Address).ToList();
    for (var n = 0; n < newMail; n++)
    {
        foreach (var from in addresses)
        {
            // Each person sends one message to three others: per mailbox one Sent Items copy and about three Inbox copies.
            var to = Enumerable.Range(0, 3).Select(_ => addresses[random.Next(addresses.Count)]).Where(a => a != from).Distinct(StringComparer.Ordinal).ToList();
            sim.Tenant.Deliver(null, from, to, [], [], "benchmark", DateTimeOffset.UtcNow, null, notify: false);
        }
    }

    await RunAsync($"incremental, {newMail} new message(s) sent per person, fast", async () => (await tenant.SyncAllAsync(users, parallel)).Sum(x => x.Upserted));
    await RunAsync("idle (no changes), fast", async () => (await tenant.SyncAllAsync(users, parallel)).Sum(x => x.Upserted));
    lastStore = store;
}

if (initial.Count == 2)
{
    var sdk = initial[GraphPageParser.SdkModels];
    var fast = initial[GraphPageParser.Fast];
    var sdkBest = sdk.MinBy(m => m.Cpu)!;
    var fastBest = fast.MinBy(m => m.Cpu)!;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"after / before (best of {repeat}): items/s x{fastBest.ItemsPerSecond / sdkBest.ItemsPerSecond:N1}, CPU per 1,000 items /{sdkBest.CpuPerThousand / fastBest.CpuPerThousand:N1}, allocation per item /{sdkBest.AllocPerItem / fastBest.AllocPerItem:N1}"));
    if (rawMeasure is not null)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"fast vs raw transport: wall x{fastBest.Wall / rawMeasure.Wall:N2}, CPU x{fastBest.Cpu / rawMeasure.Cpu:N2}; SDK models vs raw: wall x{sdkBest.Wall / rawMeasure.Wall:N2}, CPU x{sdkBest.Cpu / rawMeasure.Cpu:N2}"));
    }
}

if (lastStore is not null)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"Stored (last run): {users.Sum(u => lastStore.Messages(u).Count):N0} message copies and {users.Sum(u => lastStore.Meetings(u).Count):N0} meeting copies across {users.Count} mailboxes."));
}

return 0;

static string Name(GraphPageParser parser) => parser == GraphPageParser.Fast ? "fast reader" : "SDK models";

static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

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

internal sealed record Measure(string Name, double Wall, double Cpu, long Allocated, long Items, long Requests, long Bytes, int MaxConcurrency, long Throttled)
{
    public double ItemsPerSecond => Items / Wall;

    public double CpuPerThousand => Items == 0 ? 0 : Cpu * 1000 / Items;

    public double AllocPerItem => Items == 0 ? 0 : (double)Allocated / Items;

    public string Line(int mailboxes) => string.Create(CultureInfo.InvariantCulture,
        $"{Name}: {Wall:N2} s wall, {Cpu:N2} CPU s, {Items:N0} items ({ItemsPerSecond:N0} items/s, {CpuPerThousand:N3} CPU s per 1,000 items, {AllocPerItem:N0} B allocated per item), {Requests:N0} Graph requests ({(double)Requests / mailboxes:N2} per mailbox), {Bytes / 1048576.0:N1} MiB ({Bytes / 1024.0 / mailboxes:N1} KiB per mailbox), {Cpu / mailboxes * 1000:N1} CPU ms per mailbox, {Allocated / 1048576.0:N0} MiB allocated, max {MaxConcurrency} in flight per mailbox, {Throttled} throttled");
}
