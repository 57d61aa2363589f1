using System.Globalization;
using TiesOffice.Domain.MailLog;
using TiesOffice.Domain.Metadata;

namespace TiesOffice.GraphSimulator.Model;

/// <summary>
/// A synthetic tenant for scale runs: <c>n</c> people in departments of 6 to 14, each with an activity drawn from a
/// log-normal distribution (so mailboxes range from a few dozen to a few thousand items, as real ones do), and a
/// year of mail in which most recipients are colleagues of the same department. Deterministic for a seed.
/// </summary>
public static class SyntheticTenant
{
    /// <summary>The domain of every synthetic address.</summary>
    public const string Domain = "synthetic.example";

    /// <summary>Generates the people and the messages of a tenant.</summary>
    /// <param name="mailboxes">How many people (each gets a mailbox).</param>
    /// <param name="messagesPerPerson">The mean number of messages a person sends in the year.</param>
    /// <param name="seed">The random seed.</param>
    /// <param name="now">The newest message falls before this time.</param>
    /// <returns>The people and the messages, oldest first.</returns>
    public static (IReadOnlyList<Person> People, IReadOnlyList<MailMessage> Messages) Generate(int mailboxes, int messagesPerPerson, int seed, DateTimeOffset now)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(mailboxes, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(messagesPerPerson, 1);
        var random = new Random(seed);
        var people = new List<Person>(mailboxes);
        var departments = new List<List<int>>();
        while (people.Count < mailboxes)
        {
            var size = Math.Min(random.Next(6, 15), mailboxes - people.Count);
            var dept = "Dept " + departments.Count.ToString("D4", CultureInfo.InvariantCulture);
            var members = new List<int>();
            for (var i = 0; i < size; i++)
            {
                var n = people.Count;
                members.Add(n);
                people.Add(new Person("user" + n.ToString("D5", CultureInfo.InvariantCulture) + "@" + Domain, "User " + n.ToString(CultureInfo.InvariantCulture), dept, i == 0 ? "Manager" : "Staff"));
            }

            departments.Add(members);
        }

        var departmentOf = new int[mailboxes];
        for (var d = 0; d < departments.Count; d++)
        {
            foreach (var m in departments[d])
            {
                departmentOf[m] = d;
            }
        }

        // Log-normal activity with median 1 (sigma 0.9): a few people send ten times the median, many send a fifth.
        var activity = new double[mailboxes];
        for (var i = 0; i < mailboxes; i++)
        {
            var gaussian = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            activity[i] = Math.Exp(0.9 * gaussian);
        }

        var mean = activity.Average();
        var messages = new List<MailMessage>();
        var start = now.AddDays(-365);
        for (var sender = 0; sender < mailboxes; sender++)
        {
            var count = (int)Math.Round(messagesPerPerson * activity[sender] / mean);
            var colleagues = departments[departmentOf[sender]].Where(m => m != sender).ToList();
            for (var k = 0; k < count; k++)
            {
                var recipients = new List<string>();
                var wanted = random.Next(1, 5);
                for (var r = 0; r < wanted * 3 && recipients.Count < wanted; r++)
                {
                    var other = colleagues.Count > 0 && random.NextDouble() < 0.75 ? colleagues[random.Next(colleagues.Count)] : random.Next(mailboxes);
                    var address = people[other].Address;
                    if (other != sender && !recipients.Contains(address, StringComparer.Ordinal))
                    {
                        recipients.Add(address);
                    }
                }

                if (recipients.Count == 0)
                {
                    continue;
                }

                var sent = start.AddSeconds(random.NextDouble() * (now - start).TotalSeconds);
                var to = recipients.Take(Math.Max(1, recipients.Count - 1)).ToList();
                var cc = recipients.Skip(to.Count).ToList();
                messages.Add(new MailMessage(
                    "syn-" + messages.Count.ToString(CultureInfo.InvariantCulture), people[sender].Address, null, to, cc, [], sent, sent,
                    "thread-" + sender.ToString(CultureInfo.InvariantCulture) + "-" + (k / 3).ToString(CultureInfo.InvariantCulture), "Synthetic message", false, MailFolder.SentItems));
            }
        }

        messages.Sort((a, b) => a.SentAt.CompareTo(b.SentAt));
        return (people, messages);
    }
}
