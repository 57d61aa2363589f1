using System.Globalization;

namespace TiesOffice.Application.Proactive;

/// <summary>
/// When TiesOffice may message a person unasked: never in the quiet hours of the person's own time zone. This is the
/// one place that defines them; <see cref="Default"/> is 20:00 to 08:00 local on working days, and all of Saturday
/// and Sunday. A send that falls due in quiet hours waits for the next allowed time.
/// </summary>
/// <param name="Start">When the nightly quiet time begins (local). Equal to <paramref name="End"/>: no nightly quiet time.</param>
/// <param name="End">When it ends (local), on the same day if after <paramref name="Start"/>, else the next morning.</param>
/// <param name="QuietDays">Days that are quiet all day.</param>
public sealed record QuietHours(TimeOnly Start, TimeOnly End, IReadOnlySet<DayOfWeek> QuietDays)
{
    /// <summary>20:00–08:00 local, and weekends: nobody gets a nudge at night or on a Saturday.</summary>
    public static QuietHours Default { get; } = new(new TimeOnly(20, 0), new TimeOnly(8, 0), new HashSet<DayOfWeek> { DayOfWeek.Saturday, DayOfWeek.Sunday });

    /// <summary>Whether a local time is quiet.</summary>
    /// <param name="local">A wall-clock time in the person's zone.</param>
    /// <returns>True when nothing may be sent then.</returns>
    public bool IsQuiet(DateTime local)
    {
        if (QuietDays.Contains(local.DayOfWeek))
        {
            return true;
        }

        var t = TimeOnly.FromDateTime(local);
        return Start != End && (Start > End ? t >= Start || t < End : t >= Start && t < End);
    }

    /// <summary>The first local time at or after <paramref name="local"/> that is not quiet.</summary>
    /// <param name="local">A wall-clock time in the person's zone.</param>
    /// <returns><paramref name="local"/> itself when it is allowed, else the end of the quiet time it falls in.</returns>
    /// <exception cref="InvalidOperationException">Every day is quiet.</exception>
    public DateTime NextAllowed(DateTime local)
    {
        var at = local;
        for (var i = 0; i < 16; i++)
        {
            if (!IsQuiet(at))
            {
                return at;
            }

            var day = at.Date;
            at = QuietDays.Contains(at.DayOfWeek) ? day.AddDays(1) + (Start > End ? End.ToTimeSpan() : TimeSpan.Zero)
                : Start > End && TimeOnly.FromDateTime(at) >= Start ? day.AddDays(1) + End.ToTimeSpan()
                : day + End.ToTimeSpan();
        }

        throw new InvalidOperationException("Every day is quiet: no time is allowed for proactive messages.");
    }
}

/// <summary>The week a digest belongs to, and when it falls due.</summary>
/// <param name="Week">The ISO week, for example <c>2026-W49</c> (of the scheduled local date).</param>
/// <param name="Monday">The week's Monday (local).</param>
/// <param name="DueAt">When the digest falls due: the digest day and time, moved out of quiet hours.</param>
/// <param name="NextDueAt">When the next week's digest falls due; this week's reminders end then.</param>
public sealed record DigestSlot(string Week, DateOnly Monday, DateTimeOffset DueAt, DateTimeOffset NextDueAt);

/// <summary>What to do with a planned reminder now.</summary>
public enum ReminderDecision
{
    /// <summary>Not yet: its time has not come (or one was sent today already).</summary>
    Wait = 0,

    /// <summary>Send it now.</summary>
    Send = 1,

    /// <summary>The person was in contact with them after the reminder was planned.</summary>
    DropContacted = 2,

    /// <summary>The tie is muted, snoozed, marked "not a relationship", or gone.</summary>
    DropOverridden = 3,

    /// <summary>The week's budget of reminders is spent.</summary>
    DropBudget = 4,
}

/// <summary>
/// The pure schedule of proactive messages: time zones, the digest's week and due time, the reminders' times and
/// whether a planned reminder still stands. No storage and no clock: everything is passed in.
/// </summary>
public static class ProactiveSchedule
{
    /// <summary>
    /// How late a digest may still go out after it fell due (a host down, a user's sync delayed). A later one is skipped
    /// and the next week's comes on time: so a person who enrols mid-week, or a host back after days, sends no stale
    /// digest, and never two digests within hours.
    /// </summary>
    public static readonly TimeSpan DigestLateness = TimeSpan.FromDays(1);

    /// <summary>The local time of day a reminder is sent on its suggestion's day: mid-morning, after the inbox's first pass.</summary>
    public static readonly TimeOnly ReminderTime = new(10, 0);

    /// <summary>The person's time zone: their own setting, else the mailbox's, else the one Teams reported; UTC when none resolves.</summary>
    /// <param name="candidates">IANA or Windows ids, most preferred first; null or unknown ones are skipped.</param>
    /// <returns>The zone.</returns>
    public static TimeZoneInfo ResolveZone(params string?[] candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        foreach (var id in candidates)
        {
            if (!string.IsNullOrWhiteSpace(id) && WindowsTimeZones.Find(id) is { } zone)
            {
                return zone;
            }
        }

        return TimeZoneInfo.Utc;
    }

