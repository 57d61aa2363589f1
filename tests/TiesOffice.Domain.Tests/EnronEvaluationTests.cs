using TiesOffice.Domain.Evaluation;
using TiesOffice.Domain.MailLog;
using TiesOffice.Domain.Metadata;
using TiesOffice.Domain.Ties;

namespace TiesOffice.Domain.Tests;

/// <summary>
/// The protocol on the real Enron log, and on variants that stand in for other organisations: no subjects or
/// conversation ids, another decade, half the mail, one row per recipient, another pace, ids instead of addresses,
/// other horizons. The same engine must beat every baseline on each.
/// </summary>
public class EnronEvaluationTests
{
    private static readonly DateOnly[] _cuts = [new(2001, 1, 1), new(2001, 4, 1), new(2001, 7, 1), new(2001, 10, 1)];
    private static readonly Lazy<List<MailMessage>> _log = new(() =>
    {
        var path = Path.Combine(TestPaths.SharedData, "enron", "messages.tsv");
        using var reader = new StreamReader(path);
        return MailLogReader.ReadMessages(reader, path).ToList();
    });

    private static void AssertBeatsEveryBaseline(EvaluationReport report)
    {
        Assert.True(report.MeanAuc.Engine > report.MeanAuc.BestBaseline, $"AUC {report.MeanAuc}");
        Assert.True(report.MeanOwnerAuc.Engine > report.MeanOwnerAuc.BestBaseline, $"owner AUC {report.MeanOwnerAuc}");
        Assert.True(report.MeanPrecisionAt5.Engine > report.MeanPrecisionAt5.BestBaseline, $"P@5 {report.MeanPrecisionAt5}");
    }

    private static double Share(EvaluationReport report, TieTier tier)
    {
        var n = report.Cuts.Sum(c => c.Tiers[tier].N);
        return report.Cuts.Sum(c => c.Tiers[tier].N * c.Tiers[tier].ReciprocalShare) / n;
    }

    [Fact]
    public void Evaluate_EnronTestCuts_BeatsEveryBaselineWithMonotoneTiers()
    {
        var report = TiePredictionEvaluator.Evaluate(_log.Value, _cuts, 90);
        AssertBeatsEveryBaseline(report);
        Assert.True(Share(report, TieTier.Strong) > Share(report, TieTier.Weak));
        Assert.True(Share(report, TieTier.Weak) > Share(report, TieTier.Dormant));
        Assert.True(Share(report, TieTier.Dormant) > Share(report, TieTier.Pseudo));
        Assert.All(report.Cuts, c => Assert.True(c.Owners > 0 && c.Positives > 0 && c.Positives < c.Candidates));
    }

    [Fact]
    public void Evaluate_OwnersInManySmallBatches_GivesTheSameReport()
    {
        // Owners are scored in batches so that huge logs fit in memory; batching must change nothing, not even the
        // order in which the pooled figures are summed.
        var whole = TiePredictionEvaluator.Evaluate(_log.Value, _cuts, 90);
        var batched = TiePredictionEvaluator.Evaluate(_log.Value, _cuts, 90, progress: null, contactsPerBatch: 2_000);

        Assert.Equal(whole.Cuts.Select(c => (c.Owners, c.Candidates, c.Positives)), batched.Cuts.Select(c => (c.Owners, c.Candidates, c.Positives)));
        Assert.Equal(whole.Cuts.Select(c => c.Auc), batched.Cuts.Select(c => c.Auc));
        Assert.Equal(whole.Cuts.Select(c => c.OwnerAuc), batched.Cuts.Select(c => c.OwnerAuc));
        Assert.Equal(whole.Cuts.Select(c => c.PrecisionAt5), batched.Cuts.Select(c => c.PrecisionAt5));
        Assert.Equal(whole.PooledTiers, batched.PooledTiers);
    }

    [Theory]
    [InlineData(30)]
    [InlineData(180)]
    public void Evaluate_OtherHorizons_StillBeatsEveryBaseline(int horizonDays) =>
        AssertBeatsEveryBaseline(TiePredictionEvaluator.Evaluate(_log.Value, _cuts, horizonDays));

    [Fact]
    public void Evaluate_NoSubjectsNoConversations_StillBeatsEveryBaseline()
    {
        var blank = _log.Value.Select(m => m with { Subject = null, ConversationId = null }).ToList();
        AssertBeatsEveryBaseline(TiePredictionEvaluator.Evaluate(blank, _cuts, 90));
    }

