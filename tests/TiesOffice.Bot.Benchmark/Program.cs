extern alias faketeams;

using System.Diagnostics;
using System.Globalization;
using faketeams::TiesOffice.FakeTeams;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TiesOffice.Infrastructure.Bot;
using TiesOffice.Infrastructure.Bot.Cards;
using TiesOffice.Infrastructure.Bot.Connector;
using TiesOffice.Infrastructure.Bot.Protocol;
using Activity = TiesOffice.Infrastructure.Bot.Protocol.Activity;

// Usage: dotnet run -c Release --project tests/TiesOffice.Bot.Benchmark -- [--users 10000] [--parallel 64]
// Sends one digest card to each user's 1:1 conversation, all in one tenant, through ConnectorClient (token from
// Azure.Identity, pacing on) against the fake channel enforcing Teams' limits. The floor is what the limits allow:
// with one message per conversation, the per-app-per-tenant 50 per second binds, so users / 50 seconds.
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

var pem = Path.Combine(Path.GetTempPath(), $"bot-bench-{Guid.NewGuid():N}.pem");
var teamsOptions = new FakeTeamsOptions { EnforceRateLimits = true, CertificatePemPath = pem, TenantId = "bench-tenant" };
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
var services = new ServiceCollection().AddLogging(l => l.SetMinimumLevel(LogLevel.Error)).AddTiesOfficeBot(options).BuildServiceProvider();
var connector = services.GetRequiredService<ConnectorClient>();
var cards = services.GetRequiredService<BotCards>();
var suggestion = new ContactSuggestion("t", "Kim Example", "kim@example.test", "Weak tie · last contact 14 Sep 2026", "Share something useful.");
var card = BotCards.ToElement(cards.Digest(null, [suggestion, suggestion with { Name = "Lee Sample" }], "2 suggestions this week."));
var serviceUrl = teams.BaseAddress.ToString();

// Warm up: the token and the connections.
await connector.SendAsync(serviceUrl, teamsOptions.Users[0].ConversationId, teamsOptions.TenantId, Digest(), CancellationToken.None);
teams.Reset();

var sent = 0;
var failed = 0;
var clock = Stopwatch.StartNew();
await Parallel.ForEachAsync(teamsOptions.Users, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (user, ct) =>
{
    var result = await connector.SendAsync(serviceUrl, user.ConversationId, teamsOptions.TenantId, Digest(), ct);
    Interlocked.Increment(ref result.Outcome == SendOutcome.Sent ? ref sent : ref failed);
});
clock.Stop();

var floor = TimeSpan.FromSeconds(users / 50.0);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"digest fan-out to {users} users: {clock.Elapsed.TotalSeconds:F1} s, floor {floor.TotalSeconds:F0} s (50/s per app per tenant), ratio {clock.Elapsed / floor:F3}; sent {sent}, failed {failed}, 429s from the channel {teams.RateLimited}, Connector requests {teams.ConnectorRequests}"));
File.Delete(pem);
return failed == 0 ? 0 : 1;

Activity Digest() => new()
{
    Type = ActivityTypes.Message,
    Attachments = [new Attachment { ContentType = BotCards.ContentType, Content = card }],
};
