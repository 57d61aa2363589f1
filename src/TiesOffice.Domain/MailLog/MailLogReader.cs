using System.Globalization;
using System.Runtime.InteropServices;
using TiesOffice.Domain.Metadata;

namespace TiesOffice.Domain.MailLog;

/// <summary>
/// Reads the mail-metadata log format (<c>messages.tsv</c> and <c>people.tsv</c>: UTF-8, tab-separated, a header
/// row) into metadata records. Columns are found by header name, so their order may vary and extra columns are
/// ignored. Every problem is reported as a <see cref="MailLogException"/> naming the file and line.
/// </summary>
/// <remarks>
/// The reader is pure: it takes a <see cref="TextReader"/> and a name for messages, and never opens files itself.
/// A log row becomes a <see cref="MailMessage"/> in <see cref="MailFolder.Other"/>; which mailbox it belongs to is
/// decided later (see <see cref="Mailbox"/>). Recipients listed twice on one row are kept once.
/// <para>
/// People are named by mail addresses, or, in a pseudonymised log, by opaque ids (<c>u17</c>). The first row decides
/// which: if none of its addresses has an '@', the file names people by ids (<see cref="MailAddress.IsPersonKey"/>);
/// otherwise every address in it must be a mail address, so that a stray value is an error, not a new person.
/// </para>
/// </remarks>
public static class MailLogReader
{
    /// <summary>The columns <c>messages.tsv</c> must have.</summary>
    public static readonly IReadOnlyList<string> RequiredMessageColumns = ["id", "sent_utc", "from", "to"];

    /// <summary>The columns <c>people.tsv</c> must have.</summary>
    public static readonly IReadOnlyList<string> RequiredPeopleColumns = ["address"];

    /// <summary>Reads every message of a <c>messages.tsv</c>, in file order.</summary>
    /// <param name="reader">The text to read.</param>
    /// <param name="sourceName">The file name used in error messages.</param>
    /// <returns>The messages, lazily; enumeration throws <see cref="MailLogException"/> at the first bad row.</returns>
    public static IEnumerable<MailMessage> ReadMessages(TextReader reader, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(sourceName);
        return ReadMessagesCore(reader, sourceName);
    }

    /// <summary>Reads every person of a <c>people.tsv</c>.</summary>
    /// <param name="reader">The text to read.</param>
    /// <param name="sourceName">The file name used in error messages.</param>
    /// <returns>The people, in file order.</returns>
    public static IReadOnlyList<Person> ReadPeople(TextReader reader, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(sourceName);
        var header = ReadHeader(reader, sourceName, RequiredPeopleColumns);
        var people = new List<Person>();
        var lineNumber = 1;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        AddressRule? rule = null;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            var fields = line.Split('\t');
            var text = Field(fields, header, "address");
            var address = MailAddress.Normalize(text);
            rule ??= AddressRule.For([address]);
            rule.Check(text, address, "address", sourceName, lineNumber);

            if (!seen.Add(address))
            {
                throw new MailLogException(sourceName, lineNumber, $"address '{address}' is listed twice.");
            }

            people.Add(new Person(
                address,
                Field(fields, header, "display_name").Trim(),
                Field(fields, header, "department").Trim(),
                Field(fields, header, "job_title").Trim()));
        }

