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
/// order, scored at each cut. Baselines are computed independently from the raw log. Owners are run in batches whose
/// ledgers fit in memory together, each batch reading the log again; the report is the same as in one pass.
/// </remarks>
public static class TiePredictionEvaluator
{
    private const long SecondsPerWeek = 7 * 86_400;

    /// <summary>Runs the protocol.</summary>
    /// <param name="log">The whole-organisation log, in any order.</param>
    /// <param name="cuts">The cut-off dates (UTC midnight).</param>
    /// <param name="horizonDays">The horizon H in days.</param>
    /// <param name="progress">Receives the share of the work done, 0 to 1.</param>
    /// <returns>The report.</returns>
    public static EvaluationReport Evaluate(IReadOnlyList<MailMessage> log, IReadOnlyList<DateOnly> cuts, int horizonDays, IProgress<double>? progress = null) =>
        Evaluate(log, cuts, horizonDays, progress, ContactsPerBatch);

    /// <summary>Runs the protocol with owners taken in batches of at most about <paramref name="contactsPerBatch"/>
    /// contacts together (tests use a small figure to check that batching changes nothing).</summary>
    internal static EvaluationReport Evaluate(IReadOnlyList<MailMessage> log, IReadOnlyList<DateOnly> cuts, int horizonDays, IProgress<double>? progress, long contactsPerBatch)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(cuts);
        ArgumentOutOfRangeException.ThrowIfLessThan(horizonDays, 1);
        if (cuts.Count == 0)
        {
            throw new ArgumentException("At least one cut is needed.", nameof(cuts));
        }

        var messages = log.OrderBy(m => m.SentAt).ThenBy(m => m.Id, StringComparer.Ordinal).ToArray();

        // What each cut needs from the log (its owners, labels and baselines) does not depend on the engine.
        var plans = new List<CutPlan>();
        var sentBefore = new HashSet<string>(StringComparer.Ordinal);
        var next = 0;
        foreach (var cut in cuts.Distinct().Order())
        {
            var t = new DateTimeOffset(cut.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            for (; next < messages.Length && messages[next].SentAt < t; next++)
            {
                sentBefore.Add(messages[next].From);
            }

            plans.Add(PlanCut(messages, next, t, horizonDays, sentBefore));
        }

        // The engine side: one ledger per owner, fed in time order and scored at each cut. Owners are taken in
        // batches (contiguous in address order, so every list below is filled in the same order as in one pass)
        // small enough that their ledgers fit in memory together: a log whose all-company mail lists thousands of
        // people gives every one of them thousands of contacts.
        var batches = Batches(messages, plans, contactsPerBatch);
        for (var b = 0; b < batches.Count; b++)
        {
            var ledgers = batches[b].ToDictionary(o => o, o => new TieLedger(o), StringComparer.Ordinal);
            var fed = 0;
            foreach (var plan in plans)
            {
                for (; fed < plan.CutIndex; fed++)
                {
                    Feed(messages[fed], ledgers);
                    if ((fed & 1023) == 0)
                    {
                        progress?.Report((b + (fed / (double)messages.Length)) / batches.Count);
                    }
                }

                foreach (var owner in plan.Owners)
                {
                    if (ledgers.TryGetValue(owner, out var ledger))
                    {
                        plan.Add(owner, ledger);
                    }
                }
            }
        }

        progress?.Report(1);
        var results = plans.Select(p => p.Result()).ToList();
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

    // At most about 110 MB of contact records per batch (220 bytes each, or 40 for a contact known only from
    // co-presence), plus table slack. Once the scored pairs stopped costing memory, the batch's ledgers were most of
    // the peak; more batches cost little time, since each one only reads the messages again (docs/Benchmarks.md:
    // 2,000,000, 1,000,000 and 500,000 measured).
    private const long ContactsPerBatch = 500_000;

    private static List<List<string>> Batches(MailMessage[] messages, List<CutPlan> plans, long contactsPerBatch)
    {
        var owners = plans.SelectMany(p => p.Owners).Distinct().Order(StringComparer.Ordinal).ToList();
        var bound = owners.ToDictionary(o => o, _ => 0L, StringComparer.Ordinal);
        var people = new HashSet<string>(StringComparer.Ordinal);
        var last = plans.Count == 0 ? 0 : plans[^1].CutIndex;
        for (var i = 0; i < last; i++)
        {
            var m = messages[i];
            var participants = Recipients(m).Append(m.From).ToList();
            people.UnionWith(participants);
            foreach (var p in participants)
            {
                if (bound.TryGetValue(p, out var n))
                {
                    bound[p] = n + participants.Count - 1;
                }
            }
        }

        // Each owner's contacts are at most everybody else on its messages, and at most everybody in the log.
        var batches = new List<List<string>>();
        var current = new List<string>();
        var size = 0L;
        foreach (var owner in owners)
        {
            var contacts = Math.Min(bound[owner], people.Count);
            if (current.Count > 0 && size + contacts > contactsPerBatch)
            {
                batches.Add(current);
                current = [];
                size = 0;
            }

            current.Add(owner);
            size += contacts;
        }

        if (current.Count > 0 || batches.Count == 0)
        {
            batches.Add(current);
        }

        return batches;
    }

    private static void Feed(MailMessage message, Dictionary<string, TieLedger> ledgers)
    {
        if (ledgers.TryGetValue(message.From, out var sender))
        {
            sender.Add(message);
        }

        foreach (var list in new[] { message.To, message.Cc, message.Bcc })
        {
            foreach (var recipient in list)
            {
                if (!string.Equals(recipient, message.From, StringComparison.Ordinal) && ledgers.TryGetValue(recipient, out var ledger))
                {
                    ledger.Add(message);
                }
            }
        }
    }

    private static CutPlan PlanCut(MailMessage[] messages, int cutIndex, DateTimeOffset t, int horizonDays, HashSet<string> sentBefore)
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
        return new CutPlan(t, cutIndex, owners, Pairs(messages, cutIndex, t, owners, directed));
    }

