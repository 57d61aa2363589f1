using System.Globalization;
using TiesOffice.Application.Sync;
using TiesOffice.GraphSimulator;

namespace TiesOffice.Graph.Tests;

/// <summary>Request economy on the largest Enron mailbox (james.d.steffes, about 2,650 messages).</summary>
public sealed class RequestEconomyTests
{
    private const string Largest = "james.d.steffes@enron.com";

    [Theory]
    [InlineData(1000)]
    [InlineData(100)]
    public async Task SyncAsync_LargestEnronMailbox_UsesTheMinimumRequests(int pageSize)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await Harness.StartAsync(
            new SimulatorOptions { DataPath = TestPaths.Enron, ShiftToNow = true },
            graph: g => { g.MessagePageSize = pageSize; g.EventPageSize = pageSize; });
        var user = h.Key(Largest);
        var inbox = h.TruthMessages(Largest, "inbox").Count;
        var sent = h.TruthMessages(Largest, "sentitems").Count;
        var events = h.TruthEvents(Largest).Count;
        Assert.True(inbox + sent > 2000 && events > 50, $"{inbox} + {sent} messages, {events} events");

        // Initial sync, messages only first, to measure bytes per 1,000 messages.
        h.SyncOptions.IncludeCalendar = false;
        var mail = await h.NewSync().SyncAsync(user, ct);
        var mailBytes = h.Box(Largest).BytesSentCount;
        var settingsRequests = 1;
        h.SyncOptions.IncludeCalendar = true;
        h.Sim.ResetStats();
        var calendar = await h.NewSync().SyncAsync(user, ct);
        var calendarBytes = h.Box(Largest).BytesSentCount;
        var calendarRequests = calendar.Streams.Single(s => s.Stream == MailboxSync.CalendarStream).Requests;

        static int Bound(int items, int page) => (int)Math.Ceiling(items / (double)page) + 1;
        Assert.Equal(SyncOutcome.Completed, mail.Outcome);
        Assert.InRange(mail.Streams.Single(s => s.Stream == MailboxSync.FolderStream("inbox")).Requests, 1, Bound(inbox, pageSize));
        Assert.InRange(mail.Streams.Single(s => s.Stream == MailboxSync.FolderStream("sentitems")).Requests, 1, Bound(sent, pageSize));
        Assert.InRange(calendarRequests, 1, Bound(events, pageSize));
        Assert.Equal(mail.Requests - settingsRequests, mail.Streams.Sum(s => s.Requests));
        Assert.Equal(inbox + sent, h.Store.Messages(user).Count);
        Assert.Equal(events, h.Store.Meetings(user).Count);

        // Incremental sync with no changes: exactly one request per folder and calendar, as Graph counts them.
        h.Sim.ResetStats();
        var idle = await h.NewSync().SyncAsync(user, ct);
        Assert.Equal(SyncOutcome.Completed, idle.Outcome);
        Assert.Equal(3, idle.Requests);
        Assert.Equal(3, h.Box(Largest).RequestCount);

        var perThousand = mailBytes * 1000.0 / (inbox + sent);
        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"page {pageSize}: {inbox}+{sent} messages in {mail.Requests} requests ({mailBytes:N0} bytes, {perThousand:N0} bytes per 1,000 messages); {events} events in {calendarRequests} requests ({calendarBytes:N0} bytes, incl. the 2 idle folder requests); idle sync {idle.Requests} requests."));
        Assert.InRange(perThousand, 100_000, 1_500_000);
    }
}
