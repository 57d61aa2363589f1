extern alias faketeams;

using System.Diagnostics;
using System.Globalization;
using faketeams::TiesOffice.FakeTeams;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using TiesOffice.Application;
using TiesOffice.Application.Network;
using TiesOffice.Application.Ports;
using TiesOffice.Application.Proactive;
using TiesOffice.Domain.Metadata;
using TiesOffice.Domain.Ties;
using TiesOffice.Infrastructure.Bot;
using TiesOffice.Testing;

// Usage: dotnet run -c Release --project tests/TiesOffice.Bot.Benchmark -- [--users 10000] [--parallel 64]
// The weekly digest of every user of one tenant through the proactive use case (ProactiveSends: settings, the weekly
// claim, the summary from NetworkService, the Teams channel) and the bot's Connector client (token from Azure.Identity,
// pacing on) against the fake Teams channel enforcing Teams' limits. Storage is the in-memory fakes of
// tests/TiesOffice.Testing; every user has the same small scored ledger (four colleagues, replies owed). The use case's
// clock is Monday 09:05 UTC, five minutes after the default digest time; the Connector's pacing runs on the real clock.
// The floor is what the limits allow: one message per conversation, so the per-app-per-tenant 50 per second binds:
// users / 50 seconds.
var users = 10_000;
var parallel = 64;
for (var i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--users": users = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--parallel": parallel = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        default: Console.Error.WriteLine("Usage: [--users N] [--parallel N]"); return 2;
    }
}

const string Tenant = "bench-tenant";
var pem = Path.Combine(Path.GetTempPath(), $"bot-bench-{Guid.NewGuid():N}.pem");
var teamsOptions = new FakeTeamsOptions { EnforceRateLimits = true, CertificatePemPath = pem, TenantId = Tenant };
for (var u = 0; u < users; u++)
{
    teamsOptions.Users.Add(new FakeUser($"00000000-0000-0000-0000-{u:D12}", $"User {u}", $"user{u}@bench.test"));
}

await using var teams = await FakeTeamsChannel.StartAsync(teamsOptions);
var options = new BotOptions
{
    AppId = teamsOptions.BotAppId,
    OpenIdMetadataUrl = teams.OpenIdMetadataUrl,
    TokenEndpoint = teams.BaseAddress,
    AllowedServiceUrls = "127.0.0.1",
    Credential = BotCredentialKind.ClientSecret,
    ClientSecret = teamsOptions.BotClientSecret,
    LoopbackRootCertificatePath = pem,
};

// The stores, one ledger for everyone, and a conversation reference per user.
var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 5, 0, TimeSpan.Zero));
var directory = new InMemoryUserDirectory();
var references = new InMemoryConversationReferenceStore();
var ledgers = new InMemoryEngineStateStore();
var settings = new InMemorySettingsStore();
var ledger = Ledger("owner@bench.test", clock.GetUtcNow()).Serialize();
var enrolled = new List<EnrolledUser>(users);
foreach (var user in teamsOptions.Users)
{
    var key = new UserKey(Tenant, user.AadObjectId);
    enrolled.Add(directory.EnsureActive(key, user.Email));
    ledgers.WriteAsAnotherWorker(key, ledger);
    await references.SaveAsync(key, new ConversationReference(teams.BaseAddress.ToString(), user.ConversationId, "personal", Tenant, "28:" + teamsOptions.BotAppId, user.ChannelId, user.AadObjectId, "msteams"));
}

var services = new ServiceCollection()
    .AddLogging(l => l.SetMinimumLevel(LogLevel.Error))
    .AddSingleton<IConversationReferenceStore>(references)
    .AddTiesOfficeBot(options)
    .BuildServiceProvider();
var channel = services.GetRequiredService<TeamsProactiveChannel>();
var state = new InMemorySyncStateStore();
var network = new NetworkService(new NetworkViews(ledgers, settings, new PlainTieIds(), clock), settings, new InMemoryTierHistoryStore(), state, new InMemoryMailboxStore(),
    new RecordingJobQueue(), new UnusedPrivacyOperations(), directory, clock, NullLogger<NetworkService>.Instance);
var claims = new InMemoryDigestClaimStore();
var proactive = new ProactiveSends(settings, claims, new InMemoryNudgeStore(), network, [channel], channel, new ProactiveOptions(), clock, NullLogger<ProactiveSends>.Instance);

// Warm up: the token and the connections (one message outside the measured run), then forget it.
var warm = await channel.SendDigestAsync(new DigestMessage(enrolled[0].User, "warm-up", await network.GetSummaryAsync(enrolled[0]), []));
if (warm != DeliveryOutcome.Sent)
{
    Console.Error.WriteLine($"warm-up send failed: {warm}");
    return 1;
}

teams.Reset();
var sent = 0;
var other = 0;
var stopwatch = Stopwatch.StartNew();
await Parallel.ForEachAsync(enrolled, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (me, ct) =>
{
    var report = await proactive.RunAsync(me, null, ct);
    Interlocked.Increment(ref report.Digest == DeliveryOutcome.Sent ? ref sent : ref other);
});
stopwatch.Stop();

// A second pass (a duplicated fan-out) must send nothing: the weekly claims hold.
var before = teams.ConnectorRequests;
await Parallel.ForEachAsync(enrolled, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (me, ct) => await proactive.RunAsync(me, null, ct));
var duplicates = teams.ConnectorRequests - before;

var floor = TimeSpan.FromSeconds(users / 50.0);
var suggestions = (await network.GetSummaryAsync(enrolled[0])).Suggestions.Count;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"digest fan-out through ProactiveSends to {users} users ({suggestions} suggestions each): {stopwatch.Elapsed.TotalSeconds:F1} s, floor {floor.TotalSeconds:F0} s (50/s per app per tenant), ratio {stopwatch.Elapsed / floor:F3}; sent {sent}, not sent {other}, 429s from the channel {teams.RateLimited}, Connector requests {before}; a second pass sent {duplicates}"));
File.Delete(pem);
return other == 0 && duplicates == 0 ? 0 : 1;

// Four colleagues, a weekly exchange for twelve weeks, and their last message unanswered: four replies owed.
static TieLedger Ledger(string owner, DateTimeOffset now)
{
    var messages = new List<MailMessage>();
    foreach (var (colleague, i) in new[] { "bob", "cyd", "dee", "eve" }.Select((c, i) => (c + "@bench.test", i)))
    {
        for (var week = 12; week >= 1; week--)
        {
            var at = now.AddDays(-((7 * week) + i));
            messages.Add(Message($"{colleague}-{week}-out", owner, colleague, at, MailFolder.SentItems));
            messages.Add(Message($"{colleague}-{week}-in", colleague, owner, at.AddHours(2), MailFolder.Inbox));
        }

        messages.Add(Message($"{colleague}-owed", colleague, owner, now.AddDays(-2).AddHours(-i), MailFolder.Inbox));
    }

    return TieLedger.Build(owner, messages);
}

static MailMessage Message(string id, string from, string to, DateTimeOffset sentAt, MailFolder folder) =>
    new(id, from, null, [to], [], [], sentAt, sentAt.AddMinutes(1), "conv-" + id, null, false, folder);
