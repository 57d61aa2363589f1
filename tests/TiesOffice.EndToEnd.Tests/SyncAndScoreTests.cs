using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using TiesOffice.Application;
using TiesOffice.Application.Ports;

namespace TiesOffice.EndToEnd.Tests;

public sealed class SyncAndScoreTests(EndToEndFixture app) : IClassFixture<EndToEndFixture>
{
    // Three Enron employees with busy mailboxes (see the log's people.tsv).
    private static readonly string[] s_users = ["john.j.lavorato@enron.com", "jeff.dasovich@enron.com", "sara.shackleton@enron.com"];

    private const string SimulatorCanary = "CANARY-7f3a9c-BODY-NEVER-STORE";

    [Fact]
    public async Task EnrolledUsers_AreSyncedFromGraphAndScoredIntoTableStorage()
    {
        var ct = TestContext.Current.CancellationToken;
        var ids = new List<string>();
        foreach (var address in s_users)
        {
            ids.Add(await app.EnrolAsync(address, ct));
        }

        var status = await app.WaitForScoresAsync(s_users.Length, ct);

        // Other tests of this class may have enrolled a user of their own first (test order is not fixed).
        Assert.InRange(status["enrolled"], s_users.Length, s_users.Length + 1);
        Assert.Equal(0, status["poison"]);
        Assert.True(status["strong"] > 0, "no strong ties");
        Assert.True(status["weak"] > 0, "no weak ties");
        Assert.True(status["pseudo"] > 0, "no pseudo ties");

        // Each user's ties are in that user's own partition, with a why.
        var ties = app.Host.Services.GetRequiredService<ITieStore>();
        foreach (var id in ids)
        {
            var own = await ties.ReadAsync(new UserKey("demo", id), ct).ToListAsync(ct);
            Assert.NotEmpty(own);
            Assert.All(own, t => Assert.False(string.IsNullOrWhiteSpace(t.Why)));
            Assert.DoesNotContain(own, t => s_users.Contains(t.Contact) && string.Equals(t.Contact, s_users[ids.IndexOf(id)], StringComparison.Ordinal));
        }

        // Metadata only: the simulator puts a canary in every body and preview; none of it may be stored.
        var privacy = app.Host.Services.GetRequiredService<IPrivacyOperations>();
        foreach (var id in ids)
        {
            var export = (await privacy.ExportAsync(new UserKey("demo", id), ct)).ToJson();
            Assert.True(export.Length > 1_000, "the export is suspiciously small");
            Assert.DoesNotContain(SimulatorCanary, export, StringComparison.Ordinal);
            Assert.Contains("\"sentAt\"", export, StringComparison.Ordinal);
        }

        var network = await app.Client.GetStringAsync(new Uri("/api/dev/network?user=" + s_users[0] + "&top=3", UriKind.Relative), ct);
        Assert.Contains("STRONG", network, StringComparison.Ordinal);
        Assert.Contains("why:", network, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NewMailThroughTheSimulator_ShowsUpInTheScoresAfterTheNextSync()
    {
        var ct = TestContext.Current.CancellationToken;
        const string owner = "kay.mann@enron.com";
        const string stranger = "new.partner@enron.com";
        var id = await app.EnrolAsync(owner, ct);
        await app.WaitForScoresAsync(1, ct);
        var ties = app.Host.Services.GetRequiredService<ITieStore>();
        Assert.Null(await ties.GetAsync(new UserKey("demo", id), stranger, ct));

        // A two-way exchange with someone new, delivered like Exchange would (Sent Items and the recipient's Inbox).
        var sent = app.Simulator.Clock.GetUtcNow();
        using var first = await PostMessageAsync(owner, stranger, sent.AddMinutes(-30), ct);
        using var reply = await PostMessageAsync(stranger, owner, sent.AddMinutes(-10), ct);
        var sync = await app.Client.PostAsync(new Uri("/api/dev/sync-now", UriKind.Relative), null, ct);
        sync.EnsureSuccessStatusCode();

        var tie = await EndToEndFixture.PollAsync(() => ties.GetAsync(new UserKey("demo", id), stranger, ct), ct);

        Assert.NotNull(tie);
        Assert.NotEqual("pseudo", tie.Tier);
        Assert.NotNull(tie.LastContact);
    }

    [Fact]
    public async Task EnrolUnknownUser_AnswersProblemDetails404()
    {
        var response = await app.Client.PostAsync(new Uri("/api/dev/enrol?user=nobody@nowhere.example", UriKind.Relative), null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private Task<HttpResponseMessage> PostMessageAsync(string from, string to, DateTimeOffset at, CancellationToken ct) =>
        new HttpClient { BaseAddress = app.Simulator.BaseAddress }.PostAsJsonAsync(
            "/_sim/messages",
            new { from, to = new[] { to }, subject = "Lunch next week?", sentDateTime = at },
            ct);
}
