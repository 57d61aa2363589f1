using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using TiesOffice.Infrastructure.Bot;
using TiesOffice.Infrastructure.Bot.Cards;
using TiesOffice.Infrastructure.Bot.Connector;
using TiesOffice.Infrastructure.Bot.Protocol;

namespace TiesOffice.Bot.Tests;

public sealed class ProtocolTests
{
    [Fact]
    public void Activity_UnknownFields_AreKeptAndWrittenBack()
    {
        const string json = """{"type":"message","text":"hi","brandNew":{"a":[1,2]},"from":{"id":"29:x","extraFrom":true},"channelData":{"tenant":{"id":"t"},"team":{"id":"19:x"}}}""";

        var activity = JsonSerializer.Deserialize(json, BotJsonContext.Default.Activity)!;
        var written = JsonSerializer.Serialize(activity, BotJsonContext.Default.Activity);

        Assert.Equal("t", activity.TenantId);
        using var document = JsonDocument.Parse(written);
        Assert.Equal(2, document.RootElement.GetProperty("brandNew").GetProperty("a").GetArrayLength());
        Assert.True(document.RootElement.GetProperty("from").GetProperty("extraFrom").GetBoolean());
        Assert.Equal("19:x", document.RootElement.GetProperty("channelData").GetProperty("team").GetProperty("id").GetString());
    }

    [Theory]
    [InlineData("https://smba.trafficmanager.net/teams/", true)]
    [InlineData("https://smba.trafficmanager.net/amer/", true)]
    [InlineData("https://smba.infra.gcc.teams.microsoft.com/teams", true)]
    [InlineData("https://smba.infra.gov.teams.microsoft.us/teams", true)]
    [InlineData("https://smba.infra.dod.teams.microsoft.us/teams", true)]
    [InlineData("https://europe.webchat.botframework.com/", true)]
    [InlineData("http://smba.trafficmanager.net/teams/", false)]
    [InlineData("https://attacker.example/", false)]
    [InlineData("https://smba.trafficmanager.net.attacker.example/", false)]
    [InlineData("https://evilbotframework.com/", false)]
    [InlineData("https://user:pw@smba.trafficmanager.net/", false)]
    [InlineData("not a url", false)]
    [InlineData("", false)]
    public void ServiceUrlPolicy_Defaults_AllowOnlyTeamsAndBotFrameworkHosts(string url, bool allowed)
    {
        var policy = new ServiceUrlPolicy(BotOptions.DefaultAllowedServiceUrls);

        Assert.Equal(allowed, policy.IsAllowed(url, out _));
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000/", "127.0.0.1", true)]
    [InlineData("http://10.0.0.1:5000/", "10.0.0.1", false)]
    [InlineData("http://localhost:5000/", "127.0.0.1", false)]
    public void ServiceUrlPolicy_Http_OnlyForANamedLoopbackHost(string url, string patterns, bool allowed) =>
        Assert.Equal(allowed, new ServiceUrlPolicy(patterns).IsAllowed(url, out _));

    [Fact]
    public async Task TeamsRatePacer_ABurstToOneThread_IsSpreadToTheTeamsLimits()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));
        var pacer = new TeamsRatePacer(time);
        var sent = new List<DateTimeOffset>();

        for (var i = 0; i < 20; i++)
        {
            sent.Add(await TakeAsync(pacer, time, "a:thread"));
        }

        for (var i = 0; i < sent.Count; i++)
        {
            Assert.True(sent.Count(t => t > sent[i] - TimeSpan.FromSeconds(1) && t <= sent[i]) <= 7, "more than 7 in one second");
            Assert.True(sent.Count(t => t > sent[i] - TimeSpan.FromSeconds(2) && t <= sent[i]) <= 8, "more than 8 in two seconds");
        }

        // 20 sends at 8 per 2 s need at least 4 s.
        Assert.True(sent[^1] - sent[0] >= TimeSpan.FromSeconds(4));
    }

    [Fact]
    public async Task TeamsRatePacer_ManyThreadsOfOneTenant_StayUnder50PerSecond()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));
        var pacer = new TeamsRatePacer(time);
        var sent = new List<DateTimeOffset>();

        for (var i = 0; i < 120; i++)
        {
            sent.Add(await TakeAsync(pacer, time, "a:" + i));
        }

        foreach (var at in sent)
        {
            Assert.True(sent.Count(t => t > at - TimeSpan.FromSeconds(1) && t <= at) <= 50);
        }
    }

    /// <summary>Takes one slot, moving the fake clock on while the pacer waits; returns the slot's instant as the pacer saw it.</summary>
    private static async Task<DateTimeOffset> TakeAsync(TeamsRatePacer pacer, FakeTimeProvider time, string thread)
    {
        var slot = pacer.WaitAsync(thread, "tenant", CancellationToken.None);
        while (!slot.IsCompleted)
        {
            time.Advance(TimeSpan.FromMilliseconds(10));
            await Task.Yield();
        }

        return await slot;
    }

    [Fact]
    public void RetryAfter_Seconds_IsTheDelay()
    {
        using var response = new HttpResponseMessage(System.Net.HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(7));

        Assert.Equal(TimeSpan.FromSeconds(7), ConnectorClient.RetryAfter(response));
    }

    [Fact]
    public void Escape_ConversationId_IsOnePathSegment() =>
        Assert.Equal("a%3A1abc%40unq.gbl.spaces%3Bmessageid%3D1", ConnectorClient.Escape("a:1abc@unq.gbl.spaces;messageid=1"));

    [Theory]
    [InlineData("help", "Help")]
    [InlineData("  HELP!  ", "Help")]
    [InlineData("<at>TiesOffice</at> help", "Help")]
    [InlineData("", "Empty")]
    [InlineData("Delete my data", "Delete")]
    [InlineData("digest", "Digest")]
    [InlineData("tend", "Tend")]
    [InlineData("settings", "Settings")]
    [InlineData("sing me a song", "Unknown")]
    public void Command_Parse_IsForgiving(string text, string kind) =>
        Assert.Equal(kind, Command.Parse(text).Kind.ToString());

    [Fact]
    public void Command_HowAmIWith_TakesANameOrAddress()
    {
        Assert.Equal("Kim Example", Command.Parse("How am I with Kim Example?").Argument);
        Assert.Equal("kim@example.test", Command.Parse("how am i doing with kim@example.test").Argument);
    }

    [Fact]
    public void Command_Snooze_TakesANameAndAPeriod()
    {
        var command = Command.Parse("snooze Kim Example 2 weeks");

        Assert.Equal(("Snooze", "Kim Example", "2 weeks"), (command.Kind.ToString(), command.Argument, command.Period));
    }

    [Fact]
    public void Cards_Every_IsVersion15WithARefreshNamingTheUser()
    {
        var cards = new BotCards("https://teams.microsoft.com/l/entity/app/ties");
        var kim = new ContactSuggestion("t1", "Kim", "kim@example.test", "Weak tie", "Share something useful.");
        var all = new[]
        {
            cards.Welcome("29:u"), cards.Help("29:u"), BotCards.ConfirmDelete("29:u"), BotCards.Deleted("29:u"), BotCards.Kept("29:u"),
            cards.Suggestion("29:u", kim), cards.Digest("29:u", [kim], "1 suggestion"),
        };

        foreach (var card in all)
        {
            Assert.Equal("1.5", card["version"]!.GetValue<string>());
            Assert.Equal("29:u", card["refresh"]!["userIds"]![0]!.GetValue<string>());
            Assert.Equal("Action.Execute", card["refresh"]!["action"]!["type"]!.GetValue<string>());
        }
    }
}
