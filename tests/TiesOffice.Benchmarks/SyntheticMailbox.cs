using TiesOffice.Domain.Metadata;

namespace TiesOffice.Benchmarks;

/// <summary>
/// A synthetic mailbox: one owner, a contact population with a heavy-tailed (Zipf-like) share of mail, half sent and
/// half received, 1 to 3 recipients, subjects from a pool with reply prefixes, one message a minute or so.
/// Address, subject and recipient-list objects are shared, as they would be after interning in a reader.
/// </summary>
internal static class SyntheticMailbox
{
    public const string Owner = "owner@contoso.com";
    public static readonly DateTimeOffset Start = new(2015, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static MailMessage[] Generate(int count, int contacts, int seed, DateTimeOffset start, string idPrefix = "m") =>
        Stream(count, contacts, seed, start, idPrefix).ToArray();

    /// <summary>The same messages, made one at a time, so that the input need not be held in memory.</summary>
    public static IEnumerable<MailMessage> Stream(int count, int contacts, int seed, DateTimeOffset start, string idPrefix = "m")
    {
        var random = new Random(seed);
        var addresses = Enumerable.Range(0, contacts).Select(i => $"contact{i}@fabrikam.com").ToArray();
        var subjects = Enumerable.Range(0, 5_000).Select(i => $"project {i}").ToArray();
        var replies = subjects.Select(s => "Re: " + s).ToArray();
        var owner = new[] { Owner };
        var seconds = 0L;
        for (var i = 0; i < count; i++)
        {
            seconds += random.Next(1, 120);
            var contact = Pick(random, contacts);
            var subject = random.Next(3) == 0 ? replies[random.Next(subjects.Length)] : subjects[random.Next(subjects.Length)];
            var at = start.AddSeconds(seconds);
            var extra = random.Next(4) == 0 ? addresses[Pick(random, contacts)] : null;
            if (random.Next(2) == 0)
            {
                string[] to = extra is null ? [addresses[contact]] : [addresses[contact], extra];
                yield return new MailMessage(idPrefix + i, Owner, null, to, [], [], at, null, null, subject, false, MailFolder.SentItems);
            }
            else
            {
                string[] to = extra is null ? owner : [Owner, extra];
                yield return new MailMessage(idPrefix + i, addresses[contact], null, to, [], [], at, null, null, subject, false, MailFolder.Inbox);
            }
        }
    }

    // Heavy-tailed choice: the first contacts get most mail, every contact gets some (Saramäki's social signature [9]).
    private static int Pick(Random random, int contacts)
    {
        var u = random.NextDouble();
        return Math.Min(contacts - 1, (int)(contacts * u * u * u));
    }
}
