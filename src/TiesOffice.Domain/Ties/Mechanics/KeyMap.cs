namespace TiesOffice.Domain.Ties.Mechanics;

/// <summary>
/// A map from non-zero 64-bit hash keys (thread keys) to small values: open addressing with linear probing over one
/// array of (key, value) slots.
/// </summary>
/// <remarks>
/// A <see cref="Dictionary{TKey, TValue}"/> reads a bucket and then the entry it points to, two dependent cache misses
/// once a mailbox has hundreds of thousands of threads; here the value sits in the slot, and the slot can be
/// prefetched as soon as the key is known (<see cref="Prefetch"/>). Key 0 marks an empty slot (thread keys are never
/// 0; 0 means "no thread" and is never stored).
/// </remarks>
/// <typeparam name="TValue">The value.</typeparam>
internal sealed class KeyMap<TValue>
    where TValue : struct
{
    private const int MinimumCapacity = 64;

    private Slot[] _slots = new Slot[MinimumCapacity];

    public int Count { get; private set; }

    /// <summary>Starts fetching the home slot of a key, to be looked up a little later.</summary>
    public void Prefetch(ulong key)
    {
        var slots = _slots;
        Mechanics.Prefetch.Line(ref slots[Home(key, slots.Length - 1)]);
    }

    /// <summary>
    /// The value of a key, added as <c>default</c> when missing, by reference: valid until the next call that adds.
    /// </summary>
    /// <param name="key">The key; not 0.</param>
    /// <param name="exists">Whether the key was there already.</param>
    /// <returns>A reference to the value.</returns>
    public ref TValue GetValueRefOrAddDefault(ulong key, out bool exists)
    {
        if ((Count + 1) * 2 > _slots.Length)
        {
            Grow();
        }

        var slots = _slots;
        var mask = slots.Length - 1;
        var index = Home(key, mask);
        while (true)
        {
            ref var slot = ref slots[index];
            if (slot.Key == key)
            {
                exists = true;
                return ref slot.Value;
            }

            if (slot.Key == 0)
            {
                slot.Key = key;
                Count++;
                exists = false;
                return ref slot.Value;
            }

            index = (index + 1) & mask;
        }
    }

    /// <summary>Adds a key that must not be there yet (restoring from storage).</summary>
    /// <exception cref="ArgumentException">The key is 0 or there already.</exception>
    public void Add(ulong key, TValue value)
    {
        if (key == 0)
        {
            throw new ArgumentException("Key 0 cannot be stored.", nameof(key));
        }

        ref var slot = ref GetValueRefOrAddDefault(key, out var exists);
        if (exists)
        {
            throw new ArgumentException($"The key {key} appears twice.", nameof(key));
        }

        slot = value;
    }

    /// <summary>Every key and value, in slot order.</summary>
    public IEnumerator<KeyValuePair<ulong, TValue>> GetEnumerator()
    {
        foreach (var slot in _slots)
        {
            if (slot.Key != 0)
            {
                yield return new(slot.Key, slot.Value);
            }
        }
    }

    // Fibonacci hashing spreads the FNV bits over the table.
    private static int Home(ulong key, int mask) => (int)((key * 11400714819323198485UL) >> 32) & mask;

    private void Grow()
    {
        var grown = new Slot[_slots.Length * 2];
        var mask = grown.Length - 1;
        foreach (var slot in _slots)
        {
            if (slot.Key != 0)
            {
                var index = Home(slot.Key, mask);
                while (grown[index].Key != 0)
                {
                    index = (index + 1) & mask;
                }

                grown[index] = slot;
            }
        }

        _slots = grown;
    }

    private struct Slot
    {
        public ulong Key;
        public TValue Value;
    }
}
