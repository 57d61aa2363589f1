using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;
using AngleSharp.Dom;
using AngleSharp.Html.Dom.Events;
using AngleSharp.Html.Parser;
using Microsoft.Extensions.Logging.Abstractions;
using TiesOffice.Application;
using TiesOffice.Application.Network;
using TiesOffice.Application.Ports;
using TiesOffice.Application.Proactive;
using TiesOffice.Domain.Ties;
using TiesOffice.Infrastructure.Bot.Cards;
using TiesOffice.Infrastructure.Bot.Outlook;

namespace TiesOffice.Bot.Tests;

/// <summary>
/// The digest as an Outlook actionable message (protocols.md §3(b)): the mail is valid HTML5 by AngleSharp's parser,
/// the card sits in the head in <c>script type="application/adaptivecard+json"</c> with the originator, the body reads
/// on its own, and the channel sends only when actionable messages are on.
/// </summary>
public sealed class OutlookDigestTests
{
    private const string Tenant = "de770000-0000-4000-8000-000000000001";
    private const string Originator = "c9b4352b-a76b-43b9-88ff-80edddaa243b";
    private const string TabLink = "https://teams.microsoft.com/l/entity/app/ties";

    private static readonly UserKey User = new(Tenant, "user-1");

    private static DigestMessage Digest(params Suggestion[] suggestions) => new(
        User,
        "2026-W49",
        new NetworkSummary("Pat Example", "pat@contoso.com", SyncState.Ready, null, new TierCounts(3, 5, 2, 1), [], suggestions),
        suggestions);

    private static Suggestion Suggestion(string id, string name, string address) => new(
        id, address, name, NudgeKind.CoolingWeakTie, NudgeRoute.Write, $"Send {name} something useful.", new DateOnly(2026, 12, 7), "Weak tie · last contact 14 Sep 2026");

    private static ActionableDigestMail Composer() => new(new BotCards(TabLink));

    /// <summary>Parses with AngleSharp's HTML5 parser and collects every parse error it reports.</summary>
    private static (IDocument Document, List<string> Errors) Parse(string html)
    {
        var errors = new List<string>();
        var parser = new HtmlParser();
        parser.Error += (_, e) => errors.Add(e is HtmlErrorEvent error ? $"{error.Code} at {error.Position}: {error.Message}" : e.Type);
        return (parser.ParseDocument(html), errors);
    }

    [Theory]
    [InlineData("<html><head><title>t</title></head><body><p>no doctype</p></body></html>")]
    [InlineData("<!DOCTYPE html><html><head><title>t</title></head><body><p>a</b></p></body></html>")]
    [InlineData("<!DOCTYPE html><html><head><title>t</title></head><body><p>a < b</p></body></html>")]
    public void Parse_InvalidHtml_ReportsErrors(string html) => Assert.NotEmpty(Parse(html).Errors);

    [Fact]
    public void Compose_Mail_IsValidHtmlWithTheCardInTheHead()
    {
        var mail = Composer().Compose(Digest(Suggestion("t1", "Kim Example", "kim@contoso.com"), Suggestion("t2", "Lee Sample", "lee@contoso.com")), Originator);

        var (document, errors) = Parse(mail.Html);

        Assert.Empty(errors);
        Assert.Equal("html", document.Doctype?.Name);
        var scripts = document.QuerySelectorAll("script");
        var script = Assert.Single(scripts);
        Assert.Equal(document.Head, script.ParentElement);
        Assert.Equal("application/adaptivecard+json", script.GetAttribute("type"));
        var card = JsonNode.Parse(script.TextContent)!.AsObject();
        Assert.Equal(mail.Card.ToJsonString(), card.ToJsonString());
        Assert.Equal(Originator, card["originator"]!.GetValue<string>());
        Assert.True(card["hideOriginalBody"]!.GetValue<bool>());
        Assert.Equal("AdaptiveCard", card["type"]!.GetValue<string>());
        Assert.Equal("1.4", card["version"]!.GetValue<string>());
        Assert.Null(card["refresh"]);
    }

