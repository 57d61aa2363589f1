using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using TiesOffice.Application.Ports;
using TiesOffice.GraphSimulator;
using TiesOffice.Infrastructure.Graph;

namespace TiesOffice.Graph.Tests;

/// <summary>
/// Graph's sendMail through the real SDK (<c>GraphServiceClient.Users[from].SendMail.PostAsync</c>) against the
/// simulator, and the simulator's sendMail contract itself (api-reference/v1.0/api/user-sendmail.md: 202 and no body;
/// 400 for a bad body; 404 for an unknown mailbox).
/// </summary>
public sealed class SendMailTests
{
    private const string Sender = "digest@contoso.com";

    private static Task<Harness> StartAsync() =>
        Harness.StartAsync(new SimulatorOptions { GenerateCalendar = false, ServiceMailboxes = { Sender } }, seed: Harness.SmallTenant(messages: 4, meetings: 0));

    private static GraphMailSender NewSender(Harness h) =>
        new(h.Client, h.GraphOptions, h.Logs.CreateFactory().CreateLogger<GraphMailSender>());

    [Fact]
    public async Task SendAsync_ThroughTheSdk_IsAcceptedAndRecordedAsHtmlWithoutASentItemsCopy()
    {
        await using var h = await StartAsync();
        const string html = "<!DOCTYPE html><html><head><title>t</title></head><body><p>Hi &amp; bye</p></body></html>";

        var outcome = await NewSender(h).SendAsync(new OutgoingMail(Sender, "ada@contoso.com", "Your week in ties", html), TestContext.Current.CancellationToken);

        Assert.True(outcome == MailSendOutcome.Accepted, string.Join('\n', h.Logs.Lines));
        var sent = Assert.Single(h.Sim.Tenant.Outbox.Sent);
        Assert.Equal(Sender, sent.Sender);
        Assert.Equal(["ada@contoso.com"], sent.To);
        Assert.Empty(sent.Cc);
        Assert.Equal("Your week in ties", sent.Subject);
        Assert.Equal("html", sent.ContentType);
        Assert.Equal(html, sent.Content);
        Assert.False(sent.SaveToSentItems);

        // The control API gives the same back, filtered by recipient.
        var listed = JsonNode.Parse(await h.ControlAsync("GET", "_sim/sent-mail?to=ada@contoso.com"))!.AsArray();
        Assert.Equal(html, Assert.Single(listed)!["content"]!.GetValue<string>());
        Assert.Empty(JsonNode.Parse(await h.ControlAsync("GET", "_sim/sent-mail?to=bob@contoso.com"))!.AsArray());
    }

    [Fact]
    public async Task SendAsync_FromAMailboxGraphDoesNotKnow_IsSenderNotAllowedAndSendsNothing()
    {
        await using var h = await StartAsync();

        var outcome = await NewSender(h).SendAsync(new OutgoingMail("nobody@contoso.com", "ada@contoso.com", "s", "<p>x</p>"), TestContext.Current.CancellationToken);

        Assert.Equal(MailSendOutcome.SenderNotAllowed, outcome);
        Assert.Empty(h.Sim.Tenant.Outbox.Sent);
    }

    [Fact]
    public async Task SendAsync_ABadRecipient_IsRejected()
    {
        await using var h = await StartAsync();

        var outcome = await NewSender(h).SendAsync(new OutgoingMail(Sender, "not an address", "s", "<p>x</p>"), TestContext.Current.CancellationToken);

        Assert.Equal(MailSendOutcome.Rejected, outcome);
        Assert.Empty(h.Sim.Tenant.Outbox.Sent);
    }

    [Fact]
    public async Task SendAsync_Throttled_IsRetriedAfterRetryAfterAndSentOnce()
    {
        await using var h = await StartAsync();
        await h.ControlAsync("POST", $"_sim/users/{Sender}/faults", new { kind = "429", count = 1, retryAfterSeconds = 1, path = "sendMail" });

        var outcome = await NewSender(h).SendAsync(new OutgoingMail(Sender, "ada@contoso.com", "s", "<p>x</p>"), TestContext.Current.CancellationToken);

        Assert.Equal(MailSendOutcome.Accepted, outcome);
        Assert.Single(h.Sim.Tenant.Outbox.Sent);
        Assert.Equal(2, h.Box(Sender).RequestCount);
    }

