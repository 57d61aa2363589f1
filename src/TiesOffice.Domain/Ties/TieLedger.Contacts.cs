using TiesOffice.Domain.Ties.Mechanics;

namespace TiesOffice.Domain.Ties;

// Where contacts live: ids, the two stores (full aggregates and co-present records), the move from one to the other,
// and the decay anchor. Nothing here decides what an item means for a tie (TieLedger.cs).
public sealed partial class TieLedger
{
    // Contacts with a direct exchange have ids from 0 up, indexing _names and _contacts. Contacts known only from
    // co-presence have negative ids ~i, indexing _coNames and _co; the first direct exchange moves one into
    // _contacts (see Direct) and leaves a null name and an empty record behind, so other ids never change.
    private readonly AddressTable _ids = new();
    private readonly List<string> _names = [];
    private readonly List<string?> _coNames = [];
    private CoPresentContact[] _co = new CoPresentContact[16];
    private int _coCount;
    private ContactAggregate[] _contacts = new ContactAggregate[16];

    // Decayed sums are stored scaled to this time (ContactAggregate); long.MinValue until the first item.
    private long _anchor = long.MinValue;

    // Rebase once the newest item is 200 short half-lives (33 years) past the anchor: 2^200 keeps every sum far
    // inside double range, and items that old have decayed to nothing.
    private static readonly long _rebaseSeconds = (long)(200 * TieModel.ShortHalfLifeDays * TieModel.SecondsPerDay);

    private Scales ScalesAt(long t)
    {
        if (_anchor == long.MinValue)
        {
            _anchor = t;
        }
        else if (t - _anchor > _rebaseSeconds)
        {
            Rebase(t);
        }

        var offset = t - _anchor;
        return new Scales(
            TieModel.Scale(offset, TieModel.ShortHalfLifeDays),
            TieModel.Scale(offset, TieModel.LongHalfLifeDays));
    }

    private void Rebase(long newAnchor)
    {
        var back = _anchor - newAnchor;
        var shortScale = TieModel.Scale(back, TieModel.ShortHalfLifeDays);
        var longScale = TieModel.Scale(back, TieModel.LongHalfLifeDays);
        for (var i = 0; i < _names.Count; i++)
        {
            ref var c = ref _contacts[i];
            c.OutShort *= shortScale;
            c.InShort *= shortScale;
            c.CoShort *= shortScale;
            c.MeetShort *= shortScale;
            c.OutLong *= longScale;
            c.InLong *= longScale;
        }

        for (var i = 0; i < _coNames.Count; i++)
        {
            _co[i].CoShort *= shortScale;
        }

        _anchor = newAnchor;
    }

    // A contact's id; a new address starts as co-present (a negative id), and Direct moves it on when needed.
    private int InternAny(string address, int hash)
    {
        var fresh = ~_coNames.Count;
        var id = _ids.GetOrAdd(address, hash, fresh);
        if (id != fresh)
        {
            return id;
        }

        return AppendCoPresent(address, CoPresentContact.Empty(AutomatedSenders.LooksAutomated(address)));
    }

    // Appends a record to one store and returns its id (not yet in the address table); feeding and reading share these.
    private int AppendCoPresent(string address, in CoPresentContact record)
    {
        var index = _coNames.Count;
        _coNames.Add(address);
        if (index == _co.Length)
        {
            Array.Resize(ref _co, _co.Length * 2);
        }

        _co[index] = record;
        _coCount++;
        return ~index;
    }

    private int AppendFull(string address, in ContactAggregate aggregate)
    {
        var id = _names.Count;
        _names.Add(address);
        if (id == _contacts.Length)
        {
            Array.Resize(ref _contacts, _contacts.Length * 2);
        }

        _contacts[id] = aggregate;
        return id;
    }

    // The full aggregate's id of a contact about to get a direct exchange: a co-present contact moves into a new full
    // aggregate carrying its values over (so the result equals having kept a full aggregate all along).
    // The common case (already full) is a test and is inlined into the feed loops; the move itself happens once per
    // contact.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private int Direct(int id) => id >= 0 ? id : MoveToFull(~id);

    private int MoveToFull(int index)
    {
        var address = _coNames[index]!;
        var full = AppendFull(address, _co[index].ToAggregate());
        _ids.Set(address, AddressTable.Hash(address), full);
        _coNames[index] = null;
        _co[index] = default;
        _coCount--;
        return full;
    }

    // Every cache line of a contact's record is fetched as soon as its id is known: the decay factors and the
    // thread state are computed while they arrive.
    private void PrefetchContact(int id)
    {
        if (id >= 0)
        {
            Prefetch.Lines(ref _contacts[id]);
        }
        else
        {
            Prefetch.Line(ref _co[~id]);
        }
    }

    private readonly record struct Scales(double Short, double Long);
}
