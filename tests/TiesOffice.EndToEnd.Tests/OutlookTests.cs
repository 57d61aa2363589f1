extern alias faketeams;

using System.Text.Json.Nodes;
using faketeams::TiesOffice.FakeTeams;
using Microsoft.Extensions.DependencyInjection;
using TiesOffice.Application;
using TiesOffice.Application.Network;
using TiesOffice.Application.Ports;
using TiesOffice.Application.Proactive;

namespace TiesOffice.EndToEnd.Tests;

/// <summary>
/// Outlook actionable messages through the DevHost's pipeline: the card's <c>Action.Execute</c> buttons arrive from
/// the fake channel as Azure Bot Service's Outlook channel would send them (channel id <c>outlook</c>, a key endorsed
/// for it) and are handled by the same invoke handlers as Teams'; and the digest mail goes through the real
/// Microsoft.Graph SDK to the Graph simulator's sendMail.
/// </summary>
public sealed class OutlookTests(EndToEndFixture app) : IClassFixture<EndToEndFixture>
{
    private FakeTeamsChannel Teams => app.Teams;

    private FakeUser User(int i) => Teams.Options.Users[i];

    private UserKey Key(FakeUser user) => new(Teams.Options.TenantId, user.AadObjectId);

    private IUserDirectory Directory => app.Host.Services.GetRequiredService<IUserDirectory>();

    private NetworkService Network => app.Host.Services.GetRequiredService<NetworkService>();

    /// <summary>Installs the user in Teams and waits for the first sync's scores; returns the enrolment and two ties.</summary>
    private async Task<(EnrolledUser Me, TieSummary First, TieSummary Second)> ReadyAsync(FakeUser user, CancellationToken ct)
    {
        await Teams.DeliverAsync(Teams.InstallationUpdate(user, "add"), cancellationToken: ct);
        await app.WaitForScoresAsync(1, ct);
        var me = (await Directory.GetAsync(Key(user), ct))!;
        var ties = (await Network.ListTiesAsync(me, new TieQuery([], null, null, null, null, TieSort.Score, 10, null), ct)).Items;
        Assert.True(ties.Count >= 2, "the user needs two ties");
        return (me, ties[0], ties[1]);
    }

    [Fact]
    public async Task OutlookInvoke_Snooze_IsHandledLikeTeamsAndLeavesTheTeamsConversationAlone()
    {
        var ct = TestContext.Current.CancellationToken;
        var user = User(0);
        var (me, first, second) = await ReadyAsync(user, ct);
        var reference = await app.Host.Services.GetRequiredService<IConversationReferenceStore>().GetAsync(Key(user), ct);

        var teams = await Teams.DeliverAsync(Teams.Execute(user, "snooze", new JsonObject { ["tieId"] = first.Id, ["days"] = 7 }), cancellationToken: ct);
        var outlook = await Teams.DeliverAsync(Teams.OutlookExecute(user, "snooze", new JsonObject { ["tieId"] = second.Id, ["days"] = 7 }), cancellationToken: ct);

        foreach (var (answer, tie) in new[] { (teams, first), (outlook, second) })
        {
            Assert.Equal(200, answer.Status);
            Assert.Equal(200, answer.Json!["statusCode"]!.GetValue<int>());
            Assert.Equal("application/vnd.microsoft.card.adaptive", answer.Json["type"]!.GetValue<string>());
            Assert.Equal(tie.DisplayName ?? tie.Contact, answer.Json["value"]!["body"]![0]!["text"]!.GetValue<string>());
            Assert.Contains("Snoozed for 7 days.", answer.Json["value"]!.ToJsonString(), StringComparison.Ordinal);
            var snoozed = (await Network.GetTieAsync(me, tie.Id, ct))!.Overrides.SnoozedUntil;
            Assert.NotNull(snoozed);
            Assert.InRange(snoozed.Value, DateTimeOffset.UtcNow.AddDays(6), DateTimeOffset.UtcNow.AddDays(8));
        }

        // Outlook's card carries the provider's originator and no refresh (Outlook would run it on every opening).
        Assert.Equal(EndToEndFixture.Originator, outlook.Json!["value"]!["originator"]!.GetValue<string>());
        Assert.Null(outlook.Json["value"]!["refresh"]);
        Assert.Null(teams.Json!["value"]!["originator"]);
        Assert.NotNull(teams.Json["value"]!["refresh"]);

        // The proactive messages still go to the Teams conversation.
        Assert.Equal(reference, await app.Host.Services.GetRequiredService<IConversationReferenceStore>().GetAsync(Key(user), ct));
    }