    /// <summary>One cut: what the log says about it, and the figures gathered as owners are scored.</summary>
    private sealed class CutPlan(
        DateTimeOffset at,
        int cutIndex,
        List<string> owners,
        Dictionary<string, Dictionary<string, PairFacts>> pairs)
    {
        private const int Scorers = 4;

        // The pooled AUC needs every pair of the cut ranked together; a tally keeps them as distinct scores with
        // counts, which for logs with all-company mail is thousands of times smaller than the pairs themselves.
        private readonly ScoreTally[] _pooled = [new(), new(), new(), new()];
        private readonly double[] _ownerAuc = new double[Scorers];
        private readonly double[] _precision = new double[Scorers];
        private readonly int[] _tierPairs = new int[TierCount];
        private readonly int[] _tierPositives = new int[TierCount];
        private int _ownerAucCount;
        private int _precisionCount;

        // One owner's pairs, reused from owner to owner: each scorer's values, the labels, and the labels in the
        // order of the scorer's values once sorted.
        private double[][] _values = [[], [], [], []];
        private bool[] _labels = [];
        private bool[] _sortedLabels = [];

        public DateTimeOffset At => at;

        public int CutIndex => cutIndex;

        public List<string> Owners => owners;

        public void Add(string owner, TieLedger ledger)
        {
            var (scores, tiers) = ledger.ScoreTiers(at);
            var contacts = ledger.Contacts;
            var n = scores.Length;
            Reserve(n);
            var facts = pairs[owner];
            var cut = at.ToUnixTimeSeconds();
            var positives = 0;
            for (var i = 0; i < n; i++)
            {
                facts.TryGetValue(contacts[i], out var f);
                _labels[i] = f.Label;
                positives += f.Label ? 1 : 0;
                _values[0][i] = scores[i];
                _values[1][i] = f.Count;
                _values[2][i] = f.Count == 0 ? double.NegativeInfinity : -(cut - f.Last) / 86_400.0;
                _values[3][i] = System.Numerics.BitOperations.PopCount(f.Weeks);
                _tierPairs[(int)tiers[i]]++;
                _tierPositives[(int)tiers[i]] += f.Label ? 1 : 0;
            }

            for (var s = 0; s < Scorers; s++)
            {
                var values = _values[s].AsSpan(0, n);
                var labels = _sortedLabels.AsSpan(0, n);
                _labels.AsSpan(0, n).CopyTo(labels);
                RankMetrics.Sort(values, labels);
                RankMetrics.AddGroups(values, labels, _pooled[s]);
                if (positives > 0 && positives < n)
                {
                    _ownerAuc[s] += RankMetrics.AucOfSorted(values, labels);
                }

                if (positives > 0)
                {
                    _precision[s] += RankMetrics.PrecisionAtOfSorted(values, labels, 5);
                }
            }

            _ownerAucCount += positives > 0 && positives < n ? 1 : 0;
            _precisionCount += positives > 0 ? 1 : 0;
        }

        public CutResult Result()
        {
            var auc = new double[Scorers];
            for (var s = 0; s < Scorers; s++)
            {
                auc[s] = _pooled[s].Auc();
            }

            var tiers = Enum.GetValues<TieTier>().ToDictionary(
                tier => tier,
                tier => new TierCalibration(_tierPairs[(int)tier], _tierPositives[(int)tier]));
            return new CutResult(
                DateOnly.FromDateTime(at.UtcDateTime),
                owners.Count,
                (int)_pooled[0].Pairs,
                (int)_pooled[0].Positives,
                Figures(auc, 1),
                Figures(_ownerAuc, _ownerAucCount),
                Figures(_precision, _precisionCount),
                tiers);
        }

        private void Reserve(int n)
        {
            if (_labels.Length >= n)
            {
                return;
            }

            var size = Math.Max(n, _labels.Length * 2);
            for (var s = 0; s < Scorers; s++)
            {
                _values[s] = new double[size];
            }

            _labels = new bool[size];
            _sortedLabels = new bool[size];
        }
    }

