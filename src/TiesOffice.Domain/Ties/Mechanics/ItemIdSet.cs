namespace TiesOffice.Domain.Ties.Mechanics;

/// <summary>
/// The set of item-id hashes already taken in: open addressing with linear probing over one array of the 64-bit
/// hashes themselves.
/// </summary>
/// <remarks>
/// The table outgrows the caches at a few hundred thousand items, so every insert is a likely cache (and TLB) miss.
/// One array keeps that to one line per insert: the probe reads the home slot's line and the insert writes the same
/// line. (An earlier layout probed a 4-byte tag array and wrote the full hash to a parallel array: half the bytes
/// probed, but a second random line written per insert, and the measured cost of those writes was higher than what
/// the smaller probes saved; see docs/Benchmarks.md, sixth round.) A message is rejected only when its whole 64-bit id
/// hash equals an earlier one's (probability about n²/2⁶⁵, 3·10⁻⁸ for 1,000,000 items).
/// </remarks>
internal sealed class ItemIdSet
{
    // Grow at half full: probes stay short (expected under 1.5), 8 slots to a cache line, 16 bytes per item.
    private const int MinimumCapacity = 64;

    // Hashes are never 0, so 0 marks an empty slot.
    private ulong[] _hashes = new ulong[MinimumCapacity];

    public int Count { get; private set; }

    /// <summary>Adds a hash; false when it was there already.</summary>
    public bool Add(ulong hash)
    {
        if ((Count + 1) * 2 > _hashes.Length)
        {
            Grow();
        }

        if (!Insert(_hashes, hash))
        {
            return false;
        }

        Count++;
        return true;
    }

    /// <summary>Whether a hash was added before.</summary>
    public bool Contains(ulong hash)
    {
        var hashes = _hashes;
        var mask = hashes.Length - 1;
        for (var index = Home(hash, mask); hashes[index] != 0; index = (index + 1) & mask)
        {
            if (hashes[index] == hash)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Starts fetching the home slot of a hash, so that its cache line is on its way while the caller does other
    /// work before <see cref="Add"/>.
    /// </summary>
    public void Prefetch(ulong hash)
    {
        var hashes = _hashes;
        Mechanics.Prefetch.Line(ref hashes[Home(hash, hashes.Length - 1)]);
    }

    /// <summary>Every hash in the set, in slot order.</summary>
    public IEnumerable<ulong> Values()
    {
        var hashes = _hashes;
        for (var i = 0; i < hashes.Length; i++)
        {
            if (hashes[i] != 0)
            {
                yield return hashes[i];
            }
        }
    }

    /// <summary>Makes room for <paramref name="count"/> hashes without further growth.</summary>
    public void EnsureCapacity(int count)
    {
        while (count * 2 > _hashes.Length)
        {
            Grow();
        }
    }

    private static bool Insert(ulong[] hashes, ulong hash)
    {
        var mask = hashes.Length - 1;
        var index = Home(hash, mask);
        while (true)
        {
            var slot = hashes[index];
            if (slot == 0)
            {
                hashes[index] = hash;
                return true;
            }

            if (slot == hash)
            {
                return false;
            }

            index = (index + 1) & mask;
        }
    }

    // Fibonacci hashing spreads the FNV bits over the table (the same home slots as every earlier layout, so the
    // serialized order of the hashes is unchanged).
    private static int Home(ulong hash, int mask) => (int)((hash * 11400714819323198485UL) >> 32) & mask;

    private void Grow()
    {
        var hashes = new ulong[_hashes.Length * 2];
        foreach (var hash in _hashes)
        {
            if (hash != 0)
            {
                Insert(hashes, hash);
            }
        }

        _hashes = hashes;
    }
}
