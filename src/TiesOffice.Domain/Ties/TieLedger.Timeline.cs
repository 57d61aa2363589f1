using TiesOffice.Domain.Ties.Mechanics;

namespace TiesOffice.Domain.Ties;

/// <summary>One week of a tie's timeline.</summary>
/// <param name="WeekStart">The Monday (UTC) the week starts on.</param>
/// <param name="Sent">The owner wrote to the contact that week (direct mail or a small meeting).</param>
/// <param name="Received">The contact wrote to the owner that week.</param>
public sealed record TimelineWeek(DateOnly WeekStart, bool Sent, bool Received);

public sealed partial class TieLedger
{
    private static readonly DateOnly s_weekZero = new(1970, 1, 5);

    /// <summary>
    /// The weekly two-direction timeline of one contact: for each of the <paramref name="weeks"/> weeks ending with
    /// the week of <paramref name="asOf"/>, whether each side wrote. The ledger keeps a bitmap of active weeks per
    /// direction, so this is presence per week, not a count.
    /// </summary>
    /// <param name="contact">The contact's address (normalised first).</param>
    /// <param name="asOf">The last week shown is the one holding this instant.</param>
    /// <param name="weeks">How many weeks, oldest first.</param>
    /// <returns>The weeks; all empty for a contact known only from co-presence or not known at all.</returns>
    public IReadOnlyList<TimelineWeek> Timeline(string contact, DateTimeOffset asOf, int weeks)
    {
        ArgumentNullException.ThrowIfNull(contact);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(weeks);
        var name = Metadata.MailAddress.Normalize(contact);
        var index = _names.IndexOf(name);
        var last = WeekSet.WeekOf(asOf.ToUnixTimeSeconds());
        var result = new TimelineWeek[weeks];
        for (var i = 0; i < weeks; i++)
        {
            var week = last - weeks + 1 + i;
            var sent = index >= 0 && _contacts[index].OutWeeks.Count(week, week) > 0;
            var received = index >= 0 && _contacts[index].InWeeks.Count(week, week) > 0;
            result[i] = new TimelineWeek(s_weekZero.AddDays(7 * week), sent, received);
        }

        return result;
    }

    /// <summary>
    /// A contact's direct exchanges in all, each way, as the tie's reciprocity counts them: the owner's direct
    /// messages to them (and small meetings both attended), and their direct messages to the owner (and the same
    /// meetings). A read of two counters; the contact is not added when unknown.
    /// </summary>
    /// <param name="contact">The contact's address (normalised first).</param>
    /// <returns>The counts; (0, 0) for a contact known only from co-presence or not known at all.</returns>
    public (int Sent, int Received) DirectCounts(string contact)
    {
        ArgumentNullException.ThrowIfNull(contact);
        if (!_ids.TryGet(Metadata.MailAddress.Normalize(contact), out var id) || id < 0)
        {
            return (0, 0);
        }

        ref readonly var c = ref _contacts[id];
        return (c.OutCount, c.InCount);
    }
}
