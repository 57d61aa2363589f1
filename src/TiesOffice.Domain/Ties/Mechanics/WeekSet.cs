using System.Numerics;

namespace TiesOffice.Domain.Ties.Mechanics;

/// <summary>
/// A set of week numbers (weeks since 1970-01-05, a Monday), as a bitmap starting at a 64-aligned base.
/// Setting a week is order-independent, so the set is the same whatever order items arrive in.
/// </summary>
/// <remarks>
/// The latest word (the one holding the highest week set) is kept inline and only the earlier words in an array:
/// items arrive mostly in time order, so nearly every <see cref="Set"/> touches the inline word, which sits in the
/// contact's own cache line, instead of chasing a pointer to a separate array (one dependent cache miss less per
/// message). A contact seen within one 64-week span needs no array at all. The head word is never 0 once a week is
/// set, so 0 means empty.
/// </remarks>
internal struct WeekSet
{
    private ulong _head;
    private int _headStart;
    private int _base;

    // Words [_base, _headStart) in steps of 64 weeks; shorter when the latest of them are all 0; null when none.
    private ulong[]? _bits;

    /// <summary>Whether no week is set.</summary>
    public readonly bool IsEmpty => _head == 0;

    /// <summary>The first week the bitmap covers (a multiple of 64).</summary>
    public readonly int Base => _base;

    /// <summary>The raw words from <see cref="Base"/> to the latest set week, for serialization (a fresh array).</summary>
    public readonly ulong[] Words
    {
        get
        {
            if (_head == 0)
            {
                return [];
            }

            var words = new ulong[((_headStart - _base) >> 6) + 1];
            _bits?.CopyTo(words, 0);
            words[^1] = _head;
            return words;
        }
    }

    /// <summary>Week number of a Unix time in seconds (weeks start on Monday, UTC).</summary>
    public static int WeekOf(long unixSeconds) => (int)Math.Floor((unixSeconds - 345_600) / 604_800.0);

    /// <summary>Restores a set from its base and words.</summary>
    public static WeekSet FromWords(int baseWeek, ulong[]? words)
    {
        var last = words is null ? -1 : Array.FindLastIndex(words, w => w != 0);
        if (last < 0)
        {
            return default;
        }

        return new()
        {
            _base = baseWeek,
            _headStart = baseWeek + (last << 6),
            _head = words![last],
            _bits = last == 0 ? null : words[..last],
        };
    }

    /// <summary>Adds a week.</summary>
    public void Set(int week)
    {
        var aligned = week & ~63;
        var bit = 1UL << (week & 63);
        if (aligned == _headStart && _head != 0)
        {
            _head |= bit;
            return;
        }

        SetSlow(aligned, bit);
    }

    private void SetSlow(int aligned, ulong bit)
    {
        if (_head == 0)
        {
            _base = aligned;
            _headStart = aligned;
            _head = bit;
        }
        else if (aligned > _headStart)
        {
            // A later word: the head moves into the array, which then reaches up to the new head.
            var index = (_headStart - _base) >> 6;
            var length = (aligned - _base) >> 6;
            if (_bits is null || _bits.Length < length)
            {
                Array.Resize(ref _bits, length);
            }

            _bits[index] = _head;
            _headStart = aligned;
            _head = bit;
        }
        else if (aligned < _base)
        {
            var extra = (_base - aligned) >> 6;
            var grown = new ulong[((_headStart - aligned) >> 6)];
            _bits?.CopyTo(grown, extra);
            grown[0] = bit;
            _bits = grown;
            _base = aligned;
        }
        else
        {
            var index = (aligned - _base) >> 6;
            if (_bits is null || _bits.Length <= index)
            {
                Array.Resize(ref _bits, index + 1);
            }

            _bits[index] |= bit;
        }
    }

    /// <summary>The word holding weeks [<paramref name="wordStart"/>, +64), or 0 outside the bitmap.</summary>
    public readonly ulong Word(int wordStart)
    {
        if (wordStart == _headStart)
        {
            return _head;
        }

        if (_bits is null || wordStart < _base || wordStart > _headStart)
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
        var widest = 0;
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
                    widest = Math.Max(widest, week - previous);
                }

                previous = week;
            }
        }

        if (scratch.Count < 2)
        {
            return 0;
        }

        var mid = scratch.Count / 2;
        if (widest < GapHistogramSize)
        {
            // Gaps are small positive integers, nearly always under a year: counting them finds the middle ones
            // without sorting (the sort was most of the scoring time). The same two gaps come out, so the same median.
            Span<int> counts = stackalloc int[GapHistogramSize];
            foreach (var g in scratch)
            {
                counts[g]++;
            }

            var lower = GapAt(counts, mid - 1);
            var upper = GapAt(counts, mid);
            return scratch.Count % 2 == 1 ? upper : (lower + upper) / 2.0;
        }

        scratch.Sort();
        return scratch.Count % 2 == 1 ? scratch[mid] : (scratch[mid - 1] + scratch[mid]) / 2.0;
    }

    private const int GapHistogramSize = 64;

    // The gap at a position (0-based) in sorted order, from the counts of each gap.
    private static int GapAt(ReadOnlySpan<int> counts, int position)
    {
        var seen = 0;
        for (var g = 0; g < counts.Length; g++)
        {
            seen += counts[g];
            if (seen > position)
            {
                return g;
            }
        }

        return counts.Length - 1;
    }
}
