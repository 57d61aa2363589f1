using TiesOffice.Domain.Metadata;
using TiesOffice.Domain.Ties;

namespace TiesOffice.Application.Scoring;

/// <summary>
/// Feeds items to a tie ledger and keeps its <see cref="ContactBook"/> in step: each item's names, and the week's
/// direct exchanges each way. The counts are read off the ledger itself (<see cref="TieLedger.DirectCounts"/> of every
/// address a run of same-week items names, before and after the run), so they follow the engine's own rules (direct
/// versus broadcast, drafts, items outside the mailbox, duplicates) without restating them. The ledger gets exactly
/// the calls it would get otherwise, in the same order, so its state and scores do not change.
/// </summary>
public static class LedgerFeed
{
    /// <summary>Builds a ledger and its book from every stored item, feeding them as <see cref="TieLedger.Build"/> does.</summary>
    /// <param name="owner">The mailbox owner.</param>
    /// <param name="messages">Every message.</param>
    /// <param name="meetings">Every meeting.</param>
    /// <returns>The ledger and the book.</returns>
    public static (TieLedger Ledger, ContactBook Book) Build(string owner, IEnumerable<MailMessage> messages, IEnumerable<Meeting> meetings)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(meetings);
        var ledger = new TieLedger(owner);
        var book = new ContactBook();
        AddMessages(ledger, book, messages.OrderBy(m => m.SentAt).ThenBy(m => m.Id, StringComparer.Ordinal).ToArray());
        foreach (var meeting in meetings.OrderBy(m => m.Start).ThenBy(m => m.Id, StringComparer.Ordinal))
        {
            AddMeeting(ledger, book, meeting);
        }

        return (ledger, book);
    }

    /// <summary>Feeds messages in the given order (as <see cref="TieLedger.AddRange"/>), counting each week's exchanges.</summary>
    /// <param name="ledger">The ledger.</param>
    /// <param name="book">Its book.</param>
    /// <param name="messages">The messages.</param>
    /// <returns>How many the ledger took in.</returns>
    public static int AddMessages(TieLedger ledger, ContactBook book, IReadOnlyList<MailMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(book);
        ArgumentNullException.ThrowIfNull(messages);
        var array = messages as MailMessage[] ?? [.. messages];
        var taken = 0;
        var people = new HashSet<string>(StringComparer.Ordinal);
        var before = new List<(string Address, int Sent, int Received)>();
        for (var start = 0; start < array.Length;)
        {
            // A run of consecutive messages of the same week: its count changes all belong to that week.
            var week = ContactBook.WeekOf(array[start].SentAt);
            var end = start;
            people.Clear();
            while (end < array.Length && ContactBook.WeekOf(array[end].SentAt) == week)
            {
                var m = array[end];
                people.Add(MailAddress.Normalize(m.From));
                AddAll(people, m.To);
                AddAll(people, m.Cc);
                AddAll(people, m.Bcc);
                book.NoteNames(m.Names, m.SentAt);
                end++;
            }

            Snapshot(ledger, people, before);
            taken += ledger.AddRange(new ArraySegment<MailMessage>(array, start, end - start));
            Record(ledger, book, week, before);
            start = end;
        }

        return taken;
    }

    /// <summary>Feeds one meeting (as <see cref="TieLedger.Add(Meeting)"/>), counting its week's exchanges when taken in.</summary>
    /// <param name="ledger">The ledger.</param>
    /// <param name="book">Its book.</param>
    /// <param name="meeting">The meeting.</param>
    /// <returns>What the ledger did with it.</returns>
    public static MeetingIntake AddMeeting(TieLedger ledger, ContactBook book, Meeting meeting)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(book);
        ArgumentNullException.ThrowIfNull(meeting);
        var people = new HashSet<string>(StringComparer.Ordinal) { MailAddress.Normalize(meeting.Organizer) };
        foreach (var attendee in meeting.Attendees)
        {
            people.Add(MailAddress.Normalize(attendee.Address));
        }

        var before = new List<(string, int, int)>();
        Snapshot(ledger, people, before);
        var intake = ledger.Add(meeting);
        if (intake == MeetingIntake.Added)
        {
            Record(ledger, book, ContactBook.WeekOf(meeting.Start), before);
        }

        if (intake != MeetingIntake.AlreadySeen)
        {
            book.NoteNames(meeting.Names, meeting.Start);
        }

        return intake;
    }

    private static void AddAll(HashSet<string> people, IReadOnlyList<string> addresses)
    {
        foreach (var a in addresses)
        {
            people.Add(MailAddress.Normalize(a));
        }
    }

    private static void Snapshot(TieLedger ledger, HashSet<string> people, List<(string Address, int Sent, int Received)> before)
    {
        before.Clear();
        foreach (var address in people)
        {
            if (address.Length > 0 && !string.Equals(address, ledger.Owner, StringComparison.Ordinal))
            {
                var (sent, received) = ledger.DirectCounts(address);
                before.Add((address, sent, received));
            }
        }
    }

    private static void Record(TieLedger ledger, ContactBook book, int week, List<(string Address, int Sent, int Received)> before)
    {
        foreach (var (address, sent, received) in before)
        {
            var (sentAfter, receivedAfter) = ledger.DirectCounts(address);
            book.AddWeek(address, week, sentAfter - sent, receivedAfter - received);
        }
    }
}
