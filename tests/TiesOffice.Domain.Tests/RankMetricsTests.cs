using CsCheck;
using TiesOffice.Domain.Evaluation;

namespace TiesOffice.Domain.Tests;

public class RankMetricsTests
{
    [Fact]
    public void Auc_PerfectSeparation_IsOne() =>
        Assert.Equal(1.0, RankMetrics.Auc([0.1, 0.2, 0.8, 0.9], [false, false, true, true]));

    [Fact]
    public void Auc_AllScoresTied_IsOneHalf() =>
        Assert.Equal(0.5, RankMetrics.Auc([1, 1, 1, 1], [true, false, true, false]));

    [Fact]
    public void Auc_PartialTie_UsesAverageRanks() =>
        // Positive at 2 ties one negative (counts 1/2) and beats the other (1): (1 + 0.5) / 2.
        Assert.Equal(0.75, RankMetrics.Auc([1, 2, 2], [false, false, true]));

    [Fact]
    public void PrecisionAt_TiesAcrossTheCut_AreSharedOut() =>
        // Top 1 of two tied items, one positive: expected precision 0.5.
        Assert.Equal(0.5, RankMetrics.PrecisionAt([3, 3, 1], [true, false, false], 1));

    [Fact]
    public void PrecisionAt_FewerItemsThanK_DividesByCount() =>
        Assert.Equal(0.5, RankMetrics.PrecisionAt([3, 1], [true, false], 5));

    // Scores with many ties and the awkward values: NaN, infinities, both zeros.
    private static readonly Gen<(double Score, bool Label)[]> _pairs =
        Gen.Select(Gen.Int[0, 9], Gen.Bool).Select((v, label) => (v switch
        {
            0 => double.NaN,
            1 => double.NegativeInfinity,
            2 => double.PositiveInfinity,
            3 => -0.0,
            4 => 0.0,
            _ => v / 3.0,
        }, label)).Array[0, 80];

    [Fact]
    public void Auc_AnyScores_BitForBitTheDelegateSortImplementation() =>
        _pairs.Sample(pairs =>
        {
            var scores = pairs.Select(p => p.Score).ToArray();
            var labels = pairs.Select(p => p.Label).ToArray();
            Assert.Equal(Bits(ReferenceAuc(scores, labels)), Bits(RankMetrics.Auc(scores, labels)));
        });

    [Fact]
    public void PrecisionAt_AnyScores_BitForBitTheStableOrderImplementation() =>
        _pairs.Select(Gen.Int[1, 10]).Sample((pairs, k) =>
        {
            var scores = pairs.Select(p => p.Score).ToArray();
            var labels = pairs.Select(p => p.Label).ToArray();
            Assert.Equal(Bits(ReferencePrecisionAt(scores, labels, k)), Bits(RankMetrics.PrecisionAt(scores, labels, k)));
        });

    [Fact]
    public void ScoreTally_PairsAddedOwnerByOwner_SameAucAsAllPairsTogether() =>
        // The evaluator pools each owner's sorted groups in a tally; a tiny capacity forces many merges and growths.
        _pairs.Array[1, 12].Sample(owners =>
        {
            var tally = new ScoreTally(capacity: 2);
            foreach (var owner in owners)
            {
                var scores = owner.Select(p => p.Score).ToArray();
                var labels = owner.Select(p => p.Label).ToArray();
                RankMetrics.Sort(scores, labels);
                RankMetrics.AddGroups(scores, labels, tally);
            }

            var all = owners.SelectMany(o => o).ToArray();
            Assert.Equal(all.Length, tally.Pairs);
            Assert.Equal(all.Count(p => p.Label), tally.Positives);
            Assert.Equal(Bits(ReferenceAuc([.. all.Select(p => p.Score)], [.. all.Select(p => p.Label)])), Bits(tally.Auc()));
        });

    private static long Bits(double value) => BitConverter.DoubleToInt64Bits(value);

    // RankMetrics.Auc before it sorted by value: an index sort with a comparison delegate, then one walk.
    private static double ReferenceAuc(double[] scores, bool[] labels)
    {
        var order = Enumerable.Range(0, scores.Length).ToArray();
        Array.Sort(order, (a, b) => scores[a].CompareTo(scores[b]));
        double positives = 0;
        double rankSum = 0;
        var start = 0;
        while (start < order.Length)
        {
            var end = start;
            while (end + 1 < order.Length && scores[order[end + 1]].Equals(scores[order[start]]))
            {
                end++;
            }

            var averageRank = ((start + end) / 2.0) + 1;
            for (var i = start; i <= end; i++)
            {
                if (labels[order[i]])
                {
                    positives++;
                    rankSum += averageRank;
                }
            }

            start = end + 1;
        }

        var negatives = order.Length - positives;
        return positives == 0 || negatives == 0
            ? double.NaN
            : (rankSum - (positives * (positives + 1) / 2)) / (positives * negatives);
    }

    // RankMetrics.PrecisionAt before: a stable descending order, then the ties at the cut shared out.
    private static double ReferencePrecisionAt(double[] scores, bool[] labels, int k)
    {
        if (scores.Length == 0)
        {
            return double.NaN;
        }

        var take = Math.Min(k, scores.Length);
        var order = Enumerable.Range(0, scores.Length).OrderByDescending(i => scores[i]).ToArray();
        double hits = 0;
        var placed = 0;
        var start = 0;
        while (placed < take)
        {
            var end = start;
            while (end + 1 < order.Length && scores[order[end + 1]].Equals(scores[order[start]]))
            {
                end++;
            }

            var group = end - start + 1;
            var room = Math.Min(group, take - placed);
            var groupPositives = 0;
            for (var i = start; i <= end; i++)
            {
                groupPositives += labels[order[i]] ? 1 : 0;
            }

            hits += groupPositives * (room / (double)group);
            placed += room;
            start = end + 1;
        }

        return hits / take;
    }
}
