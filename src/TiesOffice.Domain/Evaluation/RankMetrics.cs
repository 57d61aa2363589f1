namespace TiesOffice.Domain.Evaluation;

/// <summary>ROC AUC with average ranks for tied scores, and precision at k with ties shared out evenly.</summary>
public static class RankMetrics
{
    /// <summary>The ROC AUC of scores against labels; tied scores get the average of their ranks.</summary>
    /// <param name="scores">Scores (higher means more likely positive).</param>
    /// <param name="labels">Labels, same length.</param>
    /// <returns>The AUC, or NaN when either class is empty.</returns>
    public static double Auc(IReadOnlyList<double> scores, IReadOnlyList<bool> labels)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(labels);
        if (scores.Count != labels.Count)
        {
            throw new ArgumentException("Scores and labels must have the same length.", nameof(labels));
        }

        var order = new int[scores.Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

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
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if (scores.Count == 0)
        {
            return double.NaN;
        }

        var take = Math.Min(k, scores.Count);
        var order = Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).ToArray();
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
