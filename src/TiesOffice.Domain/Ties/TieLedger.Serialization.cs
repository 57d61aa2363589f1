using System.Text;
using TiesOffice.Domain.Ties.Mechanics;

namespace TiesOffice.Domain.Ties;

public sealed partial class TieLedger
{
    // "TIES" in little-endian ASCII, then a format version; readers reject anything else rather than guess.
    private const uint Magic = 0x53454954;
    private const ushort FormatVersion = 1;

    /// <summary>
    /// Serializes the aggregate to a compact, versioned binary form (no subjects, no bodies: addresses, numbers,
    /// week bitmaps, thread-key hashes and item-id hashes). <see cref="Deserialize"/> restores an equal ledger.
    /// </summary>
    /// <returns>The bytes.</returns>
    public byte[] Serialize()
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(FormatVersion);
            writer.Write(TieModel.ShortHalfLifeDays);
            writer.Write(TieModel.LongHalfLifeDays);
            writer.Write(Owner);
            writer.Write(_latestItemAt);
            writer.Write(_anchor);
            // Full aggregates first, so that their ids (which thread states refer to) are their places in the file;
            // co-present contacts are written in the same form, and told apart again on reading.
            writer.Write(ContactCount);
            for (var i = 0; i < _names.Count; i++)
            {
                writer.Write(_names[i]);
                WriteContact(writer, _contacts[i]);
            }

            for (var i = 0; i < _coNames.Count; i++)
            {
                if (_coNames[i] is { } name)
                {
                    writer.Write(name);
                    WriteContact(writer, _co[i].ToAggregate());
                }
            }

            writer.Write(_threads.Count);
            foreach (var (key, state) in _threads)
            {
                writer.Write(key);
                writer.Write(state.LastAt);
                writer.Write(state.LastFrom);
            }

