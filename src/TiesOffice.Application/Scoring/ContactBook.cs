using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace TiesOffice.Application.Scoring;

/// <summary>One week of a tie's timeline, with the direct exchanges each way.</summary>
/// <param name="WeekStart">The Monday (UTC) the week starts on.</param>
/// <param name="Sent">The user's direct messages to the contact that week, plus small meetings both attended.</param>
/// <param name="Received">The contact's direct messages to the user that week, plus the same meetings.</param>
public sealed record TimelineCount(DateOnly WeekStart, int Sent, int Received);

/// <summary>
/// What the views show about each contact beside the tie engine's ledger, kept with it in the same engine blob
/// (<see cref="EngineBlob"/>): the latest display name seen for each address, and the direct exchanges per week in
/// each direction over the last <see cref="KeptWeeks"/> weeks. The counts are the ledger's own (the week's change of
/// <see cref="Domain.Ties.TieLedger.DirectCounts"/>, see <see cref="LedgerFeed"/>), so they agree with the tie's
/// reciprocity and with the ledger's active weeks. Names are metadata for showing a contact; they are never logged.
/// </summary>
/// <remarks>Not thread-safe; one scoring run owns an instance, and views only read theirs.</remarks>
public sealed class ContactBook
{
    /// <summary>How many weeks of counts are kept: a year and a few weeks, so the 53-week timeline is always whole.</summary>
    public const int KeptWeeks = 60;

    private const uint Magic = 0x4B424F54; // "TOBK"
    private const ushort FormatVersion = 1;

    // Monday 1970-01-05, week 0 (the ledger's week numbering).
    private static readonly DateOnly s_weekZero = new(1970, 1, 5);

    private readonly Dictionary<string, (string Name, long At)> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedDictionary<int, (int Sent, int Received)>> _weeks = new(StringComparer.Ordinal);

    /// <summary>How many addresses have a name.</summary>
    public int NameCount => _names.Count;

    /// <summary>How many contacts have counted weeks.</summary>
    public int CountedContacts => _weeks.Count;

    /// <summary>The week number of an instant (weeks since Monday 1970-01-05, UTC), as the ledger numbers them.</summary>
    /// <param name="at">The instant.</param>
    /// <returns>The week.</returns>
    public static int WeekOf(DateTimeOffset at) => (int)Math.Floor((at.ToUnixTimeSeconds() - 345_600) / 604_800.0);

    /// <summary>The latest display name seen for an address, or null.</summary>
    /// <param name="contact">A normalised address.</param>
    /// <returns>The name, or null.</returns>
    public string? NameOf(string contact) => _names.TryGetValue(contact, out var seen) ? seen.Name : null;

