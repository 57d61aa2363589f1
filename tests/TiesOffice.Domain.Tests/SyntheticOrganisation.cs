using System.Globalization;
using System.Text;
using TiesOffice.Domain.Metadata;

namespace TiesOffice.Domain.Tests;

/// <summary>
/// A made-up organisation unlike Enron, to check that the engine generalises: 240 people in teams of 12, each with
/// teammates, a few cross-team ties and a manager who mails the whole team; ties start and end at random (churn),
/// replies follow with a probability and a delay, a no-reply system mails everyone, and there are no subjects and no
/// conversation ids at all. Rates are drawn per tie from a heavy-tailed distribution, as in real ego networks [9].
/// </summary>
internal static class SyntheticOrganisation
{
    public static readonly DateTimeOffset Start = new(2019, 1, 7, 8, 0, 0, TimeSpan.Zero);
    public const int Days = 730;

    public static List<MailMessage> Generate(int seed)
    {
        var random = new Random(seed);
        const int people = 240;
        const int team = 12;
        string Address(int i) => $"p{i}@northwind.example";
        var messages = new List<MailMessage>();
        var id = 0;

        void Send(int from, int[] to, double day)
        {
            var at = Start.AddDays(day);
            messages.Add(new MailMessage($"s{id++}", Address(from), null, to.Select(Address).ToArray(), [], [], at, null, null, null, false, MailFolder.Other));
        }

        for (var a = 0; a < people; a++)
        {
            var partners = new HashSet<int>();
            for (var k = 0; k < 4; k++)
            {
                partners.Add((a / team * team) + random.Next(team));
            }

            for (var k = 0; k < 3; k++)
            {
                partners.Add(random.Next(people));
            }

            foreach (var b in partners.Where(b => b > a))
            {
                // Messages a week: heavy-tailed, from one a quarter to several a week.
                var rate = 0.08 * Math.Exp(random.NextDouble() * 4);
                var begin = random.NextDouble() < 0.3 ? random.NextDouble() * Days : 0;
                var end = random.NextDouble() < 0.4 ? begin + (random.NextDouble() * (Days - begin)) : Days;
                var aShare = 0.2 + (0.6 * random.NextDouble());
                var replyChance = 0.2 + (0.7 * random.NextDouble());
                for (var day = begin + Exponential(random, 7 / rate); day < end; day += Exponential(random, 7 / rate))
                {
                    var (from, to) = random.NextDouble() < aShare ? (a, b) : (b, a);
                    Send(from, [to], day);
                    if (random.NextDouble() < replyChance)
                    {
                        Send(to, [from], day + Exponential(random, 0.3));
                    }
                }
            }
        }

        for (var t = 0; t < people / team; t++)
        {
            var members = Enumerable.Range(t * team, team).ToArray();
            for (var day = 3.0; day < Days; day += 7)
            {
                Send(members[0], members[1..], day);
            }
        }

        var everyone = Enumerable.Range(0, people).ToArray();
        for (var day = 1.0; day < Days; day += 14)
        {
            messages.Add(new MailMessage($"s{id++}", "no-reply@northwind.example", null, everyone.Select(Address).ToArray(), [], [], Start.AddDays(day), null, null, null, false, MailFolder.Other));
        }

        messages.Sort((x, y) => x.SentAt.CompareTo(y.SentAt));
        return messages;
    }

    public static string ToTsv(IEnumerable<MailMessage> messages)
    {
        var text = new StringBuilder("id\tsent_utc\tfrom\tto\tcc\tsubject\tconversation\n");
        foreach (var m in messages)
        {
            text.Append(CultureInfo.InvariantCulture, $"{m.Id}\t{m.SentAt.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}\t{m.From}\t{string.Join(',', m.To)}\t\t\t\n");
        }

        return text.ToString();
    }

    private static double Exponential(Random random, double mean) => -mean * Math.Log(1 - random.NextDouble());
}