    [Fact]
    public async Task SendAsync_GatewayTimeout_IsNotRetriedSinceTheMailMayHaveGone()
    {
        await using var h = await StartAsync();
        await h.ControlAsync("POST", $"_sim/users/{Sender}/faults", new { kind = "504", count = 1, path = "sendMail" });

        var outcome = await NewSender(h).SendAsync(new OutgoingMail(Sender, "ada@contoso.com", "s", "<p>x</p>"), TestContext.Current.CancellationToken);

        Assert.Equal(MailSendOutcome.Failed, outcome);
        Assert.Equal(1, h.Box(Sender).RequestCount);
    }

    public static TheoryData<string, string, string> BadBodies => new()
    {
        { "not JSON", "application/json", "{\"message\":" },
        { "no message", "application/json", "{\"saveToSentItems\":false}" },
        { "no recipient", "application/json", "{\"message\":{\"subject\":\"s\",\"body\":{\"contentType\":\"HTML\",\"content\":\"x\"}}}" },
        { "a recipient without an address", "application/json", "{\"message\":{\"toRecipients\":[{\"emailAddress\":{\"name\":\"Ada\"}}]}}" },
        { "an unknown body type", "application/json", "{\"message\":{\"toRecipients\":[{\"emailAddress\":{\"address\":\"ada@contoso.com\"}}],\"body\":{\"contentType\":\"rtf\",\"content\":\"x\"}}}" },
        { "MIME that is not base64", "text/plain", "From: a@b\r\n\r\nhello" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Simulator_SendMail_BadBody_Is400WithAGraphErrorAndSendsNothing(string what, string contentType, string body)
    {
        await using var h = await StartAsync();

        var (status, text) = await PostAsync(h, $"users/{Sender}/sendMail", contentType, body);

        Assert.True(status == HttpStatusCode.BadRequest, $"{what}: {(int)status}");
        Assert.NotNull(JsonNode.Parse(text)!["error"]!["code"]);
        Assert.Empty(h.Sim.Tenant.Outbox.Sent);
    }

    [Fact]
    public async Task Simulator_SendMail_UnknownMailbox_Is404()
    {
        await using var h = await StartAsync();

        var (status, _) = await PostAsync(h, "users/nobody@contoso.com/sendMail", "application/json",
            "{\"message\":{\"toRecipients\":[{\"emailAddress\":{\"address\":\"ada@contoso.com\"}}]}}");

        Assert.Equal(HttpStatusCode.NotFound, status);
    }

    [Fact]
    public async Task Simulator_SendMail_DocumentedExample_Is202WithNoBody()
    {
        await using var h = await StartAsync();

        // Example 1 of the Graph page, "saveToSentItems" as the string it shows.
        var (status, text) = await PostAsync(h, $"users/{Sender}/sendMail", "application/json",
            """{"message":{"subject":"Meet for lunch?","body":{"contentType":"Text","content":"The new cafeteria is open."},"toRecipients":[{"emailAddress":{"address":"frannis@contoso.com"}}],"ccRecipients":[{"emailAddress":{"address":"danas@contoso.com"}}]},"saveToSentItems":"false"}""");

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal(string.Empty, text);
        var sent = Assert.Single(h.Sim.Tenant.Outbox.Sent);
        Assert.Equal(("text", false, "danas@contoso.com"), (sent.ContentType, sent.SaveToSentItems, sent.Cc[0]));
    }

    private static async Task<(HttpStatusCode Status, string Body)> PostAsync(Harness h, string path, string contentType, string body)
    {
        using var http = new HttpClient { BaseAddress = new Uri(h.Sim.GraphBaseUrl + "/") };
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "test-token");
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}
