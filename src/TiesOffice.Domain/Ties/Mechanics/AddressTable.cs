namespace TiesOffice.Domain.Ties.Mechanics;

/// <summary>
/// Normalised addresses to contact ids (the ledger tells its two stores apart by the sign): open addressing with linear probing over one array of
/// (address, hash, id) slots.
/// </summary>
/// <remarks>
/// Every message looks up its sender and recipients here and then updates their aggregates, so the look-up sits on
/// the chain of dependent memory reads of each message. A <see cref="Dictionary{TKey, TValue}"/> reads a bucket and
/// then the entry it points to; a slot here holds the id itself, so the contact's aggregate can be fetched right after
/// one read (the key comparison is predicted and checked alongside). The hash is the runtime's randomised string
/// hash, so crafted addresses cannot force long probe sequences.
/// </remarks>
internal sealed class AddressTable
{
    private const int MinimumCapacity = 64;

    private Slot[] _slots = new Slot[MinimumCapacity];
    private int _count;

    /// <summary>The hash an address is looked up by.</summary>
    public static int Hash(string address) => address.GetHashCode();

    /// <summary>Starts fetching the home slot of a hash, to be looked up a little later (see <see cref="Mechanics.Prefetch"/>).</summary>
    public void Prefetch(int hash)
    {
        var slots = _slots;
        Mechanics.Prefetch.Line(ref slots[Home(hash, slots.Length - 1)]);
    }

    /// <summary>The id of an address, giving it <paramref name="newId"/> when it has none yet.</summary>
    /// <param name="address">The address.</param>
    /// <param name="hash">Its <see cref="Hash"/>.</param>
    /// <param name="newId">The id to give it if it is new.</param>
    /// <returns>The id; equal to <paramref name="newId"/> exactly when the address was added.</returns>
    public int GetOrAdd(string address, int hash, int newId)
    {
        var slots = _slots;
        var mask = slots.Length - 1;
        var index = Home(hash, mask);
        while (true)
        {
            ref var slot = ref slots[index];
            if (slot.Key is null)
            {
                break;
            }

            if (slot.Hash == hash && (ReferenceEquals(slot.Key, address) || string.Equals(slot.Key, address, StringComparison.Ordinal)))
            {
                return slot.Id;
            }

            index = (index + 1) & mask;
        }

        // Grow at half full, then place the new address in the grown table.
        if ((_count + 1) * 2 > slots.Length)
        {
            Grow();
            Place(_slots, address, hash, newId);
        }
        else
        {
            slots[index] = new Slot(address, hash, newId);
        }

        _count++;
        return newId;
    }

    /// <summary>The id of an address already in the table, without adding it.</summary>
    /// <param name="address">The address.</param>
    /// <param name="id">Its id, when found.</param>
    /// <returns>True when the address is in the table.</returns>
    public bool TryGet(string address, out int id)
    {
        var hash = Hash(address);
        var slots = _slots;
        var mask = slots.Length - 1;
        for (var index = Home(hash, mask); slots[index].Key is { } key; index = (index + 1) & mask)
        {
            if (slots[index].Hash == hash && string.Equals(key, address, StringComparison.Ordinal))
            {
                id = slots[index].Id;
                return true;
            }
        }

        id = 0;
        return false;
    }

    /// <summary>Gives an address that is in the table another id (a contact moving from one store to another).</summary>
    /// <param name="address">The address, which must be in the table.</param>
    /// <param name="hash">Its <see cref="Hash"/>.</param>
    /// <param name="id">The new id.</param>
    /// <exception cref="InvalidOperationException">The address is not in the table.</exception>
    public void Set(string address, int hash, int id)
    {
        var slots = _slots;
        var mask = slots.Length - 1;
        for (var index = Home(hash, mask); slots[index].Key is { } key; index = (index + 1) & mask)
        {
            if (slots[index].Hash == hash && string.Equals(key, address, StringComparison.Ordinal))
            {
                slots[index] = new Slot(key, hash, id);
                return;
            }
        }

        throw new InvalidOperationException("The address is not in the table.");
    }

    /// <summary>Adds an address that must not be there yet (restoring from storage).</summary>
    /// <exception cref="ArgumentException">The address is there already.</exception>
    public void Add(string address, int id)
    {
        if (GetOrAdd(address, Hash(address), id) != id)
        {
            throw new ArgumentException($"The address '{address}' appears twice.", nameof(address));
        }
    }

    // The randomised string hash is well mixed already: its low bits index the table.
    private static int Home(int hash, int mask) => hash & mask;

    private static void Place(Slot[] slots, string address, int hash, int id)
    {
        var mask = slots.Length - 1;
        var index = Home(hash, mask);
        while (slots[index].Key is not null)
        {
            index = (index + 1) & mask;
        }

        slots[index] = new Slot(address, hash, id);
    }

    private void Grow()
    {
        var grown = new Slot[_slots.Length * 2];
        foreach (var slot in _slots)
        {
            if (slot.Key is not null)
            {
                Place(grown, slot.Key, slot.Hash, slot.Id);
            }
        }

        _slots = grown;
    }

    private readonly record struct Slot(string? Key, int Hash, int Id);
}