    private static readonly int TierCount = Enum.GetValues<TieTier>().Max(t => (int)t) + 1;

    // What the log says about each (owner, contact) pair that has a direct message before the cut or a positive
    // label, by owner and then contact. A pair missing here has neither. Only these few pairs are kept, not every
    // candidate: a broadcast makes its recipients candidates of one another but not direct contacts.
    private static Dictionary<string, Dictionary<string, PairFacts>> Pairs(
        MailMessage[] messages, int cutIndex, DateTimeOffset t, List<string> owners, HashSet<(string From, string To)> directed)
    {
        var result = owners.ToDictionary(o => o, _ => new Dictionary<string, PairFacts>(StringComparer.Ordinal), StringComparer.Ordinal);
        var cut = t.ToUnixTimeSeconds();
        for (var i = 0; i < cutIndex; i++)
        {
            var m = messages[i];
            var sent = m.SentAt.ToUnixTimeSeconds();
            var weekBack = (cut - sent) / SecondsPerWeek;
            var weekBit = weekBack < 26 ? 1u << (int)weekBack : 0u;
            result.TryGetValue(m.From, out var sender);
            foreach (var r in Recipients(m))
            {
                if (sender is not null)
                {
                    Update(sender, r, sent, weekBit);
                }

                if (result.TryGetValue(r, out var recipient))
                {
                    Update(recipient, m.From, sent, weekBit);
                }
            }
        }

        // Label: at least one message each way within the horizon.
        foreach (var (from, to) in directed)
        {
            if (result.TryGetValue(from, out var sender) && directed.Contains((to, from)))
            {
                sender.TryGetValue(to, out var f);
                sender[to] = f with { Label = true };
            }
        }

        return result;
    }

    private static void Update(Dictionary<string, PairFacts> contacts, string contact, long sent, uint weekBit)
    {
        contacts.TryGetValue(contact, out var b);
        contacts[contact] = b with { Count = b.Count + 1, Last = Math.Max(b.Count == 0 ? long.MinValue : b.Last, sent), Weeks = b.Weeks | weekBit };
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

    /// <summary>A pair's baselines (direct messages before the cut: how many, the last one's time, the weeks of the
    /// last 26 with one, as bits) and its label.</summary>
    private readonly record struct PairFacts(int Count, long Last, uint Weeks, bool Label);
}
