// The tab API's latency for one user with 5,000 ties, on Azurite, through Kestrel, JwtBearer and the whole handler:
// tie-list pages (filters, sorts, search, continuation) and tie details. Prints p50, p95, p99 and max.
// Usage: dotnet run -c Release --project tests/TiesOffice.TabApi.Benchmark [-- contacts requests]
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TiesOffice.Application;
using TiesOffice.Application.Ports;
using TiesOffice.Application.Scoring;
using TiesOffice.Domain.Metadata;
using TiesOffice.Testing;
using TiesOffice.Testing.Azurite;
using TiesOffice.Web;

var contacts = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5_000;
var requests = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 400;
const string Tenant = "be4c0000-0000-4000-8000-000000000001";
const string ClientId = "be4c0000-0000-4000-8000-0000000000c1";
const string Owner = "owner@contoso.example";

var azurite = new AzuriteFixture();
await azurite.InitializeAsync();
await using var issuer = await TestIssuer.StartAsync();
var builder = WebApplication.CreateBuilder();
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Graph:BaseUrl"] = "http://127.0.0.1:9/v1.0",
    ["Graph:DevelopmentToken"] = "true",
    ["Storage:ConnectionString"] = azurite.ConnectionString,
    ["Storage:TablePrefix"] = AzuriteFixture.NewTablePrefix("bench"),
    ["Storage:QueueName"] = AzuriteFixture.NewQueueName("bench"),
    ["Storage:ContactKeySecret"] = "bench-secret",
    ["AzureAd:Instance"] = issuer.Instance,
    ["AzureAd:TenantId"] = Tenant,
    ["AzureAd:ClientId"] = ClientId,
});
builder.Logging.ClearProviders();
builder.WebHost.UseUrls("http://127.0.0.1:0");
builder.AddTiesOffice();
await using var app = builder.Build();
app.MapTiesOffice();
await app.StartAsync();

// Seed: one enrolled user whose mailbox holds two-way mail with `contacts` people over the past year.
var user = new UserKey(Tenant, "be4c0000-0000-4000-8000-0000000000aa");
var services = app.Services;
await services.GetRequiredService<IUserDirectory>().EnrolAsync(new EnrolledUser(user, Owner, "Bench Owner", null, DateTimeOffset.UtcNow, ConsentState.Active));
var random = new Random(42);
var now = DateTimeOffset.UtcNow;
var messages = new List<MailMessage>();
for (var i = 0; i < contacts; i++)
{
    var contact = i % 5 == 0 ? $"person{i}@partner{i % 40}.example" : $"person{i}@contoso.example";
    var exchanges = 1 + random.Next(6);
    for (var k = 0; k < exchanges; k++)
    {
        var at = now.AddDays(-random.Next(1, 365)).AddMinutes(-random.Next(0, 1440));
        messages.Add(new MailMessage($"o{i}-{k}", Owner, null, [contact], [], [], at, at, $"t{i}-{k}", null, false, MailFolder.SentItems));
        if (random.Next(3) > 0)
        {
            var back = at.AddHours(1 + random.Next(72));
            messages.Add(new MailMessage($"i{i}-{k}", contact, null, [Owner], [], [], back, back, $"t{i}-{k}", null, false, MailFolder.Inbox));
        }
    }
}

var seed = Stopwatch.StartNew();
var store = services.GetRequiredService<IMailboxStore>();
foreach (var chunk in messages.Chunk(2_000))
{
    await store.UpsertMessagesAsync(user, chunk);
}

var rescore = await services.GetRequiredService<TieScoring>().RescoreAsync(user, Owner, null);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seeded {messages.Count} messages, {rescore.Ties} ties in {seed.Elapsed.TotalSeconds:0.0} s"));

var baseAddress = new Uri(app.Urls.First());
using var client = new HttpClient { BaseAddress = baseAddress };
client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", issuer.Sign(issuer.AccessTokenClaims(Tenant, user.UserId, ClientId)));

async Task<(double Ms, JsonDocument Body)> TimedAsync(string path)
{
    var watch = Stopwatch.StartNew();
    using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
    var bytes = await response.Content.ReadAsByteArrayAsync();
    var ms = watch.Elapsed.TotalMilliseconds;
    response.EnsureSuccessStatusCode();
    return (ms, JsonDocument.Parse(bytes));
}

// The first request builds the user's view from the ledger (cold); later ones reuse it after three small checks.
var (coldMs, first) = await TimedAsync("/api/me/ties?limit=50");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"first tie-list request (builds the view): {coldMs:0.0} ms, total {first.RootElement.GetProperty("total").GetInt32()}"));

string[] queries = ["limit=50", "limit=50&tier=weak", "limit=50&sort=name", "limit=50&sort=lastContact", "limit=50&q=person12", "limit=50&trend=cooling", "limit=100&scope=external", "limit=50&tier=dormant&sort=name"];
var ids = new List<string>();
var list = new List<double>();
for (var i = 0; i < requests; i++)
{
    var query = queries[i % queries.Length];
    var (ms, body) = await TimedAsync("/api/me/ties?" + query);
    list.Add(ms);
    foreach (var item in body.RootElement.GetProperty("items").EnumerateArray())
    {
        ids.Add(item.GetProperty("id").GetString()!);
    }

    // Every fourth list request goes on to its next page.
    if (i % 4 == 3 && body.RootElement.GetProperty("continuation").GetString() is { } next)
    {
        var (pageMs, _) = await TimedAsync("/api/me/ties?" + query + "&continuation=" + Uri.EscapeDataString(next));
        list.Add(pageMs);
    }
}

var detail = new List<double>();
for (var i = 0; i < requests; i++)
{
    var (ms, _) = await TimedAsync("/api/me/ties/" + ids[random.Next(ids.Count)]);
    detail.Add(ms);
}

static string Describe(string name, List<double> samples)
{
    var sorted = samples.Order().ToArray();
    double At(double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
    return string.Create(CultureInfo.InvariantCulture, $"{name}: n={sorted.Length} p50={At(0.50):0.0} ms p95={At(0.95):0.0} ms p99={At(0.99):0.0} ms max={sorted[^1]:0.0} ms");
}

Console.WriteLine(Describe("tie list  ", list));
Console.WriteLine(Describe("tie detail", detail));
await app.StopAsync();
await azurite.DisposeAsync();
