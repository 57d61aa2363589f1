using TiesOffice.Domain.Ties;

namespace TiesOffice.Domain.Tests;

public class NudgePolicyTests
{
    private static readonly DateTimeOffset _wednesday = new(2024, 5, 15, 12, 0, 0, TimeSpan.Zero);

    private static Tie Tie(string contact, TieTier tier, double daysSince, double score = 1, ReplyOwed owed = ReplyOwed.Nobody, int unanswered = 0, TieTrend trend = TieTrend.Steady) =>
        new(
            contact,
            tier,
            score,
            new Reciprocity(3, 3, 1, null, null, null, null, null, null, owed, unanswered),
            new Portability(1, PortabilityClass.Personal),
            _wednesday.AddDays(-daysSince),
            TimeSpan.FromDays(14),
            trend,
            new TieWhy(tier, WhyRule.NoContactLastMonth, 1, 1, (int)daysSince, 14, null, 3, 3, 1, 1, HasMet: false),
            IsAutomated: false,
            IsOverridden: false);

    [Fact]
    public void Plan_ManyCandidates_RespectsBudgetAndSpreadsOverTheWeek()
    {
        var ties = Enumerable.Range(0, 10).Select(i => Tie($"c{i}@x.com", TieTier.Weak, 60, score: i)).ToList();
        var plan = NudgePolicy.Plan(ties, null, _wednesday);
        Assert.Equal(NudgePolicy.DefaultWeeklyBudget, plan.Count);
        Assert.Equal(plan.Count, plan.Select(n => n.Day).Distinct().Count());
        Assert.All(plan, n => Assert.InRange(n.Day, new DateOnly(2024, 5, 13), new DateOnly(2024, 5, 17)));
        Assert.Equal("c9@x.com", plan[0].Contact);
    }

    [Fact]
    public void Plan_PseudoTies_AreNeverSuggested()
    {
        var plan = NudgePolicy.Plan([Tie("p@x.com", TieTier.Pseudo, 60, owed: ReplyOwed.Owner)], null, _wednesday);
        Assert.Empty(plan);
    }

    [Fact]
    public void Plan_TwoUnansweredMessages_SuggestsAnotherRoute()
    {
        var plan = NudgePolicy.Plan([Tie("a@x.com", TieTier.Weak, 60, unanswered: 2)], null, _wednesday);
        Assert.Equal(NudgeRoute.AnotherRoute, Assert.Single(plan).Route);
    }

    [Fact]
    public void Plan_MutedSnoozedAndManualPseudo_AreSkipped()
    {
        var ties = new[] { Tie("a@x.com", TieTier.Weak, 60), Tie("b@x.com", TieTier.Weak, 60), Tie("c@x.com", TieTier.Weak, 60) };
        var overrides = new[]
        {
            new ContactOverride("a@x.com", Muted: true),
            new ContactOverride("b@x.com", SnoozedUntil: _wednesday.AddDays(3)),
            new ContactOverride("c@x.com", Tier: TieTier.Pseudo),
        };
        Assert.Empty(NudgePolicy.Plan(ties, overrides, _wednesday));
    }

    [Fact]
    public void Plan_CadenceOverride_ReplacesTheRhythm()
    {
        var tie = Tie("a@x.com", TieTier.Weak, 10);
        Assert.Empty(NudgePolicy.Plan([tie], null, _wednesday));
        var plan = NudgePolicy.Plan([tie], [new ContactOverride("a@x.com", Cadence: TimeSpan.FromDays(3))], _wednesday);
        Assert.Equal(NudgeKind.CoolingWeakTie, Assert.Single(plan).Kind);
    }

    [Fact]
    public void Plan_ReplyOwed_ComesFirst()
    {
        var ties = new[] { Tie("a@x.com", TieTier.Weak, 60, score: 9), Tie("b@x.com", TieTier.Weak, 2, score: 1, owed: ReplyOwed.Owner) };
        var plan = NudgePolicy.Plan(ties, null, _wednesday);
        Assert.Equal(NudgeKind.ReplyOwed, plan[0].Kind);
        Assert.Equal("b@x.com", plan[0].Contact);
    }

    [Fact]
    public void Plan_PositionBasedFlag_SuggestsAOneToOne()
    {
        var plan = NudgePolicy.Plan([Tie("a@x.com", TieTier.Dormant, 400)], [new ContactOverride("a@x.com", PositionBased: true)], _wednesday);
        Assert.Equal(NudgeRoute.ProposeOneToOne, Assert.Single(plan).Route);
    }
}
