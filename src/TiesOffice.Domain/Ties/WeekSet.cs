using System.Numerics;

namespace TiesOffice.Domain.Ties;

/// <summary>
/// A set of week numbers (weeks since 1970-01-05, a Monday), as a bitmap starting at a 64-aligned base.
/// Setting a week is order-independent, so the set is the same whatever order items arrive in.
/// </summary>
internal struct WeekSet
{
    private int _base;
    private ulong[]? _bits;

    /// <summary>Whether no week is set.</summary>
    public readonly bool IsEmpty => _bits is null;

    /// <summary>The first week the bitmap covers (a multiple of 64).</summary>
    public readonly int Base => _base;

    /// <summary>The raw words, for serialization.</summary>
    public readonly ReadOnlySpan<ulong> Words => _bits;

    /// <summary>Week number of a Unix time in seconds (weeks start on Monday, UTC).</summary>
    public static int WeekOf(long unixSeconds) => (int)Math.Floor((unixSeconds - 345_600) / 604_800.0);

    /// <summary>Restores a set from its base and words.</summary>
    public static WeekSet FromWords(int baseWeek, ulong[]? words) =>
        new() { _base = baseWeek, _bits = words is { Length: > 0 } ? words : null };

    /// <summary>Adds a week.</summary>
    public void Set(int week)
    {
        var aligned = week & ~63;
        if (_bits is null)
        {
            _base = aligned;
            _bits = new ulong[1];
        }
        else if (aligned < _base)
        {
            var extra = (_base - aligned) >> 6;
            var grown = new ulong[_bits.Length + extra];
            Array.Copy(_bits, 0, grown, extra, _bits.Length);
            _bits = grown;
            _base = aligned;
        }
        else if (((aligned - _base) >> 6) >= _bits.Length)
        {
            Array.Resize(ref _bits, ((aligned - _base) >> 6) + 1);
        }

        var offset = week - _base;
        _bits[offset >> 6] |= 1UL << (offset & 63);
    }

    /// <summary>The word holding weeks [<paramref name="wordStart"/>, +64), or 0 outside the bitmap.</summary>
    public readonly ulong Word(int wordStart)
    {
        if (_bits is null || wordStart < _base)
        {
            return 0;
        }

        var index = (wordStart - _base) >> 6;
        return index < _bits.Length ? _bits[index] : 0;
    }

    /// <summary>Counts set weeks in [from, to] inclusive.</summary>
    public readonly int Count(int from, int to) => CountMatching(this, this, from, to, both: false);

    /// <summary>Counts weeks in [from, to] set in both <paramref name="a"/> and <paramref name="b"/> (or in either).</summary>
    public static int CountMatching(in WeekSet a, in WeekSet b, int from, int to, bool both)
    {
        if (to < from || (a.IsEmpty && b.IsEmpty))
        {
            return 0;
        }

        var count = 0;
        for (var start = from & ~63; start <= to; start += 64)
        {
            var word = both ? a.Word(start) & b.Word(start) : a.Word(start) | b.Word(start);
            if (word == 0)
            {
                continue;
            }

            var lo = Math.Max(from - start, 0);
            var hi = Math.Min(to - start, 63);
            var mask = (hi == 63 ? ulong.MaxValue : (1UL << (hi + 1)) - 1) & ~((1UL << lo) - 1);
            count += BitOperations.PopCount(word & mask);
        }

        return count;
    }

    /// <summary>The median gap, in weeks, between consecutive weeks set in either set up to <paramref name="to"/>; 0 with fewer than 3 weeks.</summary>
    public static double MedianGap(in WeekSet a, in WeekSet b, int to, List<int> scratch)
    {
        scratch.Clear();
        if (a.IsEmpty && b.IsEmpty)
        {
            return 0;
        }

        var first = a.IsEmpty ? b._base : b.IsEmpty ? a._base : Math.Min(a._base, b._base);
        var previous = int.MinValue;
        for (var start = first; start <= to; start += 64)
        {
            var word = a.Word(start) | b.Word(start);
            while (word != 0)
            {
                var week = start + BitOperations.TrailingZeroCount(word);
                word &= word - 1;
                if (week > to)
                {
                    break;
                }

                if (previous != int.MinValue)
                {
                    scratch.Add(week - previous);
                }

                previous = week;
            }
        }

        if (scratch.Count < 2)
        {
            return 0;
        }

        scratch.Sort();
        var mid = scratch.Count / 2;
        return scratch.Count % 2 == 1 ? scratch[mid] : (scratch[mid - 1] + scratch[mid]) / 2.0;
    }
}
