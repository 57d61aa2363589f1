using System.Net;
using System.Text;

namespace TiesOffice.EndToEnd.Tests;

/// <summary>Every HTTP edge caps the body it reads: a body over the cap is 413 ProblemDetails, whether or not it declares its length.</summary>
public sealed class RequestBodyLimitTests(EndToEndFixture app) : IClassFixture<EndToEndFixture>
{
    private const int FiveMegabytes = 5 * 1024 * 1024;

    [Theory]
    [InlineData("/api/graph/notifications")]
    [InlineData("/api/graph/lifecycle")]
    public async Task GraphWebhook_FiveMegabyteBody_Answers413(string route)
    {
        var ct = TestContext.Current.CancellationToken;
        using var content = new StringContent("{\"value\":[" + new string(' ', FiveMegabytes) + "]}", Encoding.UTF8, "application/json");

        using var response = await app.Client.PostAsync(new Uri(route, UriKind.Relative), content, ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task GraphWebhook_FiveMegabyteBodyWithoutALength_Answers413()
    {
        var ct = TestContext.Current.CancellationToken;
        using var content = new StreamContent(new UnknownLengthStream(Encoding.UTF8.GetBytes("{\"value\":[" + new string(' ', FiveMegabytes) + "]}")));

        using var response = await app.Client.PostAsync(new Uri("/api/graph/notifications", UriKind.Relative), content, ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task GraphWebhook_SmallMalformedBody_StillAnswers400()
    {
        var ct = TestContext.Current.CancellationToken;
        using var content = new StringContent("{\"value\":", Encoding.UTF8, "application/json");

        using var response = await app.Client.PostAsync(new Uri("/api/graph/notifications", UriKind.Relative), content, ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task DevApi_BodyOverItsCap_Answers413()
    {
        var ct = TestContext.Current.CancellationToken;
        using var content = new StringContent(new string('x', 64 * 1024));

        using var response = await app.Client.PostAsync(new Uri("/api/dev/sync-now", UriKind.Relative), content, ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>A body whose length is not known up front, so it is sent chunked, without Content-Length.</summary>
    private sealed class UnknownLengthStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