    [Fact]
    public async Task OutlookInvoke_ADigestButton_AnswersWithTheDigestAndTheOutcome()
    {
        var ct = TestContext.Current.CancellationToken;
        var user = User(0);
        var (me, first, _) = await ReadyAsync(user, ct);

        var answer = await Teams.DeliverAsync(Teams.OutlookExecute(user, "done", new JsonObject { ["tieId"] = first.Id, ["from"] = "digest" }), cancellationToken: ct);

        Assert.Equal(200, answer.Status);
        var card = answer.Json!["value"]!;
        Assert.Equal("Your week in ties", card["body"]![0]!["text"]!.GetValue<string>());
        Assert.Equal($"{first.DisplayName ?? first.Contact}: Noted: you reached out. No nudges about them for two weeks.", card["body"]![2]!["text"]!.GetValue<string>());
        Assert.Equal(EndToEndFixture.Originator, card["originator"]!.GetValue<string>());
        Assert.NotNull((await Network.GetTieAsync(me, first.Id, ct))!.Overrides.SnoozedUntil);
    }

    [Theory]
    [InlineData("msteams")]
    [InlineData("outlook")]
    public async Task Refresh_OfTheDigest_AnswersWithTheDigestAsOfNow(string channel)
    {
        var ct = TestContext.Current.CancellationToken;
        var user = User(0);
        var (me, _, _) = await ReadyAsync(user, ct);
        var summary = await Network.GetSummaryAsync(me, ct);
        var data = new JsonObject { ["card"] = "digest", ["args"] = new JsonObject() };

        var answer = await Teams.DeliverAsync(channel == "outlook" ? Teams.OutlookExecute(user, "refresh", data) : Teams.Execute(user, "refresh", data, trigger: "automatic"), cancellationToken: ct);

        Assert.Equal(200, answer.Status);
        var card = answer.Json!["value"]!;
        Assert.Equal("Your week in ties", card["body"]![0]!["text"]!.GetValue<string>());
        Assert.StartsWith($"{summary.Tiers.Strong} strong, {summary.Tiers.Weak} weak", card["body"]![1]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(channel == "outlook", card["originator"] is not null);
    }

    [Fact]
    public async Task OutlookInvoke_KeyNotEndorsedForOutlook_Gets401AndChangesNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var user = User(1);
        Teams.RotateKey(endorsements: ["msteams"]);
        try
        {
            var answer = await Teams.DeliverAsync(Teams.OutlookExecute(user, "help"), cancellationToken: ct);

            Assert.Equal(401, answer.Status);
        }
        finally
        {
            Teams.RotateKey();
        }
    }

    [Fact]
    public async Task OutlookActivity_NotAnInvoke_Gets200AndEnrolsNobody()
    {
        var ct = TestContext.Current.CancellationToken;
        var user = User(2);
        var install = Teams.InstallationUpdate(user, "add");
        install["channelId"] = "outlook";
        var before = Teams.ConnectorRequests;

        var answer = await Teams.DeliverAsync(install, cancellationToken: ct);

        Assert.Equal(200, answer.Status);
        Assert.Equal(before, Teams.ConnectorRequests);
        Assert.Null(await Directory.GetAsync(Key(user), ct));
    }

    [Fact]
    public async Task OutlookDigestChannel_Digest_GoesThroughTheSdkToTheSimulatorsSendMail()
    {
        var ct = TestContext.Current.CancellationToken;
        var user = User(0);
        var (me, _, _) = await ReadyAsync(user, ct);
        var summary = await Network.GetSummaryAsync(me, ct);
        var channel = Assert.Single(app.Host.Services.GetServices<IDigestChannel>(), c => c.Channel == ProactiveChannel.Outlook);
        app.Simulator.Tenant.Outbox.Clear();

        var outcome = await channel.SendDigestAsync(new DigestMessage(me.User, "2026-W49", summary, summary.Suggestions), ct);

        Assert.Equal(DeliveryOutcome.Sent, outcome);
        var mail = Assert.Single(app.Simulator.Tenant.Outbox.Sent);
        Assert.Equal(EndToEndFixture.DigestSender, mail.Sender);
        Assert.Equal([me.MailAddress], mail.To);
        Assert.Equal("html", mail.ContentType);
        Assert.False(mail.SaveToSentItems);
        const string open = "<script type=\"application/adaptivecard+json\">";
        var start = mail.Content.IndexOf(open, StringComparison.Ordinal) + open.Length;
        Assert.True(start > open.Length && start < mail.Content.IndexOf("</head>", StringComparison.Ordinal), "the card is in the head");
        var card = JsonNode.Parse(mail.Content[start..mail.Content.IndexOf("</script>", start, StringComparison.Ordinal)])!;
        Assert.Equal(EndToEndFixture.Originator, card["originator"]!.GetValue<string>());
        foreach (var s in summary.Suggestions)
        {
            Assert.Contains(s.TieId, card.ToJsonString(), StringComparison.Ordinal);
        }
    }
}