    /// <summary>The ISO 8601 week of a date, for example <c>2026-W49</c>.</summary>
    /// <param name="date">The date.</param>
    /// <returns>The week id.</returns>
    public static string IsoWeek(DateOnly date)
    {
        var d = date.ToDateTime(TimeOnly.MinValue);
        return string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(d):D4}-W{ISOWeek.GetWeekOfYear(d):D2}");
    }

    /// <summary>The wall-clock time of an instant in a zone.</summary>
    public static DateTime ToLocal(DateTimeOffset instant, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return DateTime.SpecifyKind(TimeZoneInfo.ConvertTime(instant, zone).DateTime, DateTimeKind.Unspecified);
    }

    /// <summary>The instant of a wall-clock time in a zone; a time skipped by a clock change moves forward an hour.</summary>
    public static DateTimeOffset ToInstant(DateTime local, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var wall = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(wall))
        {
            wall = wall.AddHours(1);
        }

        return new DateTimeOffset(wall, zone.GetUtcOffset(wall)).ToUniversalTime();
    }

    /// <summary>
    /// The week whose digest window holds <paramref name="now"/>: its digest is due (or was sent) and the next week's is
    /// not due yet. A digest due in quiet hours is due at the next allowed time, which may fall in the next week (a
    /// Sunday digest with quiet weekends comes on Monday morning and still counts for its own week).
    /// </summary>
    /// <param name="now">Now.</param>
    /// <param name="zone">The person's zone.</param>
    /// <param name="digestDay">The digest's day.</param>
    /// <param name="digestTime">The digest's local time.</param>
    /// <param name="quiet">The quiet hours.</param>
    /// <returns>The slot, or null when no digest has fallen due yet (only before the very first one).</returns>
    public static DigestSlot? ActiveSlot(DateTimeOffset now, TimeZoneInfo zone, DayOfWeek digestDay, TimeOnly digestTime, QuietHours quiet)
    {
        ArgumentNullException.ThrowIfNull(quiet);
        var today = DateOnly.FromDateTime(ToLocal(now, zone));
        var monday = MondayOf(today);
        foreach (var week in new[] { monday, monday.AddDays(-7) })
        {
            var due = DueAt(week, zone, digestDay, digestTime, quiet);
            if (due <= now)
            {
                return new DigestSlot(IsoWeek(week), week, due, DueAt(week.AddDays(7), zone, digestDay, digestTime, quiet));
            }
        }

        return null;
    }

    /// <summary>When a reminder for a suggestion of <paramref name="day"/> is sent: the same weekday of the digest's week, at <see cref="ReminderTime"/>, out of quiet hours.</summary>
    /// <param name="slot">The digest's week.</param>
    /// <param name="day">The suggestion's day (as the nudge policy spread it; only its weekday counts).</param>
    /// <param name="zone">The person's zone.</param>
    /// <param name="quiet">The quiet hours.</param>
    /// <returns>The instant.</returns>
    public static DateTimeOffset ReminderAt(DigestSlot slot, DateOnly day, TimeZoneInfo zone, QuietHours quiet)
    {
        ArgumentNullException.ThrowIfNull(slot);
        ArgumentNullException.ThrowIfNull(quiet);
        var date = slot.Monday.AddDays(Offset(day.DayOfWeek));
        return ToInstant(quiet.NextAllowed(date.ToDateTime(ReminderTime)), zone);
    }

    /// <summary>The next allowed reminder time on a later local day than <paramref name="now"/> (reminders are spread: one a day at most).</summary>
    public static DateTimeOffset NextDayReminderAt(DateTimeOffset now, TimeZoneInfo zone, QuietHours quiet)
    {
        ArgumentNullException.ThrowIfNull(quiet);
        var tomorrow = DateOnly.FromDateTime(ToLocal(now, zone)).AddDays(1);
        return ToInstant(quiet.NextAllowed(tomorrow.ToDateTime(ReminderTime)), zone);
    }

    /// <summary>Whether a planned reminder is sent now, waits, or is dropped.</summary>
    /// <param name="plannedFor">When it is due.</param>
    /// <param name="plannedAt">When the week's plan was made (the digest's claim).</param>
    /// <param name="tie">The tie as it stands now (null when it is no longer one of the person's ties).</param>
    /// <param name="now">Now.</param>
    /// <param name="sentThisWeek">Reminders already sent this week.</param>
    /// <param name="weeklyBudget">The person's weekly budget now.</param>
    /// <param name="sentToday">Whether a reminder was sent earlier on the person's current local day.</param>
    /// <returns>The decision.</returns>
    public static ReminderDecision Decide(
        DateTimeOffset plannedFor,
        DateTimeOffset plannedAt,
        Network.TieSummary? tie,
        DateTimeOffset now,
        int sentThisWeek,
        int weeklyBudget,
        bool sentToday)
    {
        if (tie is null || tie.Muted || tie.SnoozedUntil > now || tie.Tier == Domain.Ties.TieTier.Pseudo)
        {
            return ReminderDecision.DropOverridden;
        }

        if (tie.LastContact > plannedAt)
        {
            return ReminderDecision.DropContacted;
        }

        if (sentThisWeek >= weeklyBudget)
        {
            return ReminderDecision.DropBudget;
        }

        return plannedFor > now || sentToday ? ReminderDecision.Wait : ReminderDecision.Send;
    }

    private static DateTimeOffset DueAt(DateOnly monday, TimeZoneInfo zone, DayOfWeek day, TimeOnly time, QuietHours quiet) =>
        ToInstant(quiet.NextAllowed(monday.AddDays(Offset(day)).ToDateTime(time)), zone);

    private static DateOnly MondayOf(DateOnly date) => date.AddDays(-Offset(date.DayOfWeek));

    private static int Offset(DayOfWeek day) => ((int)day + 6) % 7;
}
