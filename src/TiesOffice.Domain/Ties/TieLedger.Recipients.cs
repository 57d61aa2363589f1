using TiesOffice.Domain.Metadata;
using TiesOffice.Domain.Ties.Mechanics;

namespace TiesOffice.Domain.Ties;

// How a message's addresses become contact ids, fast: one pass normalises each recipient once and finds the owner
// among them, then the recipients are interned and deduplicated into scratch arrays that are reused from message to
// message, so feeding allocates nothing per message. Nothing here decides what a message means for a tie (TieLedger.cs).
public sealed partial class TieLedger
{
    // Up to this many recipients, duplicates are found by searching the ids so far; above it, by marks.
    private const int LinearDedupLimit = 32;

    // Per-message scratch: the normalised recipients other than the owner and the sender as read (To, Cc, Bcc in
    // that order), then their contact ids without repeats. Reused, so feeding allocates nothing per message.
    private string[] _scanned = new string[8];
    private int[] _scannedHash = new int[8];
    private bool[] _scannedCc = new bool[8];
    private int _scannedCount;
    private int[] _recipients = new int[8];
    private bool[] _recipientCc = new bool[8];
    private int _recipientCount;

    // Large messages' recipients are deduplicated by marking each contact with the message's number (0 = never).
    private int[] _dedupMarks = [];
    private int[] _coDedupMarks = [];
    private int _dedupMark;

    private static void PrefetchStrings(MailMessage? message)
    {
        if (message is null)
        {
            return; // AddMessage reports it
        }

        Prefetch.Chars(message.From);
        if (TryGetSpan(message.To, out var to))
        {
            for (var i = 0; i < to.Length && i < 4; i++)
            {
                Prefetch.Chars(to[i]);
            }
        }

        Prefetch.Chars(string.IsNullOrEmpty(message.ConversationId) ? message.Subject : message.ConversationId);
    }

    private enum OwnerPlace
    {
        Absent,
        ToOrBcc,
        CcOnly,
    }

    // To, then Cc, then Bcc: the order in which the original lists them decides which contacts are created first.
    private OwnerPlace ScanRecipients(MailMessage message, string? exclude)
    {
        _scannedCount = 0;
        var direct = Scan(message.To, cc: false, exclude);
        var copied = Scan(message.Cc, cc: true, exclude);
        direct |= Scan(message.Bcc, cc: false, exclude);
        return direct ? OwnerPlace.ToOrBcc : copied ? OwnerPlace.CcOnly : OwnerPlace.Absent;
    }

    // Lists (what the log and Graph readers give) and arrays (tests, generators) are walked as spans: through the
    // interface every Count and every element is an interface dispatch.
    private static bool TryGetSpan(IReadOnlyList<string> addresses, out ReadOnlySpan<string> span)
    {
        switch (addresses)
        {
            case string[] array:
                span = array;
                return true;
            case List<string> list:
                span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list);
                return true;
            default:
                span = default;
                return false;
        }
    }

    // Index loops, not foreach, for other lists: an interface enumerator allocates.
    private bool Scan(IReadOnlyList<string> addresses, bool cc, string? exclude)
    {
        var owner = false;
        if (TryGetSpan(addresses, out var span))
        {
            foreach (var address in span)
            {
                owner |= Take(address, cc, exclude);
            }

            return owner;
        }

        for (var i = 0; i < addresses.Count; i++)
        {
            owner |= Take(addresses[i], cc, exclude);
        }

        return owner;
    }

    // Keeps one recipient for later unless it is empty, the owner (then true) or the excluded sender.
    private bool Take(string raw, bool cc, string? exclude)
    {
        var address = Normalize(raw);
        if (string.Equals(address, Owner, StringComparison.Ordinal))
        {
            return true;
        }

        if (address.Length == 0 || string.Equals(address, exclude, StringComparison.Ordinal))
        {
            return false;
        }

        if (_scannedCount == _scanned.Length)
        {
            Array.Resize(ref _scanned, _scanned.Length * 2);
            Array.Resize(ref _scannedHash, _scanned.Length);
            Array.Resize(ref _scannedCc, _scanned.Length);
        }

        // The address's slot is fetched now and read when the message is known to be new (see Prefetch).
        var hash = AddressTable.Hash(address);
        _ids.Prefetch(hash);
        _scanned[_scannedCount] = address;
        _scannedHash[_scannedCount] = hash;
        _scannedCc[_scannedCount] = cc;
        _scannedCount++;
        return false;
    }

    // MailAddress.Normalize, with a vectorised check first: addresses that are already trimmed lower-case ASCII (all of
    // them, from a log reader or after the first sync) are returned as they are, without scanning twice.
    private static string Normalize(string address) =>
        address.Length > 0 && System.Text.Ascii.IsValid(address) && !address.AsSpan().ContainsAnyInRange('A', 'Z')
            && address[0] > ' ' && address[^1] > ' '
            ? address
            : MailAddress.Normalize(address);

    // The scanned recipients' contact ids, each once (the first listing decides To or Cc).
    private void InternRecipients()
    {
        if (_recipients.Length < _scannedCount)
        {
            _recipients = new int[_scanned.Length];
            _recipientCc = new bool[_scanned.Length];
        }

        var n = 0;
        if (_scannedCount <= LinearDedupLimit)
        {
            for (var i = 0; i < _scannedCount; i++)
            {
                var id = InternAny(_scanned[i], _scannedHash[i]);
                if (Array.IndexOf(_recipients, id, 0, n) < 0)
                {
                    AddRecipient(id, _scannedCc[i], ref n);
                }
            }
        }
        else
        {
            // A search of the ids so far would make a message to thousands quadratic (12 million comparisons for an
            // all-company message to 5,000, in every recipient's ledger); each contact is marked with the message
            // instead. Small messages keep the search: it reads nothing more than the ids at hand.
            var mark = NextDedupMark();
            for (var i = 0; i < _scannedCount; i++)
            {
                var id = InternAny(_scanned[i], _scannedHash[i]);
                ref var seen = ref DedupMark(id);
                if (seen != mark)
                {
                    seen = mark;
                    AddRecipient(id, _scannedCc[i], ref n);
                }
            }
        }

        _recipientCount = n;
    }

    private void AddRecipient(int id, bool cc, ref int n)
    {
        PrefetchContact(id);
        _recipients[n] = id;
        _recipientCc[n] = cc;
        n++;
    }

    private int NextDedupMark()
    {
        if (_dedupMark == int.MaxValue)
        {
            Array.Clear(_dedupMarks);
            Array.Clear(_coDedupMarks);
            _dedupMark = 0;
        }

        return ++_dedupMark;
    }

    // The mark slot of a contact id: full and co-present contacts have one array each, like their records.
    private ref int DedupMark(int id)
    {
        if (id >= 0)
        {
            if (id >= _dedupMarks.Length)
            {
                Array.Resize(ref _dedupMarks, _contacts.Length);
            }

            return ref _dedupMarks[id];
        }

        if (~id >= _coDedupMarks.Length)
        {
            Array.Resize(ref _coDedupMarks, _co.Length);
        }

        return ref _coDedupMarks[~id];
    }
}
