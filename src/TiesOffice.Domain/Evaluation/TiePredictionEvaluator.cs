using TiesOffice.Domain.Metadata;
using TiesOffice.Domain.Ties;

namespace TiesOffice.Domain.Evaluation;

/// <summary>
/// The tie-prediction protocol of <c>shared/data/README.md</c>: for each cut T, owners who sent mail before T and in
/// [T, T+H); as candidates every address on a message with the owner before T; scores only from the owner's mailbox
/// before T; label = a message each way in [T, T+H); pooled and per-owner AUC with average ranks, precision at 5,
/// and the baselines <c>count</c>, <c>recency</c> and <c>weeks26</c>.
/// </summary>
/// <remarks>
/// The engine is run the way the product runs it: one <see cref="TieLedger"/> per owner, fed incrementally in time
/// order, scored at each cut. Baselines are computed independently from the raw log.
/// </remarks>
public static class TiePredictionEvaluator
{
    private const long SecondsPerWeek = 7 * 86_400;

    /// <summary>Runs the protocol.</summary>
    /// <param name="log">The whole-organisation log, in any order.</param>
    /// <param name="cuts">The cut-off dates (UTC midnight).</param>
    /// <param name="horizonDays">The horizon H in days.</param>
    /// <param name="progress">Receives the share of messages processed, 0 to 1.</param>
    /// <returns>The report.</returns>
    public static EvaluationReport Evaluate(IReadOnlyList<MailMessage> log, IReadOnlyList<DateOnly> cuts, int horizonDays, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(cuts);
        ArgumentOutOfRangeException.ThrowIfLessThan(horizonDays, 1);
        if (cuts.Count == 0)
        {
            throw new ArgumentException("At least one cut is needed.", nameof(cuts));
        }

        var messages = log.OrderBy(m => m.SentAt).ThenBy(m => m.Id, StringComparer.Ordinal).ToArray();
        var senders = messages.Select(m => m.From).ToHashSet(StringComparer.Ordinal);
        var ledgers = new Dictionary<string, TieLedger>(StringComparer.Ordinal);
        var sentBefore = new HashSet<string>(StringComparer.Ordinal);
        var results = new List<CutResult>();
        var next = 0;
        foreach (var cut in cuts.Distinct().Order())
        {
            var t = new DateTimeOffset(cut.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            for (; next < messages.Length && messages[next].SentAt < t; next++)
            {
                Feed(messages[next], senders, ledgers, sentBefore);
                if ((next & 1023) == 0)
                {
                    progress?.Report(next / (double)messages.Length);
                }
            }

            results.Add(EvaluateCut(messages, next, t, horizonDays, sentBefore, ledgers));
        }

        progress?.Report(1);
        var pooledTiers = Enum.GetValues<TieTier>().ToDictionary(
            tier => tier,
            tier => new TierCalibration(results.Sum(r => r.Tiers[tier].N), results.Sum(r => r.Tiers[tier].Positives)));
        return new EvaluationReport(
            horizonDays,
            results,
            Mean(results, r => r.Auc),
            Mean(results, r => r.OwnerAuc),
            Mean(results, r => r.PrecisionAt5),
            pooledTiers,
            messages.Length,
            messages.Length == 0 ? null : messages[^1].SentAt);
    }

    private static void Feed(MailMessage message, HashSet<string> senders, Dictionary<string, TieLedger> ledgers, HashSet<string> sentBefore)
    {
        sentBefore.Add(message.From);
        LedgerFor(message.From, senders, ledgers)?.Add(message);
        foreach (var list in new[] { message.To, message.Cc, message.Bcc })
        {
            foreach (var recipient in list)
            {
                if (!string.Equals(recipient, message.From, StringComparison.Ordinal))
                {
                    LedgerFor(recipient, senders, ledgers)?.Add(message);
                }
            }
        }
    }

    private static TieLedger? LedgerFor(string address, HashSet<string> senders, Dictionary<string, TieLedger> ledgers)
    {
        if (!senders.Contains(address))
        {
            return null;
        }

        if (!ledgers.TryGetValue(address, out var ledger))
        {
            ledger = new TieLedger(address);
            ledgers.Add(address, ledger);
        }

        return ledger;
    }

    private static CutResult EvaluateCut(MailMessage[] messages, int cutIndex, DateTimeOffset t, int horizonDays, HashSet<string> sentBefore, Dictionary<string, TieLedger> ledgers)
    {
        var end = t.AddDays(horizonDays);
        var sentAfter = new HashSet<string>(StringComparer.Ordinal);
        var directed = new HashSet<(string From, string To)>();
        for (var i = cutIndex; i < messages.Length && messages[i].SentAt < end; i++)
        {
            var m = messages[i];
            sentAfter.Add(m.From);
            foreach (var r in Recipients(m))
            {
                directed.Add((m.From, r));
            }
        }

        var owners = sentBefore.Where(sentAfter.Contains).Order(StringComparer.Ordinal).ToList();
        var baselines = Baselines(messages, cutIndex, t, owners.ToHashSet(StringComparer.Ordinal));
        var pooled = new Scored();
        var ownerAuc = new double[4];
        var ownerAucCount = 0;
        var precision = new double[4];
        var precisionCount = 0;
        var tierN = new Dictionary<TieTier, (int N, int Positive)>();
        foreach (var owner in owners)
        {
            var scored = new Scored();
            foreach (var tie in ledgers[owner].Score(t))
            {
                var label = directed.Contains((owner, tie.Contact)) && directed.Contains((tie.Contact, owner));
                baselines.TryGetValue((owner, tie.Contact), out var b);
                var days = b.Count == 0 ? double.NegativeInfinity : -(t.ToUnixTimeSeconds() - b.Last) / 86_400.0;
                scored.Add(label, tie.Score, b.Count, days, System.Numerics.BitOperations.PopCount(b.Weeks));
                tierN.TryGetValue(tie.Tier, out var n);
                tierN[tie.Tier] = (n.N + 1, n.Positive + (label ? 1 : 0));
            }

            pooled.AddAll(scored);
            if (scored.Positives > 0 && scored.Positives < scored.Labels.Count)
            {
                for (var s = 0; s < 4; s++)
                {
                    ownerAuc[s] += RankMetrics.Auc(scored.Scores[s], scored.Labels);
                }

                ownerAucCount++;
            }

            if (scored.Positives > 0)
            {
                for (var s = 0; s < 4; s++)
                {
                    precision[s] += RankMetrics.PrecisionAt(scored.Scores[s], scored.Labels, 5);
                }

                precisionCount++;
            }
        }

        var auc = new double[4];
        for (var s = 0; s < 4; s++)
        {
            auc[s] = RankMetrics.Auc(pooled.Scores[s], pooled.Labels);
        }

        var tiers = Enum.GetValues<TieTier>().ToDictionary(
            tier => tier,
            tier => tierN.TryGetValue(tier, out var n) ? new TierCalibration(n.N, n.Positive) : new TierCalibration(0, 0));
        return new CutResult(
            DateOnly.FromDateTime(t.UtcDateTime),
            owners.Count,
            pooled.Labels.Count,
            pooled.Positives,
            Figures(auc, 1),
            Figures(ownerAuc, ownerAucCount),
            Figures(precision, precisionCount),
            tiers);
    }

    private static Dictionary<(string Owner, string Contact), Baseline> Baselines(MailMessage[] messages, int cutIndex, DateTimeOffset t, HashSet<string> owners)
    {
        var cut = t.ToUnixTimeSeconds();
        var result = new Dictionary<(string, string), Baseline>();
        for (var i = 0; i < cutIndex; i++)
        {
            var m = messages[i];
            var sent = m.SentAt.ToUnixTimeSeconds();
            var weekBack = (cut - sent) / SecondsPerWeek;
            var weekBit = weekBack < 26 ? 1u << (int)weekBack : 0u;
            foreach (var r in Recipients(m))
            {
                if (owners.Contains(m.From))
                {
                    Update(result, (m.From, r), sent, weekBit);
                }

                if (owners.Contains(r))
                {
                    Update(result, (r, m.From), sent, weekBit);
                }
            }
        }

        return result;
    }

    private static void Update(Dictionary<(string, string), Baseline> baselines, (string, string) key, long sent, uint weekBit)
    {
        baselines.TryGetValue(key, out var b);
        baselines[key] = new Baseline(b.Count + 1, Math.Max(b.Count == 0 ? long.MinValue : b.Last, sent), b.Weeks | weekBit);
    }

    private static IEnumerable<string> Recipients(MailMessage m) =>
        m.To.Concat(m.Cc).Concat(m.Bcc).Where(r => !string.Equals(r, m.From, StringComparison.Ordinal)).Distinct(StringComparer.Ordinal);

    private static ScorerFigures Figures(double[] sums, int count) =>
        count == 0
            ? new ScorerFigures(double.NaN, double.NaN, double.NaN, double.NaN)
            : new ScorerFigures(sums[0] / count, sums[1] / count, sums[2] / count, sums[3] / count);

    // A cut without owners (or without both classes) has no figure; the mean is over the cuts that have one.
    private static ScorerFigures Mean(List<CutResult> results, Func<CutResult, ScorerFigures> pick) => new(
        MeanOfDefined(results.Select(r => pick(r).Engine)),
        MeanOfDefined(results.Select(r => pick(r).Count)),
        MeanOfDefined(results.Select(r => pick(r).Recency)),
        MeanOfDefined(results.Select(r => pick(r).Weeks26)));

    private static double MeanOfDefined(IEnumerable<double> values)
    {
        var defined = values.Where(v => !double.IsNaN(v)).ToList();
        return defined.Count == 0 ? double.NaN : defined.Average();
    }

    private readonly record struct Baseline(int Count, long Last, uint Weeks);

    private sealed class Scored
    {
        public List<double>[] Scores { get; } = [[], [], [], []];

        public List<bool> Labels { get; } = [];

        public int Positives { get; private set; }

        public void Add(bool label, double engine, double count, double recency, double weeks)
        {
            Labels.Add(label);
            Positives += label ? 1 : 0;
            Scores[0].Add(engine);
            Scores[1].Add(count);
            Scores[2].Add(recency);
            Scores[3].Add(weeks);
        }

        public void AddAll(Scored other)
        {
            Labels.AddRange(other.Labels);
            Positives += other.Positives;
            for (var s = 0; s < 4; s++)
            {
                Scores[s].AddRange(other.Scores[s]);
            }
        }
    }
}
