using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using TiesOffice.Application.Network;
using TiesOffice.Application.Ports;
using TiesOffice.Application.Scoring;
using TiesOffice.Domain.MailLog;
using TiesOffice.Domain.Metadata;
using TiesOffice.Domain.Ties;
using TiesOffice.Testing;

namespace TiesOffice.Application.Tests;

/// <summary>
/// The contact book kept beside the ledger (names, weekly counts each way), on the whole demo tenant: the ledger it
/// feeds is the ledger <see cref="TieLedger.Build"/> makes, and its counts are the tie's own.
/// </summary>
public sealed class ContactBookTests
{
    private static readonly DateTimeOffset _asOf = new(2001, 10, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly Lazy<List<MailMessage>> _log = new(() =>
    {
        var path = Path.Combine(SharedData, "enron", "messages.tsv");
        using var reader = new StreamReader(path);
        return MailLogReader.ReadMessages(reader, path).ToList();
    });

    private static readonly Lazy<List<string>> _owners = new(() =>
        File.ReadLines(Path.Combine(SharedData, "enron", "people.tsv")).Skip(1).Select(l => l.Split('\t')[0]).ToList());

    private static string SharedData
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "TiesOffice.sln")))
            {
                dir = dir.Parent;
            }

            return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("TiesOffice.sln not found"), "..", "shared", "data");
        }
    }

    [Fact]
    public void Build_EveryOwnerOfTheDemoTenant_FeedsTheSameLedgerAndCountsAddUpToEachTiesOwn()
    {
        var checkedTies = 0;
        var multiWeeks = 0;
        foreach (var owner in _owners.Value)
        {
            var meetings = WeeklyOneToOnes(owner, _log.Value);
            var (ledger, book) = LedgerFeed.Build(owner, _log.Value, meetings);

            // The engine's state is untouched by the counting: byte for byte what a plain build makes.
            Assert.Equal(TieLedger.Build(owner, _log.Value, meetings).Serialize(), ledger.Serialize());

            foreach (var tie in ledger.Score(_asOf))
            {
                // Every week of the log (1998 to 2002, meetings to come included): the counts add up to the tie's totals.
                var all = book.Timeline(tie.Contact, new DateTimeOffset(2003, 1, 1, 0, 0, 0, TimeSpan.Zero), 300);
                Assert.Equal(tie.Reciprocity.Sent, all.Sum(w => w.Sent));
                Assert.Equal(tie.Reciprocity.Received, all.Sum(w => w.Received));

                // And the weeks with a count are exactly the ledger's active weeks of each direction.
                var presence = ledger.Timeline(tie.Contact, _asOf, NetworkService.TimelineWeeks);
                var counts = book.Timeline(tie.Contact, _asOf, NetworkService.TimelineWeeks);
                Assert.Equal(presence.Select(w => (w.WeekStart, w.Sent, w.Received)), counts.Select(w => (w.WeekStart, w.Sent > 0, w.Received > 0)));
                multiWeeks += counts.Count(w => w.Sent > 1 || w.Received > 1);
                checkedTies++;
            }
        }

        Assert.True(checkedTies > 5_000, $"{checkedTies} ties");
        Assert.True(multiWeeks > 100, "the demo has weeks of more than one message each way: counts, not presence");
    }

    [Fact]
    public void AddMessages_ItemsInArrivalOrderInSmallBatches_CountsAsABuildDoes()
    {
        const string Owner = "sara.shackleton@enron.com";
        var messages = _log.Value;
        var (built, expected) = LedgerFeed.Build(Owner, messages, []);

        // A sync delivers pages in no particular order, and a message may come twice.
        var random = new Random(7);
        var shuffled = messages.OrderBy(_ => random.Next()).ToList();
        shuffled.AddRange(shuffled.Take(500));
        var ledger = new TieLedger(Owner);
        var book = new ContactBook();
        foreach (var batch in shuffled.Chunk(250))
        {
            LedgerFeed.AddMessages(ledger, book, batch);
        }

        foreach (var contact in built.Contacts)
        {
            Assert.Equal(expected.Timeline(contact, _asOf, 200), book.Timeline(contact, _asOf, 200));
        }
    }

    [Fact]
    public void NoteNames_TheLatestItemsNameWins_AndAnAddressGivenAsItsNameIsNone()
    {
        var book = new ContactBook();
        var t = new DateTimeOffset(2025, 1, 6, 9, 0, 0, TimeSpan.Zero);
        book.NoteNames(new Dictionary<string, string> { ["ann@contoso.com"] = "Ann Lee (new)" }, t.AddDays(2));
        book.NoteNames(new Dictionary<string, string> { ["ann@contoso.com"] = "Ann Lee", ["bob@contoso.com"] = "BOB@contoso.com" }, t);
        book.NoteNames(new Dictionary<string, string> { ["cy@contoso.com"] = "  Cy\u0007 Young " }, t);

        Assert.Equal("Ann Lee (new)", book.NameOf("ann@contoso.com"));
        Assert.Null(book.NameOf("bob@contoso.com"));
        Assert.Equal("Cy Young", book.NameOf("cy@contoso.com"));
    }

    [Fact]
    public void EngineBlob_RoundTrip_KeepsNamesAndCounts_AndABareLedgerReadsWithoutABook()
    {
        var (ledger, book) = LedgerFeed.Build("sara.shackleton@enron.com", _log.Value.Take(3_000), []);
        book.NoteNames(new Dictionary<string, string> { ["tana.jones@enron.com"] = "Tana Jones" }, _asOf);
        var contact = ledger.Score(_asOf).First(t => t.Reciprocity.Sent > 0).Contact;

        var (readLedger, readBook) = EngineBlob.Read(EngineBlob.Write(ledger, book));
        Assert.Equal(ledger.Score(_asOf), readLedger.Score(_asOf));
        Assert.NotNull(readBook);
        Assert.Equal("Tana Jones", readBook.NameOf("tana.jones@enron.com"));
        Assert.Equal(book.Timeline(contact, _asOf, 300), readBook.Timeline(contact, _asOf, 300));

        var (bare, none) = EngineBlob.Read(ledger.Serialize());
        Assert.Equal(ledger.Score(_asOf), bare.Score(_asOf));
        Assert.Null(none);

        var blob = EngineBlob.Write(ledger, book);
        Assert.Throws<ArgumentException>(() => EngineBlob.Read(blob.AsMemory(0, blob.Length - 5)));
        Assert.Throws<ArgumentException>(() => EngineBlob.Read("TOEB\u0001\u0002"u8.ToArray()));
    }

    [Fact]
    public void Prune_DropsWeeksOlderThanTheKeptSpan()
    {
        var book = new ContactBook();
        var now = new DateTimeOffset(2025, 6, 2, 0, 0, 0, TimeSpan.Zero);
        var week = ContactBook.WeekOf(now);
        book.AddWeek("ann@contoso.com", week - ContactBook.KeptWeeks, 3, 1);
        book.AddWeek("ann@contoso.com", week - ContactBook.KeptWeeks + 1, 2, 2);
        book.AddWeek("bob@contoso.com", week - 200, 1, 1);

        book.Prune(now);

        var kept = book.Timeline("ann@contoso.com", now, ContactBook.KeptWeeks + 1);
        Assert.Equal((0, 0), (kept[0].Sent, kept[0].Received));
        Assert.Equal((2, 2), (kept[1].Sent, kept[1].Received));
        Assert.Equal(1, book.CountedContacts);
    }

    /// <summary>
    /// The shifted demo: the calendar holds meetings still to come, and mail can be dated after the scoring instant.
    /// The tie's shown last contact must then read as the why does ("today"), never as a date in the future.
    /// </summary>
    [Fact]
    public async Task NetworkViews_MeetingsToComeOnTheDemoTenant_LastContactNeverAfterAsOfAndAgreesWithTheWhy()
    {
        var engine = new InMemoryEngineStateStore();
        var views = new NetworkViews(engine, new InMemorySettingsStore(), new PlainIds(), new FakeTimeProvider(_asOf));
        var futures = 0;
        var checkedTies = 0;
        foreach (var owner in _owners.Value)
        {
            var user = new UserKey("demo", owner);
            var meetings = WeeklyOneToOnes(owner, _log.Value);
            var (ledger, book) = LedgerFeed.Build(owner, _log.Value, meetings);
            Assert.NotNull(await engine.TryWriteAsync(user, EngineBlob.Write(ledger, book), null, TestContext.Current.CancellationToken));
            var view = await views.GetAsync(user, owner, TestContext.Current.CancellationToken);
            for (var i = 0; i < view.Ties.Count; i++)
            {
                var tie = view.Ties[i];
                var summary = view.Summary(i);
                futures += tie.LastContact > _asOf ? 1 : 0;
                Assert.True(summary.LastContact is null || summary.LastContact <= _asOf, summary.Why);
                var days = summary.LastContact is { } last ? (int?)Math.Floor((_asOf - last).TotalDays) : null;
                Assert.Equal(tie.Why.DaysSinceLast, days);
                Assert.Equal(summary.LastContact, TieScoring.ToSnapshot(tie, _asOf).LastContact);
                if (days == 0 && tie.Why.Parts.Any(p => p.Figure == WhyFigure.DaysSinceLast))
                {
                    Assert.Contains("today", summary.Why, StringComparison.Ordinal);
                }

                checkedTies++;
            }
        }

        Assert.True(futures > 0, "the data must hold contacts whose last item is after the scoring instant");
        Assert.True(checkedTies > 5_000, $"{checkedTies} ties");
    }

    // The demo calendar's weekly 1:1 with each owner's most written-to contact, from a year before the scoring
    // instant to 10 weeks after it (meetings to come).
    private static List<Meeting> WeeklyOneToOnes(string owner, List<MailMessage> messages)
    {
        var partner = messages
            .Where(m => m.From == owner)
            .SelectMany(m => m.To)
            .Where(a => a != owner)
            .GroupBy(a => a)
            .OrderByDescending(g => g.Count())
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.Key)
            .FirstOrDefault();
        if (partner is null)
        {
            return [];
        }

        return Enumerable.Range(-10, 60)
            .Select(w => _asOf.AddDays(-7 * w).AddHours(10))
            .Select(start => new Meeting(
                string.Create(CultureInfo.InvariantCulture, $"1on1-{owner}-{start:yyyyMMdd}"),
                owner,
                [new MeetingAttendee(partner, AttendeeType.Required, AttendeeResponse.Accepted)],
                start,
                start.AddMinutes(30),
                IsCancelled: false,
                IsAllDay: false,
                ShowAs.Busy,
                MeetingKind.Occurrence,
                SeriesMasterId: "series",
                IsOnline: true))
            .ToList();
    }

    private sealed class PlainIds : ITieIds
    {
        public string IdOf(UserKey user, string contact) => user.UserId + "|" + contact;
    }
}