        return people;
    }

    private static IEnumerable<MailMessage> ReadMessagesCore(TextReader reader, string sourceName)
    {
        var header = ReadHeader(reader, sourceName, RequiredMessageColumns);
        var lineNumber = 1;
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var addresses = new Dictionary<string, string>(StringComparer.Ordinal);
        AddressRule? rule = null;
        var any = false;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            var fields = line.Split('\t');
            rule ??= AddressRule.For(
                [Field(fields, header, "from"), .. Field(fields, header, "to").Split(','), .. Field(fields, header, "cc").Split(',')]);
            var message = ParseMessage(fields, header, rule, addresses, sourceName, lineNumber);
            if (!ids.Add(message.Id))
            {
                throw new MailLogException(sourceName, lineNumber, $"message id '{message.Id}' appears twice.");
            }

            any = true;
            yield return message;
        }

        if (!any)
        {
            throw new MailLogException(sourceName, 0, "the file has a header but no messages.");
        }
    }

    // The format's times are UTC with a trailing Z (seconds, or fractions as Graph writes them:
    // 2001-04-01T09:30:00.0000000Z). A time with an explicit offset is the same instant written another way, so it is
    // converted to UTC; a time with no zone at all is ambiguous and is refused, saying so.
    private static readonly string[] _utcFormats = ["yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'"];
    private static readonly string[] _offsetFormats = ["yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz"];
    private static readonly string[] _zonelessFormats =
        ["yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF"];

    private static DateTimeOffset ParseSentTime(string text, string sourceName, int lineNumber)
    {
        if (DateTimeOffset.TryParseExact(text, _utcFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var sent)
            || DateTimeOffset.TryParseExact(text, _offsetFormats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out sent))
        {
            return sent.ToUniversalTime();
        }

        var hint = DateTime.TryParseExact(text, _zonelessFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
            ? " It has no time zone: write it in UTC with a trailing Z, or with an offset such as +02:00."
            : string.Empty;
        throw new MailLogException(sourceName, lineNumber, $"'{text}' in column 'sent_utc' is not a UTC time like 2001-04-01T09:30:00Z.{hint}");
    }

    private static MailMessage ParseMessage(string[] fields, Dictionary<string, int> header, AddressRule rule, Dictionary<string, string> addresses, string sourceName, int lineNumber)
    {
        var id = Field(fields, header, "id").Trim();
        if (id.Length == 0)
        {
            throw new MailLogException(sourceName, lineNumber, "column 'id' is empty.");
        }

        var sentText = Field(fields, header, "sent_utc").Trim();
        var sent = ParseSentTime(sentText, sourceName, lineNumber);

        var fromText = Field(fields, header, "from");
        var from = MailAddress.Normalize(fromText);
        rule.Check(fromText, from, "from", sourceName, lineNumber);
        from = Shared(addresses, from);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var to = ParseAddresses(Field(fields, header, "to"), "to", rule, addresses, seen, sourceName, lineNumber);
        var cc = ParseAddresses(Field(fields, header, "cc"), "cc", rule, addresses, seen, sourceName, lineNumber);
        if (to.Count + cc.Count == 0)
        {
            throw new MailLogException(sourceName, lineNumber, "the message has no recipients in 'to' or 'cc'.");
        }

        var conversation = Field(fields, header, "conversation").Trim();
        var subject = Field(fields, header, "subject");
        return new MailMessage(
            id,
            from,
            Sender: null,
            to,
            cc,
            [],
            sent,
            ReceivedAt: null,
            conversation.Length == 0 ? null : conversation,
            subject.Length == 0 ? null : subject,
            IsDraft: false,
            MailFolder.Other);
    }

    private static List<string> ParseAddresses(string text, string column, AddressRule rule, Dictionary<string, string> addresses, HashSet<string> seen, string sourceName, int lineNumber)
    {
        var result = new List<string>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var address = MailAddress.Normalize(part);
            rule.Check(part, address, column, sourceName, lineNumber);
            address = Shared(addresses, address);

            if (seen.Add(address))
            {
                result.Add(address);
            }
        }

        return result;
    }

    private static Dictionary<string, int> ReadHeader(TextReader reader, string sourceName, IReadOnlyList<string> required)
    {
        var first = reader.ReadLine();
        if (first is null || first.Trim().Length == 0)
        {
            throw new MailLogException(sourceName, 0, "the file is empty; it needs a header row with the columns " + string.Join(", ", required) + ".");
        }

        var header = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var names = first.TrimStart('\uFEFF').Split('\t');
        for (var i = 0; i < names.Length; i++)
        {
            header.TryAdd(names[i].Trim(), i);
        }

        var missing = required.Where(column => !header.ContainsKey(column)).ToList();
        if (missing.Count > 0)
        {
            throw new MailLogException(sourceName, 1, $"missing column{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing.Select(m => $"'{m}'"))}; the header must name {string.Join(", ", required)} (tab-separated).");
        }

        return header;
    }

    // One string per distinct address for the whole file: a large log repeats each address thousands of times, and
    // the copies would otherwise be most of the memory the messages take.
    private static string Shared(Dictionary<string, string> addresses, string address)
    {
        ref var shared = ref CollectionsMarshal.GetValueRefOrAddDefault(addresses, address, out var exists);
        if (!exists)
        {
            shared = address;
        }

        return shared!;
    }

    private static string Field(string[] fields, Dictionary<string, int> header, string column) =>
        header.TryGetValue(column, out var index) && index < fields.Length ? fields[index] : string.Empty;

    /// <summary>How one file names people: by mail addresses, or by opaque ids. Decided by its first row.</summary>
    private sealed class AddressRule
    {
        private static readonly AddressRule _mail = new(byIds: false);
        private static readonly AddressRule _ids = new(byIds: true);
        private readonly bool _byIds;

        private AddressRule(bool byIds) => _byIds = byIds;

        public static AddressRule For(IEnumerable<string> firstRowAddresses) =>
            firstRowAddresses.Any(a => a.Contains('@', StringComparison.Ordinal)) ? _mail : _ids;

        public void Check(string text, string address, string column, string sourceName, int lineNumber)
        {
            if (_byIds ? MailAddress.IsPersonKey(address) : MailAddress.IsPlausible(address))
            {
                return;
            }

            // Outlook and many exports separate recipients with semicolons, and show display names; say how to fix it.
            var hint = text.Contains(';', StringComparison.Ordinal) ? " Separate addresses with commas, not semicolons."
                : text.Contains('<', StringComparison.Ordinal) ? " Give the bare address, without a display name."
                : string.Empty;
            var what = _byIds
                ? "a person id (this file names people by ids, as its first row does: one word each, no spaces)"
                : "a mail address";
            throw new MailLogException(sourceName, lineNumber, $"'{text.Trim()}' in column '{column}' is not {what}.{hint}");
        }
    }
}
