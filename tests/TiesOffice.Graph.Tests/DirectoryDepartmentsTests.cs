using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Graph;
using Microsoft.Kiota.Abstractions.Authentication;
using TiesOffice.Infrastructure.Graph;

namespace TiesOffice.Graph.Tests;

/// <summary>The directory's departments for reach: every page read, kept for an hour, and nothing (never a failure) when Graph refuses.</summary>
public sealed class DirectoryDepartmentsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetAsync_TwoPages_MapsEveryAddressWithADepartmentAndKeepsItForAnHour()
    {
        var transport = new Answers(request => request.RequestUri!.Query.Contains("skiptoken", StringComparison.Ordinal)
            ? (HttpStatusCode.OK, """{"value":[{"id":"3","mail":null,"userPrincipalName":"Cy@Contoso.com","department":" Legal "}]}""")
            : (HttpStatusCode.OK, """{"value":[{"id":"1","mail":"ann@contoso.com","department":"Sales"},{"id":"2","mail":"bob@contoso.com","department":null}],"@odata.nextLink":"https://graph.microsoft.com/v1.0/users?$skiptoken=2"}"""));
        var time = new ManualTime();
        var directory = new GraphDirectoryDepartments(Client(transport), time, NullLogger<GraphDirectoryDepartments>.Instance);

        var departments = await directory.GetAsync("tenant", Ct);

        Assert.Equal(new Dictionary<string, string> { ["ann@contoso.com"] = "Sales", ["cy@contoso.com"] = "Legal" }, departments);
        Assert.Contains("department", transport.Requests[0], StringComparison.Ordinal);
        Assert.Equal(2, transport.Requests.Count);

        await directory.GetAsync("tenant", Ct);
        Assert.Equal(2, transport.Requests.Count);
        time.Now += GraphDirectoryDepartments.Refresh;
        await directory.GetAsync("tenant", Ct);
        Assert.Equal(4, transport.Requests.Count);
    }

    [Fact]
    public async Task GetAsync_PermissionNotGranted_AnswersNothingAndAsksAgainOnlyAfterTheRetryTime()
    {
        var transport = new Answers(_ => (HttpStatusCode.Forbidden, """{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges to complete the operation."}}"""));
        var time = new ManualTime();
        var directory = new GraphDirectoryDepartments(Client(transport), time, NullLogger<GraphDirectoryDepartments>.Instance);

        Assert.Empty(await directory.GetAsync("tenant", Ct));
        Assert.Empty(await directory.GetAsync("tenant", Ct));
        Assert.Single(transport.Requests);

        time.Now += GraphDirectoryDepartments.RetryAfter;
        Assert.Empty(await directory.GetAsync("tenant", Ct));
        Assert.Equal(2, transport.Requests.Count);
    }

    private static GraphServiceClient Client(HttpMessageHandler transport) =>
        new(new HttpClient(transport), new AnonymousAuthenticationProvider(), "https://graph.microsoft.com/v1.0");

    private sealed class ManualTime : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    /// <summary>A unit-test fake of Graph's transport: answers each request from a function and records the URLs.</summary>
    private sealed class Answers(Func<HttpRequestMessage, (HttpStatusCode Status, string Body)> answer) : HttpMessageHandler
    {
        public List<string> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (Requests)
            {
                Requests.Add(Uri.UnescapeDataString(request.RequestUri!.ToString()));
            }

            var (status, body) = answer(request);
            return Task.FromResult(new HttpResponseMessage(status)
            {
                Content = new StringContent(body, Encoding.UTF8, "application/json"),
                RequestMessage = request,
            });
        }
    }
}
