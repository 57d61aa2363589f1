using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Graph;
using Microsoft.Kiota.Abstractions.Authentication;
using TiesOffice.Application;
using TiesOffice.Application.Sync;
using TiesOffice.Domain.Metadata;
using TiesOffice.GraphSimulator;
using TiesOffice.Infrastructure.Graph;

namespace TiesOffice.Graph.Tests;

/// <summary>
/// The fast page reader (<see cref="GraphPageParser.Fast"/>) against the SDK's Graph models
/// (<see cref="GraphPageParser.SdkModels"/>): the same requests through the same client, and every page read both
/// ways must give the same items (field for field), removed ids, skip count and links.
/// </summary>
public sealed class PageParserEquivalenceTests
{
    private static readonly CalendarWindow Always = new(new DateTimeOffset(1990, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private static readonly UserKey Someone = new("contoso", "someone@contoso.com");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> MessageSamples => new(Samples("messages-delta-"));

    public static TheoryData<string> EventSamples => new(Samples("calendarview-delta-").Concat(Samples("events-delta-")));

    [Theory]
    [MemberData(nameof(MessageSamples))]
    public async Task GetMessagesPageAsync_SharedGraphSample_FastReaderEqualsSdkModels(string sample)
    {
        var body = await SampleBodyAsync(sample);

        var (fast, sdk) = await BothAsync(body, r => r.GetMessagesPageAsync(Someone, "inbox", MailFolder.Inbox, null, Ct));

        Assert.True(fast.Items.Count + fast.RemovedIds.Count + fast.Skipped > 0, sample + " holds no message");
        Assert.Equal(Canonical(sdk), Canonical(fast));
    }

    [Theory]
    [MemberData(nameof(EventSamples))]
    public async Task GetMeetingsPageAsync_SharedGraphSample_FastReaderEqualsSdkModels(string sample)
    {
        var body = await SampleBodyAsync(sample);

        var (fast, sdk) = await BothAsync(body, r => r.GetMeetingsPageAsync(Someone, Always, null, Ct));

        Assert.True(fast.Items.Count + fast.RemovedIds.Count + fast.Skipped > 0, sample + " holds no event");
        Assert.Equal(Canonical(sdk), Canonical(fast));
    }

    [Fact]
    public async Task GetMessagesPageAsync_OddButValidJson_FastReaderFollowsTheSdksRules()
    {
        // Nulls, values of the wrong type, repeated properties, escaped names, null array elements, @removed with
        // null, an unknown property, odd date forms, and a repeated "value" (the last one counts).
        const string Page = """
        {"value":[{"id":"ignored"}],
         "@odata.nextLink":"https://graph.microsoft.com/v1.0/next?$skiptoken=1",
         "value":[
          {"id":"a1","from":{"emailAddress":{"address":"Ada@Contoso.com "}},"toRecipients":[null,{"emailAddress":null},{"emailAddress":{"address":"bob@contoso.com"}},{"emailAddress":{"address":"BOB@contoso.com"}}],"sentDateTime":"2024-03-01T10:00:00Z","isDraft":null},
          {"\u0069d":"a2","from":"not an object","sender":{"emailAddress":{"address":"cyd@contoso.com"}},"ccRecipients":{"not":"a list"},"bccRecipients":[{"emailAddress":{"address":"dee@contoso.com"}}],"sentDateTime":"2024-03-01 10:00:00+02:00","receivedDateTime":12,"conversationId":7,"isDraft":"yes"},
          {"id":"a3","from":{"emailAddress":{"address":"ada@contoso.com"}},"from":null,"toRecipients":[{"emailAddress":{"address":"x@contoso.com"},"emailAddress":{"name":"no address"}}],"sentDateTime":"2024-03-01T10:00:00.1234567-05:00"},
          {"id":"a4","from":{"emailAddress":{"address":"ada@contoso.com"}},"toRecipients":[{"emailAddress":{"address":"bob@contoso.com"}}],"sentDateTime":"yesterday"},
          {"id":"a5","@removed":null},
          {"id":null,"@removed":{"reason":"deleted"}},
          null, 5, [],
          {"id":"a6","from":{"emailAddress":{"address":"ada@contoso.com"}},"toRecipients":[{"emailAddress":{"address":"bob@contoso.com"}}],"sentDateTime":"2024-03-01T10:00:00Z","futureProperty":{"nested":[1,2]},"conversationId":"c\"1","isDraft":true,"ID":"upper"}
         ],
         "@odata.deltaLink":null}
        """;

        var (fast, sdk) = await BothAsync(Encoding.UTF8.GetBytes(Page), r => r.GetMessagesPageAsync(Someone, "inbox", MailFolder.Inbox, null, Ct));

        Assert.Equal(Canonical(sdk), Canonical(fast));
        // a2: a "from" that is not an object reads as an empty recipient, so the sender stands in; a3: the second
        // emailAddress (no address) replaces the first, leaving no recipient; a4: an unreadable sentDateTime.
        Assert.Equal(["a1", "a2", "a6"], fast.Items.Select(i => i.Id));
        Assert.Equal(["a5"], fast.RemovedIds);
    }

    [Fact]
    public async Task GetPagesAsync_ItemsWithDisplayNames_BothReadersMapEachAddresssFirstName()
    {
        // Names ride on the emailAddress objects; a repeated or null name follows the same rules as the address.
        const string Messages = """
        {"value":[
          {"id":"n1","from":{"emailAddress":{"name":"Ada Lovelace","address":"Ada@Contoso.com"}},"sender":{"emailAddress":{"address":"ada@contoso.com","name":"Ada (delegate)"}},
           "toRecipients":[{"emailAddress":{"address":"bob@contoso.com","name":" Bob Stone "}},{"emailAddress":{"address":"cyd@contoso.com","name":null}},{"emailAddress":{"address":"dee@contoso.com","name":""}},{"emailAddress":{"address":"eve@contoso.com","name":7}}],
           "ccRecipients":[{"emailAddress":{"address":"fay@contoso.com","name":"Fay"},"emailAddress":{"address":"fay@contoso.com"}}],
           "bccRecipients":[{"emailAddress":{"name":"Gus","name":"Gus Grand","address":"gus@contoso.com"}}],"sentDateTime":"2024-03-01T10:00:00Z"},
          {"id":"n2","from":{"emailAddress":{"address":"ada@contoso.com"}},"toRecipients":[{"emailAddress":{"address":"bob@contoso.com"}}],"sentDateTime":"2024-03-01T10:00:00Z"}
        ]}
        """;
        const string Events = """
        {"value":[
          {"id":"e1","organizer":{"emailAddress":{"address":"ada@contoso.com","name":"Ada Lovelace"}},"start":{"dateTime":"2024-03-01T10:00:00","timeZone":"UTC"},"end":{"dateTime":"2024-03-01T11:00:00","timeZone":"UTC"},
           "attendees":[{"type":"required","status":{"response":"accepted"},"emailAddress":{"name":"Bob Stone","address":"BOB@contoso.com"}},{"type":"resource","emailAddress":{"address":"room@contoso.com","name":"Room 4"}}]}
        ]}
        """;

        var (fast, sdk) = await BothAsync(Encoding.UTF8.GetBytes(Messages), r => r.GetMessagesPageAsync(Someone, "inbox", MailFolder.Inbox, null, Ct));
        Assert.Equal(Canonical(sdk), Canonical(fast));
        Assert.Equal(
            new Dictionary<string, string> { ["ada@contoso.com"] = "Ada Lovelace", ["bob@contoso.com"] = "Bob Stone", ["gus@contoso.com"] = "Gus Grand" },
            fast.Items[0].Names);
        Assert.Null(fast.Items[1].Names);

        var (fastEvents, sdkEvents) = await BothAsync(Encoding.UTF8.GetBytes(Events), r => r.GetMeetingsPageAsync(Someone, Always, null, Ct));
        Assert.Equal(Canonical(sdkEvents), Canonical(fastEvents));
        Assert.Equal("Bob Stone", fastEvents.Items[0].Names!["bob@contoso.com"]);
        Assert.Equal("Ada Lovelace", fastEvents.Items[0].Names!["ada@contoso.com"]);
    }

    [Fact]
    public async Task GetMeetingsPageAsync_OddButValidJson_FastReaderFollowsTheSdksRules()
    {
        const string Page = """
        {"value":[
          {"id":"e1","organizer":{"emailAddress":{"address":"ada@contoso.com"}},"start":{"dateTime":"2024-03-01T10:00:00.0000000","timeZone":"UTC"},"end":{"dateTime":"2024-03-01T11:00:00","timeZone":"America/Los_Angeles"},
           "attendees":[null,{"type":"Optional","status":{"response":"tentativelyAccepted"},"emailAddress":{"address":"Bob@contoso.com"}},{"type":"2","status":{"response":"none"},"emailAddress":{"address":"cyd@contoso.com"}},{"type":"resource","status":"odd","emailAddress":{"address":"room@contoso.com"}},{"type":"","status":{"response":"NotResponded"},"emailAddress":{"address":"dee@contoso.com"}}],
           "showAs":"workingElsewhere","type":"seriesMaster","isCancelled":"no","isAllDay":false,"isOnlineMeeting":true,"seriesMasterId":"","body":{"contentType":"html","content":"secret"},"futureProperty":1},
          {"id":"e2","organizer":{"emailAddress":{"address":"ada@contoso.com"}},"start":{"dateTime":"2024-03-01T10:00:00"},"end":{"dateTime":"2024-03-01T11:00:00","timeZone":"Nowhere/Standard"}},
          {"id":"e3","organizer":null,"start":{"dateTime":"2024-03-01T10:00:00","timeZone":"UTC"},"end":{"dateTime":"2024-03-01T11:00:00","timeZone":"UTC"}},
          {"id":"e4","organizer":{"emailAddress":{"address":"ada@contoso.com"}},"start":{"dateTime":"2024-03-01T10:00:00","timeZone":"UTC"},"start":null,"end":"tomorrow"},
          {"id":"e5","organizer":{"emailAddress":{"address":"ada@contoso.com"}},"start":{"dateTime":"2024-03-01T10:00:00","timeZone":"Europe/Berlin"},"end":{"dateTime":"2024-03-01T11:00:00","timeZone":"Europe/Berlin"},"showAs":"BUSY","type":"occurrence","seriesMasterId":"s1","attendees":{"x":1}},
          {"id":"e6","@removed":{"reason":"deleted"}}
        ],"@odata.deltaLink":"https://graph.microsoft.com/v1.0/delta?$deltatoken=1"}
        """;

        var (fast, sdk) = await BothAsync(Encoding.UTF8.GetBytes(Page), r => r.GetMeetingsPageAsync(Someone, Always, null, Ct));

        Assert.Equal(Canonical(sdk), Canonical(fast));
        Assert.Equal(["e1", "e5"], fast.Items.Select(i => i.Id));
        Assert.Equal(3, fast.Skipped);
    }

    [Theory]
    [InlineData("""{"value":[{"id":"e1","showAs":5}]}""")]
    [InlineData("""{"value":[{"id":"e1","attendees":[{"type":true}]}]}""")]
    [InlineData("""{"value":[{"id":"e1"}]""")]
    [InlineData("""{"value":[]} []""")]
    [InlineData("")]
    public async Task GetMeetingsPageAsync_UnreadablePage_BothReadersReportItMalformed(string page)
    {
        foreach (var parser in new[] { GraphPageParser.Fast, GraphPageParser.SdkModels })
        {
            using var client = FixedResponseClient(Encoding.UTF8.GetBytes(page));
            var reader = new GraphMailboxReader(client, new GraphOptions { PageParser = parser }, NullLogger<GraphMailboxReader>.Instance);

            var e = await Assert.ThrowsAsync<GraphUnavailableException>(() => reader.GetMeetingsPageAsync(Someone, Always, null, Ct));

            Assert.Equal("malformed", e.Reason);
        }
    }

    /// <summary>
    /// Every mailbox of the demo tenant (the simulator serving Enron with its synthetic calendar): each stream read
    /// to its delta link twice from the same simulator, once per reader, and compared page by page. Nothing is
    /// stored; the pages are what the sync stores. The body canary is in no page.
    /// </summary>
    [Fact]
    public async Task ReadEveryStream_EveryDemoTenantMailbox_FastReaderEqualsSdkModels()
    {
        await using var sim = await GraphSimulatorServer.StartAsync(new SimulatorOptions { DataPath = TestPaths.Enron, ShiftToNow = true }, cancellationToken: Ct);
        GraphReaders Build(GraphPageParser parser)
        {
            var options = new GraphOptions { BaseUrl = new Uri(sim.GraphBaseUrl), PageParser = parser, RequestTimeout = TimeSpan.FromMinutes(5) };
            var client = GraphClients.Create(options, new LocalTokenCredential(), new MailboxRequestGate(options, TimeProvider.System));
            return new GraphReaders(client, new GraphMailboxReader(client, options, NullLogger<GraphMailboxReader>.Instance));
        }

        using var fast = Build(GraphPageParser.Fast);
        using var sdk = Build(GraphPageParser.SdkModels);
        var window = new MailboxSyncOptions().WindowAt(DateTimeOffset.UtcNow);
        var users = sim.Tenant.Users.Select(u => new UserKey("enron", u.Id)).ToList();
        var compared = new ConcurrentBag<(int Messages, int Meetings)>();
        var mismatches = new ConcurrentQueue<string>();

        await Parallel.ForEachAsync(users, new ParallelOptions { MaxDegreeOfParallelism = 2, CancellationToken = Ct }, async (user, ct) =>
        {
            var messages = 0;
            foreach (var (folder, kind) in new[] { ("inbox", MailFolder.Inbox), ("sentitems", MailFolder.SentItems) })
            {
                messages += await CompareStreamAsync(user, folder, (r, link) => r.GetMessagesPageAsync(user, folder, kind, link, ct), fast, sdk, mismatches);
            }

            var meetings = await CompareStreamAsync(user, "calendar", (r, link) => r.GetMeetingsPageAsync(user, window, link, ct), fast, sdk, mismatches);
            compared.Add((messages, meetings));
        });

        Assert.Empty(mismatches);
        Assert.Equal(users.Count, compared.Count);
        var expectedMessages = sim.Tenant.Mailboxes.Sum(b => b.Items.Count(i => i.Kind == GraphSimulator.Model.SimItemKind.Message && !i.Removed));
        Assert.Equal(expectedMessages, compared.Sum(c => c.Messages));
        Assert.True(compared.Sum(c => c.Meetings) > 10_000, "the synthetic calendar should give every mailbox meetings");
        Assert.Equal(0, sim.Tenant.Mailboxes.Sum(b => b.BodyPagesServed));
    }

    private static async Task<int> CompareStreamAsync<T>(
        UserKey user, string stream, Func<GraphMailboxReader, string?, Task<DeltaPage<T>>> read, GraphReaders fast, GraphReaders sdk, ConcurrentQueue<string> mismatches)
    {
        string? fastLink = null, sdkLink = null;
        var items = 0;
        for (var page = 0; ; page++)
        {
            var a = await read(fast.Reader, fastLink);
            var b = await read(sdk.Reader, sdkLink);
            var (ca, cb) = (Canonical(a with { NextLink = null, DeltaLink = null }), Canonical(b with { NextLink = null, DeltaLink = null }));
            if (ca != cb || (a.NextLink is null) != (b.NextLink is null) || (a.DeltaLink is null) != (b.DeltaLink is null))
            {
                // Name the mailbox and stream only; item contents stay out of the test output.
                mismatches.Enqueue($"{user.UserId} {stream} page {page}");
                return items;
            }

            if (ca.Contains(SimulatorOptions.BodyCanary, StringComparison.Ordinal))
            {
                mismatches.Enqueue($"{user.UserId} {stream} page {page}: body canary");
            }

            items += a.Items.Count + a.Skipped;
            if (a.NextLink is null)
            {
                return items;
            }

            (fastLink, sdkLink) = (a.NextLink, b.NextLink);
        }
    }

    private static async Task<(DeltaPage<T> Fast, DeltaPage<T> Sdk)> BothAsync<T>(byte[] body, Func<GraphMailboxReader, Task<DeltaPage<T>>> read)
    {
        var pages = new List<DeltaPage<T>>();
        foreach (var parser in new[] { GraphPageParser.Fast, GraphPageParser.SdkModels })
        {
            using var client = FixedResponseClient(body);
            pages.Add(await read(new GraphMailboxReader(client, new GraphOptions { PageParser = parser }, NullLogger<GraphMailboxReader>.Instance)));
        }

        return (pages[0], pages[1]);
    }

    /// <summary>Every public field of the page, items included, as JSON: equal text means equal pages.</summary>
    private static string Canonical<T>(DeltaPage<T> page) => JsonSerializer.Serialize(page);

    /// <summary>A sample file holds the documented request and, under "body", the page Graph answered.</summary>
    private static async Task<byte[]> SampleBodyAsync(string sample)
    {
        using var file = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(TestPaths.Samples, sample), Ct));
        return Encoding.UTF8.GetBytes(file.RootElement.GetProperty("body").GetRawText());
    }

    private static IEnumerable<string> Samples(string prefix) =>
        Directory.GetFiles(TestPaths.Samples, prefix + "*.json").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal);

    /// <summary>A Graph client whose transport answers every request with the same page (a unit-test fake of Graph).</summary>
    private static GraphServiceClient FixedResponseClient(byte[] body) =>
        new(new HttpClient(new FixedResponse(body)), new AnonymousAuthenticationProvider(), "https://graph.microsoft.com/v1.0");

    private sealed class FixedResponse(byte[] body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request });
        }
    }

    private sealed class GraphReaders(GraphServiceClient client, GraphMailboxReader reader) : IDisposable
    {
        public GraphMailboxReader Reader { get; } = reader;

        public void Dispose() => client.Dispose();
    }
}