    [Fact]
    public void Compose_Card_HasActionExecuteButtonsForEachSuggestion()
    {
        var mail = Composer().Compose(Digest(Suggestion("t1", "Kim Example", "kim@contoso.com"), Suggestion("t2", "Lee Sample", "lee@contoso.com")), Originator);

        var executes = Descendants(mail.Card).Where(n => n["type"]?.GetValue<string>() == "Action.Execute").ToList();

        Assert.Equal(4, executes.Count);
        Assert.Equal(["done", "snooze", "done", "snooze"], executes.Select(e => e["verb"]!.GetValue<string>()));
        Assert.Equal(["t1", "t1", "t2", "t2"], executes.Select(e => e["data"]!["tieId"]!.GetValue<string>()));
        Assert.All(executes, e => Assert.Equal("digest", e["data"]!["from"]!.GetValue<string>()));
        Assert.DoesNotContain(Descendants(mail.Card), n => n["type"]?.GetValue<string>() == "Action.Submit");
    }

    [Fact]
    public void Compose_Body_ReadsWithoutTheCard()
    {
        var mail = Composer().Compose(Digest(Suggestion("t1", "Kim Example", "kim@contoso.com")), Originator);

        var (document, _) = Parse(mail.Html);
        var body = document.Body!;

        Assert.Empty(body.QuerySelectorAll("script"));
        Assert.Equal("Your week in ties", body.QuerySelector("h1")!.TextContent);
        Assert.Contains("3 strong, 5 weak and 2 dormant ties. 1 suggestion(s) this week.", body.TextContent, StringComparison.Ordinal);
        var item = Assert.Single(body.QuerySelectorAll("ol > li"));
        Assert.Contains("Kim Example", item.TextContent, StringComparison.Ordinal);
        Assert.Contains("Send Kim Example something useful.", item.TextContent, StringComparison.Ordinal);
        var links = body.QuerySelectorAll("a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Contains(BotCards.ChatLink("kim@contoso.com"), links);
        Assert.Contains(BotCards.MeetingLink("kim@contoso.com"), links);
        Assert.Contains(TabLink, links);
        Assert.Equal("Your week in ties: 1 person to reconnect with", mail.Subject);
    }

    [Fact]
    public void Compose_NoSuggestions_SaysSoInTheCardAndTheBody()
    {
        var mail = Composer().Compose(Digest(), Originator);

        var (document, errors) = Parse(mail.Html);

        Assert.Empty(errors);
        Assert.Empty(document.Body!.QuerySelectorAll("li"));
        Assert.Contains("your ties look well tended", document.Body.TextContent, StringComparison.Ordinal);
        Assert.Contains("your ties look well tended", mail.Card.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_MarkupInAName_StaysTextInTheBodyAndCannotCloseTheScript()
    {
        const string name = "</script><img src=x onerror=alert(1)> & \"Co\"";
        var mail = Composer().Compose(Digest(Suggestion("t1", name, "kim@contoso.com")), Originator);

        var (document, errors) = Parse(mail.Html);

        Assert.Empty(errors);
        Assert.Single(document.QuerySelectorAll("script"));
        Assert.Empty(document.QuerySelectorAll("img"));
        Assert.Equal(name, document.Body!.QuerySelector("li strong")!.TextContent);
        var card = JsonNode.Parse(document.Head!.QuerySelector("script")!.TextContent)!;
        Assert.Contains(Descendants(card.AsObject()), n => n["text"]?.GetValue<string>() == name);
    }

    [Fact]
    public void ForOutlook_Card_GetsTheOriginatorAndLosesTheRefresh()
    {
        var teams = new BotCards(TabLink).Help("29:u");

        var outlook = BotCards.ForOutlook(teams, Originator);

        Assert.NotNull(teams["refresh"]);
        Assert.Null(outlook["refresh"]);
        Assert.Equal(Originator, outlook["originator"]!.GetValue<string>());
        Assert.Equal("1.4", outlook["version"]!.GetValue<string>());
        Assert.Equal(teams["body"]!.ToJsonString(), outlook["body"]!.ToJsonString());
    }

    public static TheoryData<string, Action<ActionableMessagesOptions>, string> BadOptions => new()
    {
        { "no originator", o => o.OriginatorId = null, "ActionableMessages:OriginatorId" },
        { "an originator that is not a provider id", o => o.OriginatorId = "my-provider", "ActionableMessages:OriginatorId" },
        { "no sender", o => o.SenderMailbox = "", "ActionableMessages:SenderMailbox" },
        { "a sender that is not an address", o => o.SenderMailbox = "digest", "ActionableMessages:SenderMailbox" },
        { "a tenant that is not an id", o => o.TenantId = "contoso", "ActionableMessages:TenantId" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Validate_Enabled_BadSetting_IsRefusedByName(string what, Action<ActionableMessagesOptions> change, string setting)
    {
        var options = new ActionableMessagesOptions { Enabled = true, OriginatorId = Originator, SenderMailbox = "digest@contoso.com" };
        change(options);

        var error = Assert.Throws<ValidationException>(() => options.Validate(new HashSet<string> { "msteams", "outlook" }));

        Assert.True(error.Message.StartsWith(setting, StringComparison.Ordinal), $"{what}: {error.Message}");
    }

    [Fact]
    public void Validate_EnabledWithoutTheOutlookChannel_NamesBotChannels()
    {
        var options = new ActionableMessagesOptions { Enabled = true, OriginatorId = Originator, SenderMailbox = "digest@contoso.com" };

        var error = Assert.Throws<ValidationException>(() => options.Validate(new HashSet<string> { "msteams" }));

        Assert.StartsWith("Bot:Channels", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Disabled_AcceptsAnything()
    {
        var options = new ActionableMessagesOptions { OriginatorId = "x", SenderMailbox = "y" };

        options.Validate(new HashSet<string> { "msteams" });

        Assert.False(options.IsOn);
    }

    [Theory]
    [InlineData(false, Originator, "digest@contoso.com", null)]
    [InlineData(true, null, "digest@contoso.com", null)]
    [InlineData(true, Originator, null, null)]
    [InlineData(true, Originator, "digest@contoso.com", "0e000000-0000-4000-8000-0000000000ff")]
    public async Task SendDigest_OffUnconfiguredOrAnotherTenant_IsNoRouteAndSendsNothing(bool enabled, string? originator, string? sender, string? tenant)
    {
        var mail = new RecordingMailSender(MailSendOutcome.Accepted);
        var channel = Channel(new ActionableMessagesOptions { Enabled = enabled, OriginatorId = originator, SenderMailbox = sender, TenantId = tenant }, mail);

        var outcome = await channel.SendDigestAsync(Digest(Suggestion("t1", "Kim", "kim@contoso.com")), TestContext.Current.CancellationToken);

        Assert.Equal(DeliveryOutcome.NoRoute, outcome);
        Assert.Empty(mail.Sent);
        Assert.Equal(ProactiveChannel.Outlook, channel.Channel);
    }

    [Theory]
    [InlineData(MailSendOutcome.Accepted, DeliveryOutcome.Sent)]
    [InlineData(MailSendOutcome.Rejected, DeliveryOutcome.Blocked)]
    [InlineData(MailSendOutcome.SenderNotAllowed, DeliveryOutcome.Failed)]
    [InlineData(MailSendOutcome.Failed, DeliveryOutcome.Failed)]
    public async Task SendDigest_On_SendsOneMailFromTheServiceMailboxToTheUser(MailSendOutcome sent, DeliveryOutcome expected)
    {
        var mail = new RecordingMailSender(sent);
        var channel = Channel(new ActionableMessagesOptions { Enabled = true, OriginatorId = Originator, SenderMailbox = "digest@contoso.com", TenantId = Tenant }, mail);

        var outcome = await channel.SendDigestAsync(Digest(Suggestion("t1", "Kim", "kim@contoso.com")), TestContext.Current.CancellationToken);

        Assert.Equal(expected, outcome);
        var one = Assert.Single(mail.Sent);
        Assert.Equal(("digest@contoso.com", "pat@contoso.com"), (one.From, one.To));
        Assert.Contains(Originator, one.HtmlBody, StringComparison.Ordinal);
    }

    private static OutlookDigestChannel Channel(ActionableMessagesOptions options, IMailSender sender) =>
        new(options, Composer(), sender, NullLogger<OutlookDigestChannel>.Instance);

    private static IEnumerable<JsonObject> Descendants(JsonObject node)
    {
        yield return node;
        foreach (var (_, value) in node)
        {
            var children = value switch
            {
                JsonObject o => [o],
                JsonArray a => a.OfType<JsonObject>(),
                _ => [],
            };
            foreach (var child in children)
            {
                foreach (var d in Descendants(child))
                {
                    yield return d;
                }
            }
        }
    }

    private sealed class RecordingMailSender(MailSendOutcome outcome) : IMailSender
    {
        public List<OutgoingMail> Sent { get; } = [];

        public Task<MailSendOutcome> SendAsync(OutgoingMail mail, CancellationToken cancellationToken = default)
        {
            Sent.Add(mail);
            return Task.FromResult(outcome);
        }
    }
}
