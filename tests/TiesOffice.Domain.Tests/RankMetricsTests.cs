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
}
