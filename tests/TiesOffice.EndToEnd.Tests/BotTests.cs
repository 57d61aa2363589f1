extern alias faketeams;

using System.Net;
using System.Text.Json.Nodes;
using faketeams::TiesOffice.FakeTeams;
using Microsoft.Extensions.DependencyInjection;
using TiesOffice.Application;
using TiesOffice.Application.Network;
using TiesOffice.Application.Ports;

namespace TiesOffice.EndToEnd.Tests;

/// <summary>
/// The Teams bot through the DevHost's pipeline, with the fake Teams channel as the Bot Connector: inbound
/// authentication (security.md items 4–6, 12, 18, 31), install, uninstall, messages and card actions.
/// </summary>
public sealed class BotTests(EndToEndFixture app) : IClassFixture<EndToEndFixture>
{
    private FakeTeamsChannel Teams => app.Teams;

    private FakeUser User(int i) => Teams.Options.Users[i];

    private UserKey Key(FakeUser user) => new(Teams.Options.TenantId, user.AadObjectId);

    private IUserDirectory Directory => app.Host.Services.GetRequiredService<IUserDirectory>();

    private IConversationReferenceStore References => app.Host.Services.GetRequiredService<IConversationReferenceStore>();

    public static TheoryData<string, FakeTokenSpec> BadTokens => new()
    {
        { "issuer", new FakeTokenSpec { Issuer = "https://api.botframework.com.attacker.example" } },
        { "audience", new FakeTokenSpec { Audience = "another-bot" } },
        { "expired", new FakeTokenSpec { NotBefore = TimeSpan.FromHours(-2), Expires = TimeSpan.FromMinutes(-10) } },
        { "not yet valid", new FakeTokenSpec { NotBefore = TimeSpan.FromMinutes(10), Expires = TimeSpan.FromMinutes(70) } },
        { "key outside the JWKS", new FakeTokenSpec { ForeignKey = true } },
        { "serviceurl claim missing", new FakeTokenSpec { ServiceUrl = string.Empty } },
        { "serviceurl claim differs", new FakeTokenSpec { ServiceUrl = "https://127.0.0.2/" } },
        { "alg none", new FakeTokenSpec { NoSignature = true } },
        { "HS256 with the public key", new FakeTokenSpec { SymmetricWithPublicKey = true } },
        { "tampered signature", new FakeTokenSpec { TamperSignature = true } },
    };

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task Messages_BadToken_Gets401AndDoesNothing(string change, FakeTokenSpec spec)
    {
        var user = User(2);
        var before = Teams.ConnectorRequests;

        var answer = await Teams.DeliverAsync(Teams.InstallationUpdate(user, "add"), spec, cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(answer.Status == 401, $"{change}: got {answer.Status}");
        Assert.Equal(before, Teams.ConnectorRequests);
        Assert.Null(await Directory.GetAsync(Key(user), TestContext.Current.CancellationToken));
        Assert.Null(await References.GetAsync(Key(user), TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer ")]
    [InlineData("Bearer not-a-jwt")]
    public async Task Messages_MissingOrNonBearerHeader_Gets401AndDoesNothing(string header)
    {
        var user = User(2);
        var before = Teams.ConnectorRequests;

        var answer = await Teams.DeliverAsync(Teams.InstallationUpdate(user, "add"), authorization: header, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(401, answer.Status);
        Assert.Contains("\"status\":401", answer.Body, StringComparison.Ordinal);
        Assert.Equal(before, Teams.ConnectorRequests);
        Assert.Null(await Directory.GetAsync(Key(user), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Messages_KeyNotEndorsedForTeams_Gets401()
    {
        var user = User(2);
        Teams.RotateKey(endorsements: ["skype"]);
        try
        {
            var answer = await Teams.DeliverAsync(Teams.InstallationUpdate(user, "add"), cancellationToken: TestContext.Current.CancellationToken);

            Assert.Equal(401, answer.Status);
            Assert.Null(await Directory.GetAsync(Key(user), TestContext.Current.CancellationToken));
        }
        finally
        {
            Teams.RotateKey();
        }
    }

    [Fact]
    public async Task Messages_ChannelTheBotDoesNotServe_Gets401()
    {
        var user = User(2);
        var activity = Teams.InstallationUpdate(user, "add");
        activity["channelId"] = "slack";

        var answer = await Teams.DeliverAsync(activity, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(401, answer.Status);
        Assert.Null(await Directory.GetAsync(Key(user), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Messages_RotatedKey_IsFetchedOnceAndAccepted()
    {
        var user = User(1);
        await Teams.DeliverAsync(Teams.Message(user, "help"), cancellationToken: TestContext.Current.CancellationToken);
        var fetches = Teams.KeyFetches;
        Teams.RotateKey(dropOld: true);

        var first = await Teams.DeliverAsync(Teams.Message(user, "help"), cancellationToken: TestContext.Current.CancellationToken);
        var second = await Teams.DeliverAsync(Teams.Message(user, "help"), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(200, first.Status);
        Assert.Equal(200, second.Status);
        Assert.Equal(fetches + 1, Teams.KeyFetches);
    }

    [Fact]
    public async Task Messages_ForgedServiceUrl_SendsNothingAndRequestsNoToken()
    {
        // Even with a token the channel signed for that serviceUrl, the bot sends nothing to a host it does not allow.
        await using var attacker = await FakeTeamsChannel.StartAsync(new FakeTeamsOptions());
        var user = User(1);
        var activity = Teams.Message(user, "help");
        activity["serviceUrl"] = $"https://localhost:{attacker.BaseAddress.Port}/";
        var tokens = Teams.TokenRequests;
        var requests = Teams.ConnectorRequests;

        var answer = await Teams.DeliverAsync(activity, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(200, answer.Status);
        Assert.Equal(0, attacker.ConnectorRequests);
        Assert.Equal(0, attacker.TokenRequests);
        Assert.Equal(tokens, Teams.TokenRequests);
        Assert.Equal(requests, Teams.ConnectorRequests);
    }

    [Fact]
    public async Task Install_EnrolsStoresTheReferenceAndSendsOneWelcome()
    {
        var user = User(0);
        var ct = TestContext.Current.CancellationToken;

        var install = await Teams.DeliverAsync(Teams.InstallationUpdate(user, "add"), cancellationToken: ct);
        var added = await Teams.DeliverAsync(Teams.BotAdded(user), cancellationToken: ct);

        Assert.Equal(200, install.Status);
        Assert.Equal(200, added.Status);
        var enrolled = await Directory.GetAsync(Key(user), ct);
        Assert.NotNull(enrolled);
        Assert.Equal(ConsentState.Active, enrolled.Consent);
        Assert.Equal(user.Email, enrolled.MailAddress);
        var reference = await References.GetAsync(Key(user), ct);
        Assert.NotNull(reference);
        Assert.Equal(Teams.BaseAddress.ToString(), reference.ServiceUrl);
        Assert.Equal(user.ConversationId, reference.ConversationId);
        var cards = Teams.SentTo(user).Where(m => Card(m.Activity)?["body"]?[0]?["text"]?.GetValue<string>() == "Welcome to TiesOffice").ToList();
        Assert.Single(cards);
        var welcome = Card(cards[0].Activity)!;
        Assert.Equal("1.5", welcome["version"]!.GetValue<string>());
        Assert.Contains("metadata only", welcome.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("delete my data", welcome.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(user.ChannelId, welcome["refresh"]!["userIds"]![0]!.GetValue<string>());
    }

    [Theory]
    [InlineData("help")]
    [InlineData("HELP")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("what is the weather")]
    [InlineData("<at>TiesOffice</at> help")]
    public async Task Message_AnyText_GetsAReplyWithAWayForward(string text)
    {
        var user = User(0);
        await Teams.DeliverAsync(Teams.InstallationUpdate(user, "add"), cancellationToken: TestContext.Current.CancellationToken);
        var message = Teams.Message(user, text);

        var answer = await Teams.DeliverAsync(message, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(200, answer.Status);
        var reply = Teams.SentTo(user)[^1];
        Assert.Equal(message["id"]!.GetValue<string>(), reply.Activity["replyToId"]!.GetValue<string>());
        Assert.Contains("help", reply.Activity.ToJsonString(), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("messageReaction")]
    [InlineData("event")]
    [InlineData("somethingNew")]
    public async Task Messages_UnknownActivityType_Gets200AndSendsNothing(string type)
    {
        var user = User(0);
        var before = Teams.SentTo(user).Count;

        var answer = await Teams.DeliverAsync(Teams.Base(user, type, a => a["brandNewField"] = new JsonObject { ["x"] = 1 }), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(200, answer.Status);
        Assert.Equal(before, Teams.SentTo(user).Count);
    }

    [Fact]
    public async Task Messages_NotAnActivity_Gets400()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages")
        {
            Content = new StringContent("{\"not\":", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + Teams.CreateToken(new FakeTokenSpec(), Teams.BaseAddress.ToString()));

        using var response = await app.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Invoke_BadCardSubmit_Gets400WithAWayForward()
    {
        var user = User(0);
        var invoke = Teams.Execute(user, "noSuchVerb");

        var answer = await Teams.DeliverAsync(invoke, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(400, answer.Status);
        Assert.Equal("application/vnd.microsoft.error", answer.Json!["type"]!.GetValue<string>());
        Assert.Contains("help", answer.Json["value"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Message_TenantsDisagree_IsIgnored()
    {
        var user = User(1);
        var activity = Teams.InstallationUpdate(user, "add");
        activity["channelData"]!["tenant"]!["id"] = "another-tenant";
        var before = Teams.ConnectorRequests;

        var answer = await Teams.DeliverAsync(activity, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(200, answer.Status);
        Assert.Equal(before, Teams.ConnectorRequests);
        Assert.Null(await Directory.GetAsync(new UserKey("another-tenant", user.AadObjectId), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Install_KnownUserUnderAnotherTenant_IsIgnoredThroughTheTenantIndex()
    {
        // The same Entra object id, with both tenant fields agreeing on another tenant: only the index can tell.
        var user = User(1);
        var ct = TestContext.Current.CancellationToken;
        await Teams.DeliverAsync(Teams.InstallationUpdate(user, "add"), cancellationToken: ct);
        Assert.NotNull(await References.GetAsync(Key(user), ct));
        var activity = Teams.InstallationUpdate(user, "add");
        activity["channelData"]!["tenant"]!["id"] = "another-tenant";
        activity["conversation"]!["tenantId"] = "another-tenant";
        var before = Teams.ConnectorRequests;

        var answer = await Teams.DeliverAsync(activity, cancellationToken: ct);

        Assert.Equal(200, answer.Status);
        Assert.Equal(before, Teams.ConnectorRequests);
        Assert.Null(await Directory.GetAsync(new UserKey("another-tenant", user.AadObjectId), ct));
        Assert.Null(await References.GetAsync(new UserKey("another-tenant", user.AadObjectId), ct));
        Assert.Equal(Key(user), await app.Host.Services.GetRequiredService<ITeamsUserIndex>().FindAsync(user.AadObjectId, ct));
    }

    [Fact]
    public async Task DeleteMyData_ConfirmedThroughActionExecute_ErasesAndAnswersWithACard()
    {
        var user = User(1);
        var ct = TestContext.Current.CancellationToken;
        await Teams.DeliverAsync(Teams.InstallationUpdate(user, "add"), cancellationToken: ct);
        Assert.NotNull(await Directory.GetAsync(Key(user), ct));

        await Teams.DeliverAsync(Teams.Message(user, "Delete my data"), cancellationToken: ct);
        var confirm = Teams.SentTo(user)[^1];
        Assert.Contains("confirmDelete", confirm.Activity.ToJsonString(), StringComparison.Ordinal);
        var answer = await Teams.DeliverAsync(Teams.Execute(user, "confirmDelete", replyToId: confirm.ActivityId), cancellationToken: ct);

        Assert.Equal(200, answer.Status);
        Assert.Equal(200, answer.Json!["statusCode"]!.GetValue<int>());
        Assert.Equal("application/vnd.microsoft.card.adaptive", answer.Json["type"]!.GetValue<string>());
        Assert.Equal("Your data is deleted", answer.Json["value"]!["body"]![0]!["text"]!.GetValue<string>());
        Assert.NotNull(answer.Json["value"]!["refresh"]);
        Assert.Null(await Directory.GetAsync(Key(user), ct));
        Assert.Null(await References.GetAsync(Key(user), ct));
        Assert.Null(await app.Host.Services.GetRequiredService<ITeamsUserIndex>().FindAsync(user.AadObjectId, ct));
    }

    [Fact]
    public async Task Uninstall_ErasesTheUser()
    {
        var user = User(2);
        var ct = TestContext.Current.CancellationToken;
        await Teams.DeliverAsync(Teams.InstallationUpdate(user, "add"), cancellationToken: ct);
        Assert.NotNull(await Directory.GetAsync(Key(user), ct));

        var answer = await Teams.DeliverAsync(Teams.InstallationUpdate(user, "remove"), cancellationToken: ct);

        Assert.Equal(200, answer.Status);
        Assert.Null(await Directory.GetAsync(Key(user), ct));
        Assert.Null(await References.GetAsync(Key(user), ct));
    }

    [Fact]
    public async Task Reply_MessageWritesBlocked_MarksTheConversationInactiveAndStopsSending()
    {
        var user = User(0);
        var ct = TestContext.Current.CancellationToken;
        await Teams.DeliverAsync(Teams.InstallationUpdate(user, "add"), cancellationToken: ct);
        Teams.Inject(new ConnectorFault(403, MessageWritesBlocked: true));

        await Teams.DeliverAsync(Teams.Message(user, "help"), cancellationToken: ct);

        Assert.Null(await References.GetAsync(Key(user), ct));
        var requests = Teams.ConnectorRequests;
        await Teams.DeliverAsync(Teams.Base(user, "messageReaction"), cancellationToken: ct);
        Assert.Equal(requests, Teams.ConnectorRequests);

        // The user writing again makes the conversation active again.
        await Teams.DeliverAsync(Teams.Message(user, "help"), cancellationToken: ct);
        Assert.NotNull(await References.GetAsync(Key(user), ct));
        Assert.Equal(requests + 1, Teams.ConnectorRequests);
    }

    [Fact]
    public async Task Reply_429WithRetryAfter_WaitsAtLeastThatLongThenSucceeds()
    {
        var user = User(0);
        var ct = TestContext.Current.CancellationToken;
        await Teams.DeliverAsync(Teams.InstallationUpdate(user, "add"), cancellationToken: ct);
        var requests = Teams.ConnectorRequests;
        Teams.Inject(new ConnectorFault(429, RetryAfterSeconds: 1), new ConnectorFault(502));
        var started = DateTimeOffset.UtcNow;

        var answer = await Teams.DeliverAsync(Teams.Message(user, "help"), cancellationToken: ct);

        Assert.Equal(200, answer.Status);
        Assert.Equal(requests + 3, Teams.ConnectorRequests);
        var reply = Teams.SentTo(user)[^1];
        Assert.True(reply.ReceivedAt - started >= TimeSpan.FromSeconds(1), "the retry came before Retry-After");
    }

    [Fact]
    public async Task DigestAndHowAmIWith_AfterTheFirstSync_AnswerFromTheTabsUseCases()
    {
        var user = User(0);
        var ct = TestContext.Current.CancellationToken;
        await Teams.DeliverAsync(Teams.InstallationUpdate(user, "add"), cancellationToken: ct);
        await app.WaitForScoresAsync(1, ct);
        var network = app.Host.Services.GetRequiredService<NetworkService>();
        var me = (await Directory.GetAsync(Key(user), ct))!;
        var summary = await network.GetSummaryAsync(me, ct);
        var top = (await network.ListTiesAsync(me, new TieQuery([], null, null, null, null, TieSort.Score, 1, null), ct)).Items[0];

        await Teams.DeliverAsync(Teams.Message(user, "digest"), cancellationToken: ct);
        var digest = Card(Teams.SentTo(user)[^1].Activity)!;
        await Teams.DeliverAsync(Teams.Message(user, "how am I with " + top.Contact), cancellationToken: ct);
        var tie = Card(Teams.SentTo(user)[^1].Activity)!;

        Assert.Equal("Your week in ties", digest["body"]![0]!["text"]!.GetValue<string>());
        Assert.StartsWith($"{summary.Tiers.Strong} strong, {summary.Tiers.Weak} weak", digest["body"]![1]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(top.DisplayName ?? top.Contact, tie["body"]![0]!["text"]!.GetValue<string>());
        Assert.Contains(top.Id, tie.ToJsonString(), StringComparison.Ordinal);
    }

    private static JsonObject? Card(JsonObject activity) =>
        activity["attachments"] is JsonArray { Count: > 0 } a ? a[0]!["content"] as JsonObject : null;
}
