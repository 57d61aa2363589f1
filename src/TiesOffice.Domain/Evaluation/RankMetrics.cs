namespace TiesOffice.Domain.Evaluation;

/// <summary>ROC AUC with average ranks for tied scores, and precision at k with ties shared out evenly.</summary>
/// <remarks>
/// Both figures depend only on how many positives and negatives share each distinct score, taken in score order, so
/// they are computed from scores sorted together with their labels (a value-type sort, no comparison delegate) and
/// walked group by group. The evaluator feeds the same groups to a <see cref="ScoreTally"/> for its pooled AUC, which
/// therefore sums exactly the same terms in the same order.
/// </remarks>
public static class RankMetrics
{
    /// <summary>The ROC AUC of scores against labels; tied scores get the average of their ranks.</summary>
    /// <param name="scores">Scores (higher means more likely positive).</param>
    /// <param name="labels">Labels, same length.</param>
    /// <returns>The AUC, or NaN when either class is empty.</returns>
    public static double Auc(IReadOnlyList<double> scores, IReadOnlyList<bool> labels)
    {
        var (sorted, sortedLabels) = SortedCopy(scores, labels);
        return AucOfSorted(sorted, sortedLabels);
    }

    /// <summary>
    /// Precision among the top k by score (k = min(k, count)). When tied scores straddle the cut, each tied item
    /// counts in proportion to the places left: the expected precision under a random order of ties.
    /// </summary>
    /// <param name="scores">Scores.</param>
    /// <param name="labels">Labels.</param>
    /// <param name="k">How many to take.</param>
    /// <returns>The precision, or NaN for no items.</returns>
    public static double PrecisionAt(IReadOnlyList<double> scores, IReadOnlyList<bool> labels, int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var (sorted, sortedLabels) = SortedCopy(scores, labels);
        return PrecisionAtOfSorted(sorted, sortedLabels, k);
    }

    /// <summary>Sorts scores ascending (NaN first, as <see cref="double.CompareTo(double)"/> orders them), carrying
    /// the labels along.</summary>
    internal static void Sort(Span<double> scores, Span<bool> labels) => scores.Sort(labels);

    /// <summary>The AUC of scores already sorted by <see cref="Sort"/>.</summary>
    internal static double AucOfSorted(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels)
    {
        var auc = new AucAccumulator();
        var start = 0;
        while (start < scores.Length)
        {
            var end = GroupEnd(scores, start);
            auc.AddGroup(end - start + 1, Positives(labels, start, end));
            start = end + 1;
        }

        return auc.Result;
    }

    /// <summary>Precision at k of scores already sorted by <see cref="Sort"/>; the top is at the end.</summary>
    internal static double PrecisionAtOfSorted(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels, int k)
    {
        if (scores.Length == 0)
        {
            return double.NaN;
        }

        var take = Math.Min(k, scores.Length);
        double hits = 0;
        var placed = 0;
        var end = scores.Length - 1;
        while (placed < take)
        {
            var start = GroupStart(scores, end);
            var group = end - start + 1;
            var room = Math.Min(group, take - placed);
            hits += Positives(labels, start, end) * (room / (double)group);
            placed += room;
            end = start - 1;
        }

        return hits / take;
    }

    /// <summary>Adds each distinct score of scores already sorted by <see cref="Sort"/> to a tally, with how many
    /// negatives and positives have it.</summary>
    internal static void AddGroups(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels, ScoreTally tally)
    {
        var start = 0;
        while (start < scores.Length)
        {
            var end = GroupEnd(scores, start);
            var positives = Positives(labels, start, end);
            tally.Add(scores[start], end - start + 1 - positives, positives);
            start = end + 1;
        }
    }

    private static (double[] Scores, bool[] Labels) SortedCopy(IReadOnlyList<double> scores, IReadOnlyList<bool> labels)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(labels);
        if (scores.Count != labels.Count)
        {
            throw new ArgumentException("Scores and labels must have the same length.", nameof(labels));
        }

        var sorted = scores.ToArray();
        var sortedLabels = labels.ToArray();
        Sort(sorted, sortedLabels);
        return (sorted, sortedLabels);
    }

    // Equal scores (double.Equals: NaN equals NaN, 0 equals -0) are adjacent once sorted.
    private static int GroupEnd(ReadOnlySpan<double> scores, int start)
    {
        var end = start;
        while (end + 1 < scores.Length && scores[end + 1].Equals(scores[start]))
        {
            end++;
        }

        return end;
    }

    private static int GroupStart(ReadOnlySpan<double> scores, int end)
    {
        var start = end;
        while (start > 0 && scores[start - 1].Equals(scores[end]))
        {
            start--;
        }

        return start;
    }

    private static int Positives(ReadOnlySpan<bool> labels, int start, int end)
    {
        var positives = 0;
        for (var i = start; i <= end; i++)
        {
            positives += labels[i] ? 1 : 0;
        }

        return positives;
    }
}

/// <summary>
/// The AUC with average ranks, fed one group of equal scores at a time in ascending score order. Each positive adds
/// its group's average rank separately, so the sum is bit-for-bit the one a walk over every item gives.
/// </summary>
internal struct AucAccumulator
{
    private long _seen;
    private double _positives;
    private double _rankSum;

    /// <summary>Adds the next group of equal scores.</summary>
    /// <param name="size">How many items share the score.</param>
    /// <param name="positives">How many of them are positive.</param>
    public void AddGroup(long size, long positives)
    {
        var start = _seen;
        var end = start + size - 1;
        var averageRank = ((start + end) / 2.0) + 1;
        for (var i = 0L; i < positives; i++)
        {
            _positives++;
            _rankSum += averageRank;
        }

        _seen += size;
    }

    /// <summary>The AUC, or NaN when either class is empty.</summary>
    public readonly double Result
    {
        get
        {
            var negatives = _seen - _positives;
            return _positives == 0 || negatives == 0
                ? double.NaN
                : (_rankSum - (_positives * (_positives + 1) / 2)) / (_positives * negatives);
        }
    }
}