    [Fact]
    public void Evaluate_ShiftedTwentyThreeYears_GivesTheSameResult()
    {
        // 1,200 whole weeks (23 years) later: results must not depend on the calendar era.
        var shift = TimeSpan.FromDays(8400);
        var shifted = _log.Value.Select(m => m with { SentAt = m.SentAt + shift }).ToList();
        var cuts = _cuts.Select(c => c.AddDays(8400)).ToArray();
        var original = TiePredictionEvaluator.Evaluate(_log.Value, _cuts, 90);
        var later = TiePredictionEvaluator.Evaluate(shifted, cuts, 90);
        AssertBeatsEveryBaseline(later);
        Assert.Equal(original.MeanAuc.Engine, later.MeanAuc.Engine, 9);
        Assert.Equal(original.MeanPrecisionAt5.Engine, later.MeanPrecisionAt5.Engine, 9);
    }

    [Fact]
    public void Evaluate_HalfTheMail_StillBeatsEveryBaseline()
    {
        var sample = _log.Value.Where((_, i) => i % 2 == 0).ToList();
        AssertBeatsEveryBaseline(TiePredictionEvaluator.Evaluate(sample, _cuts, 90));
    }

    [Fact]
    public void Evaluate_OneRowPerRecipient_StillBeatsEveryBaseline()
    {
        // Public mail datasets are often edge lists: one row per sender and recipient, no subject, no thread. Split
        // that way, a message to twenty people reads as twenty one-to-one messages and co-recipients disappear.
        var split = _log.Value
            .SelectMany(m => m.To.Concat(m.Cc).Select((to, i) => m with
            {
                Id = $"{m.Id}-{i}",
                To = [to],
                Cc = [],
                Subject = null,
                ConversationId = null,
            }))
            .ToList();
        AssertBeatsEveryBaseline(TiePredictionEvaluator.Evaluate(split, _cuts, 90));
    }

    [Fact]
    public void Evaluate_PseudonymisedIds_GivesTheSameRanking()
    {
        // A pseudonymised export names people by opaque ids instead of addresses. Nothing in the score reads an
        // address (Enron has no no-reply senders), so the figures must not move.
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        string Id(string address) => ids.TryGetValue(address, out var id) ? id : ids[address] = $"p{ids.Count}";
        var pseudonymised = _log.Value
            .Select(m => m with { From = Id(m.From), To = m.To.Select(Id).ToList(), Cc = m.Cc.Select(Id).ToList() })
            .ToList();
        var original = TiePredictionEvaluator.Evaluate(_log.Value, _cuts, 90);
        var report = TiePredictionEvaluator.Evaluate(pseudonymised, _cuts, 90);
        Assert.DoesNotContain(pseudonymised, m => m.From.Contains('@', StringComparison.Ordinal));
        Assert.Equal(original.MeanAuc.Engine, report.MeanAuc.Engine, 9);
        Assert.Equal(original.MeanPrecisionAt5.Engine, report.MeanPrecisionAt5.Engine, 9);
        AssertBeatsEveryBaseline(report);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(2.0)]
    public void Evaluate_OrganisationAtAnotherPace_StillBeatsEveryBaseline(double stretch)
    {
        // The same mail at twice or half the pace: every gap between messages scaled, and the cuts and the horizon
        // with it. The engine's half-lives stay in calendar days, so this checks they are not tuned to Enron's pace.
        var start = _log.Value.Min(m => m.SentAt);
        DateTimeOffset Scale(DateTimeOffset t) => start + ((t - start) * stretch);
        var paced = _log.Value.Select(m => m with { SentAt = Scale(m.SentAt) }).ToList();
        var cuts = _cuts
            .Select(c => DateOnly.FromDateTime(Scale(new DateTimeOffset(c.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)).UtcDateTime))
            .ToArray();
        AssertBeatsEveryBaseline(TiePredictionEvaluator.Evaluate(paced, cuts, (int)(90 * stretch)));
    }

    [Fact]
    public void Evaluate_SyntheticOrganisationWithoutSubjects_BeatsEveryBaseline()
    {
        var log = SyntheticOrganisation.Generate(seed: 7);
        var folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "tiesoffice-synthetic-org")).FullName;
        File.WriteAllText(Path.Combine(folder, "messages.tsv"), SyntheticOrganisation.ToTsv(log));
        DateOnly[] cuts = [new(2020, 1, 6), new(2020, 4, 6), new(2020, 7, 6), new(2020, 10, 5)];
        var report = TiePredictionEvaluator.Evaluate(log, cuts, 60);
        AssertBeatsEveryBaseline(report);
        Assert.True(Share(report, TieTier.Strong) > Share(report, TieTier.Pseudo));
    }
}
