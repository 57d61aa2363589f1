namespace TiesOffice.Domain.Ties;

/// <summary>
/// The set of item-id hashes already taken in: open addressing with linear probing over one array of 64-bit values,
/// so that the idempotence check costs one cache line per item instead of a node per entry. Hashes are never 0, so 0
/// marks an empty slot.
/// </summary>
internal sealed class ItemIdSet
{
    // Grow at half full: probes stay short (expected under 1.5) at the cost of 16 bytes per item.
    private const int MinimumCapacity = 64;

    private ulong[] _slots = new ulong[MinimumCapacity];

    public int Count { get; private set; }

    /// <summary>Adds a hash; false when it was there already.</summary>
    public bool Add(ulong hash)
    {
        if ((Count + 1) * 2 > _slots.Length)
        {
            Grow();
        }

        if (!Insert(_slots, hash))
        {
            return false;
        }

        Count++;
        return true;
    }

    /// <summary>
    /// Reads the home slot of a hash without changing anything, so that its cache line (the table outgrows the cache
    /// at a few hundred thousand items) is on its way while the caller does other work before <see cref="Add"/>.
    /// </summary>
    public void Touch(ulong hash)
    {
        var slots = _slots;
        _ = Volatile.Read(ref slots[Home(hash, slots.Length - 1)]);
    }

    /// <summary>Every hash in the set, in slot order.</summary>
    public IEnumerable<ulong> Values()
    {
        foreach (var slot in _slots)
        {
            if (slot != 0)
            {
                yield return slot;
            }
        }
    }

    /// <summary>Makes room for <paramref name="count"/> hashes without further growth.</summary>
    public void EnsureCapacity(int count)
    {
        while (count * 2 > _slots.Length)
        {
            Grow();
        }
    }

    private static bool Insert(ulong[] slots, ulong hash)
    {
        var mask = slots.Length - 1;

        var index = Home(hash, mask);
        while (true)
        {
            var slot = slots[index];
            if (slot == 0)
            {
                slots[index] = hash;
                return true;
            }

            if (slot == hash)
            {
                return false;
            }

            index = (index + 1) & mask;
        }
    }

    // Fibonacci hashing spreads the FNV bits over the table.
    private static int Home(ulong hash, int mask) => (int)((hash * 11400714819323198485UL) >> 32) & mask;

    private void Grow()
    {
        var grown = new ulong[_slots.Length * 2];
        foreach (var slot in _slots)
        {
            if (slot != 0)
            {
                Insert(grown, slot);
            }
        }

        _slots = grown;
    }
}
