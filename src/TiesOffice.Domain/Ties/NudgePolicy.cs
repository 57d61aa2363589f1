using TiesOffice.Domain.Metadata;

namespace TiesOffice.Domain.Ties;

/// <summary>What a suggestion is about.</summary>
public enum NudgeKind
{
    /// <summary>The contact wrote last and is waiting for an answer.</summary>
    ReplyOwed = 0,

    /// <summary>A weak tie has gone quiet for longer than its rhythm (or the user's cadence).</summary>
    CoolingWeakTie = 1,

    /// <summary>A dormant tie worth reactivating: past reciprocity, long silence.</summary>
    ReactivateDormant = 2,

    /// <summary>A weak tie that is warming up and could become strong.</summary>
    DeepenWeakTie = 3,
}

/// <summary>How to act on a suggestion.</summary>
public enum NudgeRoute
{
    /// <summary>Write to them: share something useful, congratulate, offer help.</summary>
    Write = 0,

    /// <summary>Propose a 1:1 meeting (for ties that live only through the role, or to deepen one).</summary>
    ProposeOneToOne = 1,

    /// <summary>They left the last two messages unanswered: do not write again; meet, call or go through a shared contact.</summary>
    AnotherRoute = 2,
}

/// <summary>One suggestion for the week.</summary>
/// <param name="Contact">Whom it is about.</param>
/// <param name="Kind">Why it is suggested.</param>
/// <param name="Route">How to act on it.</param>
/// <param name="Day">The day to show it (spread over the working week).</param>
/// <param name="Why">The tie's explanation.</param>
public sealed record Nudge(string Contact, NudgeKind Kind, NudgeRoute Route, DateOnly Day, TieWhy Why);

/// <summary>The pure nudge policy: given ties, overrides and a date, this week's suggestions.</summary>
public static class NudgePolicy
{
    /// <summary>Suggestions per week by default: few enough to act on (DESIGN.md, "weekly budget (default 3)").</summary>
    public const int DefaultWeeklyBudget = 3;

    // A reply is owed only while the conversation is fresh: two weeks, twice the 7-day reply window of the research.
    private const double ReplyOwedWithinDays = 14;

    // A weak tie is cooling once its silence passes one and a half rhythms: late, but far from the dormancy rule (8×).
    private const double CoolingRhythmMultiple = 1.5;

    // Without a rhythm, a weak tie is expected about monthly (Dunbar's 15-layer contact frequency [6]).
    private const double DefaultRhythmDays = 30;

    // Working days to spread suggestions over (Monday to Friday).
    private const int WorkingDays = 5;

    /// <summary>Plans this week's suggestions.</summary>
    /// <param name="ties">The owner's ties, as <see cref="TieLedger.Score"/> returns them.</param>
    /// <param name="overrides">The user's overrides; they win (muted and snoozed contacts are skipped, a manual tier or cadence replaces the inferred one).</param>
    /// <param name="asOf">Today; the week runs from the Monday on or before it.</param>
    /// <param name="weeklyBudget">The most suggestions to make.</param>
    /// <returns>At most <paramref name="weeklyBudget"/> suggestions, most urgent first, spread over the week.</returns>
    public static IReadOnlyList<Nudge> Plan(
        IEnumerable<Tie> ties,
        IEnumerable<ContactOverride>? overrides,
        DateTimeOffset asOf,
        int weeklyBudget = DefaultWeeklyBudget)
    {
        ArgumentNullException.ThrowIfNull(ties);
        ArgumentOutOfRangeException.ThrowIfNegative(weeklyBudget);
        var byContact = new Dictionary<string, ContactOverride>(StringComparer.Ordinal);
        foreach (var o in overrides ?? [])
        {
            byContact[MailAddress.Normalize(o.Contact)] = o;
        }

        var candidates = new List<(int Priority, double Score, string Contact, NudgeKind Kind, NudgeRoute Route, TieWhy Why)>();
        foreach (var tie in ties)
        {
            byContact.TryGetValue(tie.Contact, out var o);
            if (o is not null && (o.Muted || (o.SnoozedUntil is { } until && until > asOf)))
            {
                continue;
            }

            var tier = o?.Tier ?? tie.Tier;
            if (tier == TieTier.Pseudo || tie.IsAutomated)
            {
                continue;
            }

            var days = tie.LastContact is { } last ? (asOf - last).TotalDays : double.MaxValue;
            var rhythm = (o?.Cadence ?? tie.Rhythm)?.TotalDays ?? DefaultRhythmDays;
            var positionBased = o?.PositionBased ?? tie.Portability.Class == PortabilityClass.PositionBased;
            NudgeKind? kind = null;
            var priority = 0;
            if (tie.Reciprocity.Owed == ReplyOwed.Owner && days <= ReplyOwedWithinDays)
            {
                (kind, priority) = (NudgeKind.ReplyOwed, 0);
            }
            else if (tier is TieTier.Weak or TieTier.Strong && days > CoolingRhythmMultiple * Math.Max(rhythm, 1))
            {
                (kind, priority) = (NudgeKind.CoolingWeakTie, 1);
            }
            else if (tier == TieTier.Dormant)
            {
                (kind, priority) = (NudgeKind.ReactivateDormant, 2);
            }
            else if (tier == TieTier.Weak && tie.Trend == TieTrend.Rising)
            {
                (kind, priority) = (NudgeKind.DeepenWeakTie, 3);
            }

            if (kind is not { } k)
            {
                continue;
            }

            var route = k == NudgeKind.ReplyOwed ? NudgeRoute.Write
                : tie.Reciprocity.UnansweredInARow >= 2 ? NudgeRoute.AnotherRoute
                : positionBased || k == NudgeKind.DeepenWeakTie ? NudgeRoute.ProposeOneToOne
                : NudgeRoute.Write;
            candidates.Add((priority, tie.Score, tie.Contact, k, route, tie.Why));
        }

        var chosen = candidates
            .OrderBy(c => c.Priority)
            .ThenByDescending(c => c.Score)
            .ThenBy(c => c.Contact, StringComparer.Ordinal)
            .Take(weeklyBudget)
            .ToList();
        var monday = DateOnly.FromDateTime(asOf.UtcDateTime);
        monday = monday.AddDays(-(((int)monday.DayOfWeek + 6) % 7));
        var result = new List<Nudge>(chosen.Count);
        for (var i = 0; i < chosen.Count; i++)
        {
            var offset = chosen.Count == 1 ? 0 : (int)Math.Round(i * (WorkingDays - 1) / (double)(chosen.Count - 1));
            var c = chosen[i];
            result.Add(new Nudge(c.Contact, c.Kind, c.Route, monday.AddDays(offset), c.Why));
        }

        return result;
    }
}
