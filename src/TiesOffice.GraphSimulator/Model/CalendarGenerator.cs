using System.Globalization;
using TiesOffice.Domain.Metadata;

namespace TiesOffice.GraphSimulator.Model;

/// <summary>
/// Generates a SYNTHETIC, deterministic calendar (the mail corpus has none): recurring 1:1s between the most
/// reciprocal pairs, weekly team meetings per department, a quarterly all-hands, with some declines and
/// cancellations. Every occurrence is materialised from 14 months before the simulator's today to 2 months after.
/// </summary>
internal static class CalendarGenerator
{
    /// <summary>Above this many people the all-hands invites one distribution list instead of every person.</summary>
    private const int AllHandsListThreshold = 500;

    public static void Generate(SimTenant tenant, IReadOnlyList<MailMessage> messages, int seed)
    {
        var random = new Random(seed);
        var today = tenant.Clock.GetUtcNow().UtcDateTime.Date;
        var from = today.AddMonths(-14);
        var until = today.AddMonths(2);

        // Recurring 1:1s between the most reciprocal pairs.
        var directed = new Dictionary<(string, string), int>();
        foreach (var m in messages)
        {
            foreach (var r in m.To.Concat(m.Cc))
            {
                var k = (m.From, r);
                directed[k] = directed.GetValueOrDefault(k) + 1;
            }
        }

        var pairs = directed
            .Where(kv => string.CompareOrdinal(kv.Key.Item1, kv.Key.Item2) < 0)
            .Select(kv => (A: kv.Key.Item1, B: kv.Key.Item2, AB: kv.Value, BA: directed.GetValueOrDefault((kv.Key.Item2, kv.Key.Item1))))
            .Where(p => Math.Min(p.AB, p.BA) >= 3)
            .OrderByDescending(p => Math.Min(p.AB, p.BA))
            .ThenBy(p => p.A, StringComparer.Ordinal)
            .ThenBy(p => p.B, StringComparer.Ordinal)
            .Take(Math.Max(1, tenant.Users.Count * 3 / 2))
            .ToList();
        foreach (var p in pairs)
        {
            var organizer = p.AB >= p.BA ? p.A : p.B;
            var other = organizer == p.A ? p.B : p.A;
            var weeks = random.Next(3) == 0 ? 2 : 1;
            var day = random.Next(1, 6);
            var hour = random.Next(15, 22);
            var online = random.Next(2) == 0;
            Series(tenant, random, "1on1|" + p.A + "|" + p.B, "1:1", organizer, [other], from, until, day, hour, 30, weeks, online, "required");
        }

        // Weekly team meetings by department.
        foreach (var dept in tenant.Users.Where(u => u.Department.Length > 0 && u.Department != "department")
                     .GroupBy(u => u.Department, StringComparer.Ordinal).Where(g => g.Count() >= 3).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var members = dept.Select(u => u.Address).OrderBy(a => a, StringComparer.Ordinal).ToList();
            var organizer = members[random.Next(members.Count)];
            Series(tenant, random, "team|" + dept.Key, dept.Key + " weekly", organizer, members.Where(m => m != organizer).ToList(),
                from, until, random.Next(1, 6), random.Next(14, 18), 60, 1, online: false, "required");
        }

        // A quarterly all-hands for everyone.
        if (tenant.Users.Count > 2)
        {
            var all = tenant.Users.Select(u => u.Address).ToList();
            var organizer = all[random.Next(all.Count)];
            for (var month = new DateTime(from.Year, from.Month, 1, 0, 0, 0, DateTimeKind.Utc); month < until; month = month.AddMonths(3))
            {
                var start = new DateTimeOffset(month.AddDays(14).AddHours(16), TimeSpan.Zero);
                // Above 500 people the invitation goes to the all-staff list (one attendee), as large organisations
                // invite a distribution list rather than every person.
                var attendees = all.Count > AllHandsListThreshold
                    ? [new SimAttendee(new SimAddress("All staff", "all-staff@" + organizer[(organizer.IndexOf('@', StringComparison.Ordinal) + 1)..]), "optional", "none")]
                    : all.Where(a => a != organizer).Select(a => new SimAttendee(tenant.AddressOf(a), "optional", Response(random, 0.15))).ToList();
                tenant.AddMeeting("allhands|" + month.ToString("yyyyMM", CultureInfo.InvariantCulture), new EventData
                {
                    Subject = "All-hands",
                    Organizer = tenant.AddressOf(organizer),
                    Attendees = attendees,
                    Start = start,
                    End = start.AddMinutes(60),
                    IsOnline = true,
                }, notify: false, listMembers: all.Count > AllHandsListThreshold ? all : null);
            }
        }
    }

    private static void Series(
        SimTenant tenant, Random random, string key, string subject, string organizer, IReadOnlyList<string> attendees,
        DateTime from, DateTime until, int weekday, int hour, int minutes, int everyWeeks, bool online, string type)
    {
        var first = from.AddDays(((weekday - (int)from.DayOfWeek) + 7) % 7).AddHours(hour);
        var index = 0;
        for (var start = first; start < until; start = start.AddDays(7 * everyWeeks), index++)
        {
            var cancelled = random.NextDouble() < 0.03;
            var list = attendees.Select(a => new SimAttendee(tenant.AddressOf(a), type, Response(random, 0.06))).ToList();
            var s = new DateTimeOffset(start, TimeSpan.Zero);
            tenant.AddMeeting(key + "|" + index.ToString(CultureInfo.InvariantCulture), new EventData
            {
                Subject = cancelled ? "Canceled: " + subject : subject,
                Organizer = tenant.AddressOf(organizer),
                Attendees = list,
                Start = s,
                End = s.AddMinutes(minutes),
                IsCancelled = cancelled,
                IsOnline = online,
                Type = "occurrence",
                SeriesMasterId = "series|" + key,
                ICalUId = "040000008200E00074C5B7101A82E008" + Ids.Hash(key, 24),
            }, notify: false);
        }
    }

    private static string Response(Random random, double declineRate)
    {
        var x = random.NextDouble();
        return x < declineRate ? "declined" : x < declineRate + 0.1 ? "tentativelyAccepted" : x < declineRate + 0.2 ? "none" : "accepted";
    }
}