    /// <summary>Takes the names an item carried; a name from a later item replaces an earlier one.</summary>
    /// <param name="names">Names by normalised address (may be null).</param>
    /// <param name="at">The item's time.</param>
    public void NoteNames(IReadOnlyDictionary<string, string>? names, DateTimeOffset at)
    {
        if (names is null)
        {
            return;
        }

        var t = at.ToUnixTimeSeconds();
        foreach (var (address, raw) in names)
        {
            var name = Clean(raw);
            // Graph repeats the address as the name when it knows none: that is no name.
            if (string.IsNullOrEmpty(address) || name is null || string.Equals(name, address, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            // Later wins; at the same instant the ordinal-larger name wins, so the order items arrive in does not matter.
            if (!_names.TryGetValue(address, out var seen) || t > seen.At || (t == seen.At && string.CompareOrdinal(name, seen.Name) > 0))
            {
                _names[address] = (name, t);
            }
        }
    }

    /// <summary>Adds exchanges to a contact's week.</summary>
    /// <param name="contact">A normalised address.</param>
    /// <param name="week">The week number (<see cref="WeekOf"/>).</param>
    /// <param name="sent">The user's direct exchanges with them.</param>
    /// <param name="received">Theirs with the user.</param>
    public void AddWeek(string contact, int week, int sent, int received)
    {
        if (sent == 0 && received == 0)
        {
            return;
        }

        if (!_weeks.TryGetValue(contact, out var weeks))
        {
            weeks = [];
            _weeks[contact] = weeks;
        }

        var current = weeks.GetValueOrDefault(week);
        weeks[week] = (current.Sent + sent, current.Received + received);
    }

    /// <summary>The weekly counts of one contact for the <paramref name="weeks"/> weeks ending with the week of <paramref name="asOf"/>.</summary>
    /// <param name="contact">A normalised address.</param>
    /// <param name="asOf">The last week shown holds this instant.</param>
    /// <param name="weeks">How many weeks, oldest first (at most <see cref="KeptWeeks"/> are kept).</param>
    /// <returns>The weeks, zero where there was no exchange.</returns>
    public IReadOnlyList<TimelineCount> Timeline(string contact, DateTimeOffset asOf, int weeks)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(weeks);
        var last = WeekOf(asOf);
        _weeks.TryGetValue(contact, out var counted);
        var result = new TimelineCount[weeks];
        for (var i = 0; i < weeks; i++)
        {
            var week = last - weeks + 1 + i;
            var (sent, received) = counted is not null && counted.TryGetValue(week, out var c) ? c : (0, 0);
            result[i] = new TimelineCount(s_weekZero.AddDays(7 * week), sent, received);
        }

        return result;
    }

    /// <summary>Drops the counts of weeks more than <see cref="KeptWeeks"/> before the week of <paramref name="now"/>.</summary>
    /// <param name="now">Now.</param>
    public void Prune(DateTimeOffset now)
    {
        var oldest = WeekOf(now) - KeptWeeks + 1;
        List<string>? empty = null;
        foreach (var (contact, weeks) in _weeks)
        {
            while (weeks.Count > 0 && weeks.Keys.First() < oldest)
            {
                weeks.Remove(weeks.Keys.First());
            }

            if (weeks.Count == 0)
            {
                (empty ??= []).Add(contact);
            }
        }

        foreach (var contact in empty ?? [])
        {
            _weeks.Remove(contact);
        }
    }

    /// <summary>Writes the book in a compact, versioned, compressed form.</summary>
    /// <returns>The bytes.</returns>
    public byte[] Serialize()
    {
        using var stream = new MemoryStream();
        using (var zip = new ZLibStream(stream, CompressionLevel.Fastest, leaveOpen: true))
        using (var writer = new BinaryWriter(zip, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(_names.Count);
            foreach (var (address, (name, at)) in _names.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                writer.Write(address);
                writer.Write(name);
                writer.Write(at);
            }

            writer.Write(_weeks.Count);
            foreach (var (contact, weeks) in _weeks.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                writer.Write(contact);
                writer.Write(weeks.Count);
                foreach (var (week, (sent, received)) in weeks)
                {
                    writer.Write(week);
                    writer.Write(sent);
                    writer.Write(received);
                }
            }
        }

        // Header: magic, version, the payload's length and the first 8 bytes of its SHA-256, so damage is caught.
        var payload = stream.ToArray();
        using var framed = new MemoryStream(payload.Length + 18);
        using (var writer = new BinaryWriter(framed, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(FormatVersion);
            writer.Write(payload.Length);
            writer.Write(SHA256.HashData(payload), 0, 8);
            writer.Write(payload);
        }

        return framed.ToArray();
    }

    /// <summary>Restores a book written by <see cref="Serialize"/>.</summary>
    /// <param name="data">The bytes.</param>
    /// <returns>The book.</returns>
    /// <exception cref="ArgumentException">The bytes are not a book of this format version, or are damaged.</exception>
    public static ContactBook Deserialize(ReadOnlyMemory<byte> data)
    {
        try
        {
            var bytes = data.ToArray();
            using var stream = new MemoryStream(bytes, writable: false);
            using (var header = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true))
            {
                if (header.ReadUInt32() != Magic || header.ReadUInt16() != FormatVersion)
                {
                    throw new ArgumentException("The data is not a contact book of this format version.", nameof(data));
                }

                var length = header.ReadInt32();
                var hash = header.ReadBytes(8);
                if (length != bytes.Length - stream.Position
                    || !SHA256.HashData(bytes.AsSpan((int)stream.Position)).AsSpan(0, 8).SequenceEqual(hash))
                {
                    throw new ArgumentException("The contact book is damaged.", nameof(data));
                }
            }

            var book = new ContactBook();
            using var zip = new ZLibStream(stream, CompressionMode.Decompress);
            using var reader = new BinaryReader(zip, Encoding.UTF8);
            var names = reader.ReadInt32();
            for (var i = 0; i < names; i++)
            {
                var address = reader.ReadString();
                var name = reader.ReadString();
                book._names[address] = (name, reader.ReadInt64());
            }

            var contacts = reader.ReadInt32();
            for (var i = 0; i < contacts; i++)
            {
                var contact = reader.ReadString();
                var count = reader.ReadInt32();
                var weeks = new SortedDictionary<int, (int, int)>();
                for (var j = 0; j < count; j++)
                {
                    var week = reader.ReadInt32();
                    weeks[week] = (reader.ReadInt32(), reader.ReadInt32());
                }

                book._weeks[contact] = weeks;
            }

            return book;
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or IOException)
        {
            throw new ArgumentException("The contact book is damaged.", nameof(data), e);
        }
    }

    // A name worth showing: trimmed, no control characters, not empty, at most 256 characters.
    private static string? Clean(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        var name = new string(raw.Where(c => !char.IsControl(c)).ToArray()).Trim();
        return name.Length == 0 ? null : name.Length > 256 ? name[..256] : name;
    }
}
