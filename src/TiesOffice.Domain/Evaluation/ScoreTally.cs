namespace TiesOffice.Domain.Evaluation;

/// <summary>
/// A multiset of (score, label) pairs kept as distinct scores with how many negatives and positives have each: all
/// that the AUC with average ranks needs. The evaluator pools tens of millions of pairs per cut this way; a mailbox
/// gives most of its contacts a handful of distinct scores (everybody it only shared broadcasts with scores the same),
/// so the tally holds far fewer entries than pairs.
/// </summary>
/// <remarks>
/// Groups are appended as they come and, when the arrays fill, sorted by score and merged; the arrays double only when
/// merging leaves them more than half full. So the memory follows the number of distinct scores, 24 bytes each
/// plus slack, never the number of pairs.
/// </remarks>
internal sealed class ScoreTally
{
    private double[] _scores;
    private Counts[] _counts;
    private int _length;

    /// <summary>Creates an empty tally.</summary>
    /// <param name="capacity">Entries before the first merge (tests use a small figure to force merges).</param>
    public ScoreTally(int capacity = 4096)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 2);
        _scores = new double[capacity];
        _counts = new Counts[capacity];
    }

    /// <summary>How many pairs have been added.</summary>
    public long Pairs { get; private set; }

    /// <summary>How many of them are positive.</summary>
    public long Positives { get; private set; }

    /// <summary>Adds pairs that share one score.</summary>
    /// <param name="score">The score.</param>
    /// <param name="negatives">How many negatives have it.</param>
    /// <param name="positives">How many positives have it.</param>
    public void Add(double score, int negatives, int positives)
    {
        if (_length == _scores.Length)
        {
            Merge();
            if (_length > _scores.Length / 2)
            {
                Array.Resize(ref _scores, _scores.Length * 2);
                Array.Resize(ref _counts, _counts.Length * 2);
            }
        }

        _scores[_length] = score;
        _counts[_length] = new Counts(negatives, positives);
        _length++;
        Pairs += negatives + positives;
        Positives += positives;
    }

    /// <summary>The ROC AUC of every pair added, with average ranks for ties; NaN when either class is empty.</summary>
    public double Auc()
    {
        Merge();
        var auc = new AucAccumulator();
        for (var i = 0; i < _length; i++)
        {
            auc.AddGroup(_counts[i].Negatives + _counts[i].Positives, _counts[i].Positives);
        }

        return auc.Result;
    }

    // Sorts the entries by score (the order RankMetrics sorts in) and merges equal scores into one entry.
    private void Merge()
    {
        _scores.AsSpan(0, _length).Sort(_counts.AsSpan(0, _length));
        var kept = 0;
        for (var i = 0; i < _length; i++)
        {
            if (kept > 0 && _scores[kept - 1].Equals(_scores[i]))
            {
                _counts[kept - 1] = new Counts(_counts[kept - 1].Negatives + _counts[i].Negatives, _counts[kept - 1].Positives + _counts[i].Positives);
            }
            else
            {
                _scores[kept] = _scores[i];
                _counts[kept] = _counts[i];
                kept++;
            }
        }

        _length = kept;
    }

    private readonly record struct Counts(long Negatives, long Positives);
}
