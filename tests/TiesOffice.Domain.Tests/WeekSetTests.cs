using CsCheck;
using TiesOffice.Domain.Ties.Mechanics;
using TiesOffice.Domain.Ties;

namespace TiesOffice.Domain.Tests;

public class WeekSetTests
{
    // The latest word is kept inline and the earlier ones in an array: whatever the order weeks arrive in, the words
    // (what is serialized) and the counts must be those of a plain bitmap.
    [Fact]
    public void Set_AnyOrder_SameWordsAsAPlainBitmap() =>
        Gen.Int[2_000, 2_600].Array[0, 40].Select(Gen.Int).Sample((weeks, seed) =>
        {
            var shuffled = weeks.ToArray();
            new Random(seed).Shuffle(shuffled);
            var set = default(WeekSet);
            foreach (var week in shuffled)
            {
                set.Set(week);
            }

            var expected = new SortedSet<int>(weeks);
            if (expected.Count == 0)
            {
                Assert.True(set.IsEmpty);
                Assert.Empty(set.Words);
                return;
            }

            var baseWeek = expected.Min & ~63;
            var words = new ulong[((expected.Max & ~63) - baseWeek >> 6) + 1];
            foreach (var week in expected)
            {
                words[(week - baseWeek) >> 6] |= 1UL << (week & 63);
            }

            Assert.Equal(baseWeek, set.Base);
            Assert.Equal(words, set.Words);
            Assert.Equal(expected.Count, set.Count(0, 3_000));
            Assert.Equal(expected.Count(w => w is >= 2_100 and <= 2_300), set.Count(2_100, 2_300));

            var restored = WeekSet.FromWords(set.Base, set.Words);
            Assert.Equal(words, restored.Words);
            restored.Set(expected.Min - 70);
            Assert.Equal(expected.Count + 1, restored.Count(0, 3_000));
        });

    // The median gap counts small gaps instead of sorting them: it must give what sorting every gap gives, for gaps
    // under the histogram's width, over it, and both, with odd and even numbers of gaps and a cut-off week.
    [Fact]
    public void MedianGap_SameAsSortingTheGaps() =>
        Gen.Int[2_000, 2_400].Array[0, 50].Select(Gen.Int[1_900, 2_500], Gen.Int[1_900, 2_500].Array[0, 4]).Sample((outWeeks, to, inWeeks) =>
        {
            var a = default(WeekSet);
            var b = default(WeekSet);
            foreach (var week in outWeeks)
            {
                a.Set(week);
            }

            foreach (var week in inWeeks)
            {
                b.Set(week);
            }

            var weeks = outWeeks.Concat(inWeeks).Where(w => w <= to).Distinct().Order().ToArray();
            var gaps = weeks.Zip(weeks.Skip(1), (x, y) => y - x).Order().ToArray();
            var expected = gaps.Length < 2 ? 0
                : gaps.Length % 2 == 1 ? gaps[gaps.Length / 2]
                : (gaps[(gaps.Length / 2) - 1] + gaps[gaps.Length / 2]) / 2.0;
            Assert.Equal(expected, WeekSet.MedianGap(a, b, to, []));
        });
}