            writer.Write(_seen.Count);
            foreach (var id in _seen.Values())
            {
                writer.Write(id);
            }
        }

        return stream.ToArray();
    }

    /// <summary>Restores a ledger written by <see cref="Serialize"/>.</summary>
    /// <param name="data">The bytes.</param>
    /// <returns>The ledger, ready to take more items and to score.</returns>
    /// <exception cref="ArgumentException">The bytes are not a ledger, are truncated, or come from another format version or model.</exception>
    public static TieLedger Deserialize(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        try
        {
            using var reader = new BinaryReader(new MemoryStream(data, writable: false), Encoding.UTF8);
            if (reader.ReadUInt32() != Magic)
            {
                throw new ArgumentException("The data is not a serialized tie ledger.", nameof(data));
            }

            var version = reader.ReadUInt16();
            if (version != FormatVersion)
            {
                throw new ArgumentException($"Tie ledger format version {version} is not supported (expected {FormatVersion}); rebuild it from the stored items.", nameof(data));
            }

            if (reader.ReadDouble() != TieModel.ShortHalfLifeDays || reader.ReadDouble() != TieModel.LongHalfLifeDays)
            {
                throw new ArgumentException("The ledger was written with other half-lives; rebuild it from the stored items.", nameof(data));
            }

            var ledger = new TieLedger(reader.ReadString()) { _latestItemAt = reader.ReadInt64(), _anchor = reader.ReadInt64() };
            // A contact with nothing but co-presence becomes a co-present record. Ledgers written before that record
            // existed interleave such contacts with the others, so ids in the file are mapped to the new ones.
            var contacts = ReadCount(reader);
            var ids = new int[contacts];
            for (var i = 0; i < contacts; i++)
            {
                var name = reader.ReadString();
                var contact = ReadContact(reader);
                ids[i] = CoPresentContact.Holds(contact)
                    ? ledger.AppendCoPresent(name, CoPresentContact.From(contact))
                    : ledger.AppendFull(name, contact);
                ledger._ids.Add(name, ids[i]);
            }

            var threads = ReadCount(reader);
            for (var i = 0; i < threads; i++)
            {
                var key = reader.ReadUInt64();
                var lastAt = reader.ReadInt64();
                var lastFrom = reader.ReadInt32();
                if (lastFrom != OwnerId && (lastFrom < 0 || lastFrom >= contacts || ids[lastFrom] < 0))
                {
                    throw new ArgumentException("The serialized tie ledger is corrupt (a thread names an unknown sender).", nameof(data));
                }

                ledger._threads.Add(key, new ThreadState(lastAt, lastFrom == OwnerId ? OwnerId : ids[lastFrom]));
            }

            var seen = ReadCount(reader);
            ledger._seen.EnsureCapacity(seen);
            for (var i = 0; i < seen; i++)
            {
                ledger._seen.Add(reader.ReadUInt64());
            }

            if (reader.BaseStream.Position != data.Length)
            {
                throw new ArgumentException("The serialized tie ledger has trailing bytes.", nameof(data));
            }

            return ledger;
        }
        catch (EndOfStreamException e)
        {
            throw new ArgumentException("The serialized tie ledger is truncated.", nameof(data), e);
        }
    }

    private static int ReadCount(BinaryReader reader)
    {
        var count = reader.ReadInt32();
        if (count < 0 || count > reader.BaseStream.Length)
        {
            throw new ArgumentException("The serialized tie ledger is corrupt (bad count).");
        }

        return count;
    }

    private static void WriteContact(BinaryWriter w, in ContactAggregate c)
    {
        w.Write(c.OutShort);
        w.Write(c.InShort);
        w.Write(c.CoShort);
        w.Write(c.MeetShort);
        w.Write(c.OutLong);
        w.Write(c.InLong);
        w.Write(c.OutCount);
        w.Write(c.InCount);
        w.Write(c.CoCount);
        w.Write(c.MeetCount);
        w.Write(c.InBroadcast);
        w.Write(c.FirstAt);
        w.Write(c.LastOutAt);
        w.Write(c.LastInAt);
        w.Write(c.LastCoAt);
        WriteWeeks(w, c.OutWeeks);
        WriteWeeks(w, c.InWeeks);
        w.Write(c.PersonalWeight);
        w.Write(c.RoleWeight);
        w.Write(c.TheirReplies);
        w.Write(c.OwnerReplies);
        w.Write(c.TheirReplyLogSum);
        w.Write(c.OwnerReplyLogSum);
        w.Write(c.ThreadsByOwner);
        w.Write(c.ThreadsByThem);
        w.Write(c.InvitationsSent);
        w.Write(c.InvitationsAccepted);
        w.Write(c.UnansweredOut);
        w.Write(c.Automated);
    }

    private static ContactAggregate ReadContact(BinaryReader r) => new()
    {
        OutShort = r.ReadDouble(),
        InShort = r.ReadDouble(),
        CoShort = r.ReadDouble(),
        MeetShort = r.ReadDouble(),
        OutLong = r.ReadDouble(),
        InLong = r.ReadDouble(),
        OutCount = r.ReadInt32(),
        InCount = r.ReadInt32(),
        CoCount = r.ReadInt32(),
        MeetCount = r.ReadInt32(),
        InBroadcast = r.ReadInt32(),
        FirstAt = r.ReadInt64(),
        LastOutAt = r.ReadInt64(),
        LastInAt = r.ReadInt64(),
        LastCoAt = r.ReadInt64(),
        OutWeeks = ReadWeeks(r),
        InWeeks = ReadWeeks(r),
        PersonalWeight = r.ReadDouble(),
        RoleWeight = r.ReadDouble(),
        TheirReplies = r.ReadInt32(),
        OwnerReplies = r.ReadInt32(),
        TheirReplyLogSum = r.ReadDouble(),
        OwnerReplyLogSum = r.ReadDouble(),
        ThreadsByOwner = r.ReadInt32(),
        ThreadsByThem = r.ReadInt32(),
        InvitationsSent = r.ReadInt32(),
        InvitationsAccepted = r.ReadInt32(),
        UnansweredOut = r.ReadInt32(),
        Automated = r.ReadBoolean(),
    };

    private static void WriteWeeks(BinaryWriter w, in WeekSet weeks)
    {
        var words = weeks.Words;
        w.Write(weeks.Base);
        w.Write((ushort)words.Length);
        foreach (var word in words)
        {
            w.Write(word);
        }
    }

    private static WeekSet ReadWeeks(BinaryReader r)
    {
        var baseWeek = r.ReadInt32();
        var length = r.ReadUInt16();
        var words = new ulong[length];
        for (var i = 0; i < length; i++)
        {
            words[i] = r.ReadUInt64();
        }

        return WeekSet.FromWords(baseWeek, words);
    }
}
