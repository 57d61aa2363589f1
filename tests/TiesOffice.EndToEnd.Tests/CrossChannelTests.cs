extern alias simulator;
extern alias faketeams;

using System.Text.Json.Nodes;
using faketeams::TiesOffice.FakeTeams;
using simulator::TiesOffice.GraphSimulator.Model;
using TiesOffice.Application;
using TiesOffice.Application.Network;
using TiesOffice.Application.Ports;
using TiesOffice.Application.Proactive;
using TiesOffice.Testing.Azurite;

namespace TiesOffice.EndToEnd.Tests;

/// <summary>The proactive DevHost of <see cref="ProactiveFixture"/> with the Outlook channel on.</summary>
public sealed class CrossChannelFixture(AzuriteFixture azurite) : ProactiveFixture(azurite)
{
    protected override bool OutlookEnabled => true;
}

/// <summary>
/// The digest across Teams and Outlook through the DevHost (issue 16): one digest per user and ISO week whichever
/// channel carries it. A digest sent in Teams is not mailed in the same week and the other way round; a user the bot
/// cannot reach in Teams (never installed, or blocked) gets it by mail, through the real Microsoft.Graph SDK to the
/// simulator's sendMail. Also: install sends one welcome card to a user enrolled before, and the service mailbox never
/// becomes a tie.
/// </summary>
public sealed class CrossChannelTests(CrossChannelFixture app) : IClassFixture<CrossChannelFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private FakeTeamsChannel Teams => app.Teams;

    private static UserKey Key(FakeUser user) => new(EndToEndFixture.TenantId, user.AadObjectId);

    private static string Week(DateTimeOffset monday) => ProactiveSchedule.IsoWeek(DateOnly.FromDateTime(monday.UtcDateTime));

    private static bool IsDigest(ConnectorMessage m) => Card(m)?["body"]?[0]?["text"]?.GetValue<string>() == "Your week in ties";

    private static bool IsWelcome(ConnectorMessage m) => Card(m)?["body"]?[0]?["text"]?.GetValue<string>() == "Welcome to TiesOffice";

    private static JsonObject? Card(ConnectorMessage m) =>
        m.Activity["attachments"] is JsonArray { Count: > 0 } a ? a[0]!["content"] as JsonObject : null;

    /// <summary>The digest mails sent to an address so far.</summary>
    private List<SimSentMail> MailsTo(string address) =>
        [.. app.Simulator.Tenant.Outbox.Sent.Where(m => m.To.Any(t => string.Equals(t, address, StringComparison.OrdinalIgnoreCase)))];

    private async Task<UserKey> InstallAsync(FakeUser user)
    {
        Assert.Equal(200, (await Teams.DeliverAsync(Teams.InstallationUpdate(user, "add"), cancellationToken: Ct)).Status);
        await app.Get<ISettingsStore>().UpdateSettingsAsync(Key(user), s => s with { TimeZone = "Etc/UTC" }, Ct);
        await app.RunQueuedJobsAsync(Ct);
        return Key(user);
    }

    /// <summary>Enrols a simulator user through the dev API (as the demo's enrol-all does): enrolled, never installed in Teams.</summary>
    private async Task<UserKey> EnrolAsync(string address, string id)
    {
        using (var client = app.Host.CreateClient())
        {
            (await client.PostAsync(new Uri($"/api/dev/enrol?user={Uri.EscapeDataString(address)}", UriKind.Relative), null, Ct)).EnsureSuccessStatusCode();
        }

        var key = new UserKey(EndToEndFixture.TenantId, id);
        await app.Get<ISettingsStore>().UpdateSettingsAsync(key, s => s with { TimeZone = "Etc/UTC" }, Ct);
        await app.RunQueuedJobsAsync(Ct);
        return key;
    }

    /// <summary>Runs a duplicated tick (two jobs) and two later ticks of the same week.</summary>
    private async Task RunAgainThisWeekAsync(UserKey key)
    {
        await app.RunTimerJobsAsync(key, Ct, count: 2);
        app.Clock.Advance(TimeSpan.FromMinutes(15));
        await app.RunTimerJobsAsync(key, Ct);
        app.Clock.Advance(TimeSpan.FromHours(3));
        await app.RunTimerJobsAsync(key, Ct);
    }

    [Fact]
    public async Task Digest_TeamsUser_GoesToTeamsAndIsNotMailedThatWeek()
    {
        var user = Teams.Options.Users[0];
        var monday = app.BeginWeek();
        var key = await InstallAsync(user);
        app.Clock.SetUtcNow(monday.AddHours(9));

        await app.RunTimerJobsAsync(key, Ct);

        Assert.Single(Teams.SentTo(user), IsDigest);
        Assert.Empty(MailsTo(user.Email));
        var claim = (await app.Get<IDigestClaimStore>().GetAsync(key, Week(monday), Ct))!;
        Assert.Equal((DeliveryOutcome.Sent, ProactiveChannel.Teams), (claim.Outcome!.Value, claim.Channel!.Value));

        await RunAgainThisWeekAsync(key);

        Assert.Single(Teams.SentTo(user), IsDigest);
        Assert.Empty(MailsTo(user.Email));
    }

    [Fact]
    public async Task Digest_MailOnlyUser_IsMailedOnceThroughSendMailAndNothingGoesToTeams()
    {
        var b = app.Simulator.Tenant.Users[6];
        var monday = app.BeginWeek();
        var key = await EnrolAsync(b.Address, b.Id);
        var requests = Teams.ConnectorRequests;
        app.Clock.SetUtcNow(monday.AddHours(9));

        await app.RunTimerJobsAsync(key, Ct);

        var mail = Assert.Single(MailsTo(b.Address));
        Assert.Equal(EndToEndFixture.DigestSender, mail.Sender);
        Assert.Equal("html", mail.ContentType);
        Assert.Contains("<script type=\"application/adaptivecard+json\">", mail.Content, StringComparison.Ordinal);
        Assert.Equal(requests, Teams.ConnectorRequests);
        var claim = (await app.Get<IDigestClaimStore>().GetAsync(key, Week(monday), Ct))!;
        Assert.Equal((DeliveryOutcome.Sent, ProactiveChannel.Outlook), (claim.Outcome!.Value, claim.Channel!.Value));

        await RunAgainThisWeekAsync(key);

        Assert.Single(MailsTo(b.Address));
        Assert.Equal(requests, Teams.ConnectorRequests);
    }

    [Fact]
    public async Task Digest_UserBlockedTheBotTheNextWeek_IsMailedOnceThatWeek()
    {
        var user = Teams.Options.Users[1];
        var monday = app.BeginWeek();
        var key = await InstallAsync(user);
        app.Clock.SetUtcNow(monday.AddHours(9));
        await app.RunTimerJobsAsync(key, Ct);
        Assert.Single(Teams.SentTo(user), IsDigest);
        Assert.Empty(MailsTo(user.Email));

        // Week W+1: the user has blocked the bot; Teams answers 403 MessageWritesBlocked and the digest goes by mail.
        var next = monday.AddDays(7);
        Teams.Block(user);
        app.Clock.SetUtcNow(next.AddHours(9));
        await app.RunTimerJobsAsync(key, Ct);

        Assert.Single(MailsTo(user.Email));
        Assert.Single(Teams.SentTo(user), IsDigest);
        var claim = (await app.Get<IDigestClaimStore>().GetAsync(key, Week(next), Ct))!;
        Assert.Equal((DeliveryOutcome.Sent, ProactiveChannel.Outlook), (claim.Outcome!.Value, claim.Channel!.Value));
        Assert.Null(await app.Get<IConversationReferenceStore>().GetAsync(key, Ct));

        var requests = Teams.ConnectorRequests;
        await RunAgainThisWeekAsync(key);

        Assert.Single(MailsTo(user.Email));
        Assert.Equal(requests, Teams.ConnectorRequests);
    }

    [Fact]
    public async Task Install_UserEnrolledBefore_GetsOneWelcomeAndARepeatedInstallNoMore()
    {
        // Enrolled first (the demo's enrol-all), then the user installs the app: Teams sends installationUpdate and
        // conversationUpdate, and may repeat the installationUpdate.
        var user = Teams.Options.Users[3];
        await EnrolAsync(user.Email, user.AadObjectId);
        Assert.Null(await app.Get<IConversationReferenceStore>().GetAsync(Key(user), Ct));

        Assert.Equal(200, (await Teams.DeliverAsync(Teams.InstallationUpdate(user, "add"), cancellationToken: Ct)).Status);
        Assert.Equal(200, (await Teams.DeliverAsync(Teams.BotAdded(user), cancellationToken: Ct)).Status);
        Assert.Equal(200, (await Teams.DeliverAsync(Teams.InstallationUpdate(user, "add"), cancellationToken: Ct)).Status);

        Assert.Single(Teams.SentTo(user), IsWelcome);
        Assert.Equal(user.ConversationId, (await app.Get<IConversationReferenceStore>().GetAsync(Key(user), Ct))!.ConversationId);
    }

    [Fact]
    public async Task ServiceMailbox_DigestMailInTheInbox_NeverBecomesATie()
    {
        // The digest mail lands in the user's inbox: the sync brings it in, and the service mailbox is left out as if
        // the user had excluded it (nothing stored, no tie, "not tracked" in the pane), with no setting of the user's.
        var b = app.Simulator.Tenant.Users[7];
        for (var i = 0; i < 3; i++)
        {
            var at = app.Clock.GetUtcNow().AddDays(-7 * (i + 1));
            app.Simulator.Tenant.Deliver(null, EndToEndFixture.DigestSender, [b.Address], [], [], "Your week in ties", at, null, notify: false);
            app.Simulator.Tenant.Deliver(null, b.Address, [EndToEndFixture.DigestSender], [], [], "re: Your week in ties", at.AddHours(1), null, notify: false);
        }

        var key = await EnrolAsync(b.Address, b.Id);

        var me = (await app.Get<IUserDirectory>().GetAsync(key, Ct))!;
        var network = app.Get<NetworkService>();
        Assert.Null(await network.GetTieByAddressAsync(me, EndToEndFixture.DigestSender, Ct));
        Assert.Equal(SenderLookupOutcome.NotTracked, (await network.LookUpSenderAsync(me, EndToEndFixture.DigestSender, Ct)).Outcome);
        await foreach (var m in app.Get<IMailboxStore>().ReadMessagesAsync(key, Ct))
        {
            Assert.DoesNotContain(EndToEndFixture.DigestSender, (string[])[m.From ?? string.Empty, .. m.To], StringComparer.OrdinalIgnoreCase);
        }

        Assert.Empty((await app.Get<ISettingsStore>().GetSettingsAsync(key, Ct)).ExcludedEntries);
    }
}
