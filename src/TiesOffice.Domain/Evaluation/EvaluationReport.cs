using TiesOffice.Domain.Ties;

namespace TiesOffice.Domain.Evaluation;

/// <summary>One figure for the engine and for each baseline of the protocol.</summary>
/// <param name="Engine">The tie engine's score.</param>
/// <param name="Count">Baseline: direct messages between owner and candidate before the cut.</param>
/// <param name="Recency">Baseline: minus the days since the last direct message.</param>
/// <param name="Weeks26">Baseline: distinct weeks with a direct message in the 26 weeks before the cut.</param>
public sealed record ScorerFigures(double Engine, double Count, double Recency, double Weeks26)
{
    /// <summary>The best of the three baselines.</summary>
    public double BestBaseline => Math.Max(Count, Math.Max(Recency, Weeks26));
}

/// <summary>How often ties of one tier turned out reciprocal in the horizon.</summary>
/// <param name="N">Pairs in the tier.</param>
/// <param name="Positives">Those of them with a message each way in the horizon.</param>
public sealed record TierCalibration(int N, int Positives)
{
    /// <summary>The share of the tier's pairs that were reciprocal (NaN when the tier is empty).</summary>
    public double ReciprocalShare => N == 0 ? double.NaN : Positives / (double)N;
}

/// <summary>The results at one cut-off date.</summary>
/// <param name="Cut">The cut-off date T.</param>
/// <param name="Owners">Owners: sent before T and in [T, T+H).</param>
/// <param name="Candidates">(owner, candidate) pairs.</param>
/// <param name="Positives">Pairs reciprocal in [T, T+H).</param>
/// <param name="Auc">Pooled ROC AUC with average ranks for ties.</param>
/// <param name="OwnerAuc">Mean per-owner AUC over owners with both positives and negatives.</param>
/// <param name="PrecisionAt5">Mean per-owner precision at 5 over owners with at least one positive.</param>
/// <param name="Tiers">The engine's tier calibration.</param>
public sealed record CutResult(
    DateOnly Cut,
    int Owners,
    int Candidates,
    int Positives,
    ScorerFigures Auc,
    ScorerFigures OwnerAuc,
    ScorerFigures PrecisionAt5,
    IReadOnlyDictionary<TieTier, TierCalibration> Tiers);

/// <summary>The whole evaluation: every cut and the means over cuts.</summary>
/// <param name="HorizonDays">The horizon H.</param>
/// <param name="Cuts">Per-cut results, in date order.</param>
/// <param name="MeanAuc">Mean pooled AUC over the cuts where it is defined (NaN when it is nowhere).</param>
/// <param name="MeanOwnerAuc">Mean per-owner AUC over the cuts where it is defined.</param>
/// <param name="MeanPrecisionAt5">Mean precision at 5 over the cuts where it is defined.</param>
/// <param name="PooledTiers">The engine's tier calibration over the pairs of all cuts together.</param>
/// <param name="Messages">Messages in the log.</param>
/// <param name="LastMessage">The latest message of the log (null for an empty log).</param>
public sealed record EvaluationReport(
    int HorizonDays,
    IReadOnlyList<CutResult> Cuts,
    ScorerFigures MeanAuc,
    ScorerFigures MeanOwnerAuc,
    ScorerFigures MeanPrecisionAt5,
    IReadOnlyDictionary<TieTier, TierCalibration> PooledTiers,
    int Messages,
    DateTimeOffset? LastMessage);
