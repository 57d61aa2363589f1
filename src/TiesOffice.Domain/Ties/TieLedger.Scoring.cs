using System.Globalization;
using TiesOffice.Domain.Metadata;
using TiesOffice.Domain.Ties.Mechanics;

namespace TiesOffice.Domain.Ties;

public sealed partial class TieLedger
{
    /// <summary>Scores every tie as of a date.</summary>
    /// <param name="asOf">The date to score at; decay and recency are measured up to it.</param>
    /// <param name="overrides">The user's overrides; they win over inference.</param>
    /// <returns>Every contact's tie, highest score first (ties broken by address).</returns>
    public IReadOnlyList<Tie> Score(DateTimeOffset asOf, IEnumerable<ContactOverride>? overrides = null)
    {
        var view = ScoringView();
        var features = ComputeFeatures(asOf, view);
        var scores = Scores(features);
        var reasons = new WhyRule[features.Length];
        var tiers = AssignTiers(features, scores, reasons);
        var byContact = new Dictionary<string, ContactOverride>(StringComparer.Ordinal);
        foreach (var o in overrides ?? [])
        {
            byContact[MailAddress.Normalize(o.Contact)] = o;
        }

        var asOfSeconds = asOf.ToUnixTimeSeconds();
        var ties = new Tie[features.Length];
        var order = new TieOrder[features.Length];
        for (var i = 0; i < features.Length; i++)
        {
            ties[i] = BuildTie(view.Name(i), in view.Aggregate(i), features[i], scores[i], tiers[i], reasons[i], asOfSeconds, byContact);
            order[i] = new TieOrder(scores[i], view.Name(i));
        }

        // Sorted by value-type keys beside the ties rather than by a comparison delegate over the ties: the compare
        // inlines and reads no Tie objects. Addresses are distinct, so the order is total and the result the same.
        Array.Sort(order, ties);
        return ties;
    }

    /// <summary>
    /// Every contact's score and tier as of a date, exactly as <see cref="Score"/> gives them without overrides, but
    /// without building the ties: no reciprocity, portability, trend or why. The evaluator scores millions of pairs
    /// and reads nothing else.
    /// </summary>
    /// <param name="asOf">The date to score at.</param>
    /// <returns>Scores and tiers indexed like <see cref="Contacts"/> (direct contacts first, then those known only from co-presence).</returns>
    internal (double[] Scores, TieTier[] Tiers) ScoreTiers(DateTimeOffset asOf)
    {
        var features = ComputeFeatures(asOf);
        var scores = Scores(features);
        return (scores, AssignTiers(features, scores, reasons: null));
    }

    private static double[] Scores(TieFeatures[] features)
    {
        var scores = new double[features.Length];
        for (var i = 0; i < features.Length; i++)
        {
            scores[i] = TieModel.Score(features[i]);
        }

        return scores;
    }

    // Highest score first, ties broken by address (ordinal).
    private readonly struct TieOrder(double score, string contact) : IComparable<TieOrder>
    {
        private readonly double _score = score;
        private readonly string _contact = contact;

        public int CompareTo(TieOrder other)
        {
            var order = other._score.CompareTo(_score);
            return order != 0 ? order : string.CompareOrdinal(_contact, other._contact);
        }
    }

    // The contacts in the order of Contacts: full aggregates as they are, co-present ones widened to full aggregates
    // (the fields they lack are those of a contact without direct exchange), so one scoring path serves both.
    private ContactView ScoringView()
    {
        var names = new string[_coCount];
        var aggregates = new ContactAggregate[_coCount];
        var k = 0;
        for (var i = 0; i < _coNames.Count; i++)
        {
            if (_coNames[i] is { } name)
            {
                names[k] = name;
                aggregates[k] = _co[i].ToAggregate();
                k++;
            }
        }

        return new ContactView(_names, _contacts, names, aggregates);
    }

    private readonly struct ContactView(List<string> names, ContactAggregate[] contacts, string[] coNames, ContactAggregate[] coAggregates)
    {
        public int Count => names.Count + coNames.Length;

        public string Name(int i) => i < names.Count ? names[i] : coNames[i - names.Count];

        public ref readonly ContactAggregate Aggregate(int i) => ref i < names.Count ? ref contacts[i] : ref coAggregates[i - names.Count];
    }

    internal TieFeatures[] ComputeFeatures(DateTimeOffset asOf) => ComputeFeatures(asOf, ScoringView());

    private TieFeatures[] ComputeFeatures(DateTimeOffset asOf, ContactView view)
    {
        var asOfSeconds = asOf.ToUnixTimeSeconds();
        var age = _anchor == long.MinValue ? 0 : _anchor - asOfSeconds;
        var shortDecay = TieModel.Scale(age, TieModel.ShortHalfLifeDays);
        var longDecay = TieModel.Scale(age, TieModel.LongHalfLifeDays);
        var week = WeekSet.WeekOf(asOfSeconds - 1);
        var scratch = new List<int>();
        var result = new TieFeatures[view.Count];
        for (var i = 0; i < result.Length; i++)
        {
            ref readonly var c = ref view.Aggregate(i);
            var lastDirect = c.LastDirectAt;
            double? days = DaysSince(lastDirect, asOfSeconds);
            var gap = WeekSet.MedianGap(c.OutWeeks, c.InWeeks, week, scratch);
            double? rhythm = gap > 0 ? gap * 7 : null;
            var bulk = c.OutCount == 0 && c.InBroadcast > c.InCount;
            result[i] = new TieFeatures(
                c.OutShort * shortDecay,
                c.InShort * shortDecay,
                c.CoShort * shortDecay,
                c.MeetShort * shortDecay,
                c.OutLong * longDecay,
                c.InLong * longDecay,
                WeekSet.CountMatching(c.OutWeeks, c.InWeeks, week - TieModel.ActiveWindowWeeks + 1, week, both: false),
                WeekSet.CountMatching(c.OutWeeks, c.InWeeks, week - TieModel.TwoWayWindowWeeks + 1, week, both: true),
                days,
                rhythm,
                c.IsTwoWay,
                c.Automated || bulk,
                DaysSince(Math.Max(lastDirect, c.LastCoAt), asOfSeconds) ?? 0);
        }

        return result;
    }

    private static double? DaysSince(long at, long asOf) =>
        at == long.MinValue ? null : Math.Max(0, (asOf - at) / TieModel.SecondsPerDay);

    // Fills reasons (the rule behind each tier, for the why) when given; the tiers do not depend on it.
    private static TieTier[] AssignTiers(TieFeatures[] features, double[] scores, WhyRule[]? reasons)
    {
        var tiers = new TieTier[features.Length];
        var eligible = new List<int>();
        for (var i = 0; i < features.Length; i++)
        {
            ref readonly var f = ref features[i];
            if (f.Automated)
            {
                tiers[i] = TieTier.Pseudo;
                reasons?[i] = WhyRule.AutomatedSender;
                continue;
            }

            if (!f.TwoWay)
            {
                tiers[i] = TieTier.Pseudo;
                reasons?[i] = f.Out > 0 || f.OutLong > 0 ? WhyRule.OnlyYouWrote
                    : f.In > 0 || f.InLong > 0 ? WhyRule.OnlyTheyWrote
                    : WhyRule.NoDirectExchange;
                continue;
            }

            var days = f.DaysSinceDirect ?? double.MaxValue;
            var rhythm = Math.Max(TieModel.MinRhythmDays, f.RhythmDays ?? 0);
            if (days > TieModel.DormantDays)
            {
                tiers[i] = TieTier.Dormant;
                reasons?[i] = WhyRule.QuietOverAYear;
                continue;
            }

            if (f.RhythmDays is not null && days > TieModel.DormantRhythmMultiple * rhythm)
            {
                tiers[i] = TieTier.Dormant;
                reasons?[i] = WhyRule.QuietPastRhythm;
                continue;
            }

            tiers[i] = TieTier.Weak;
            var notStrong = WhyNotStrong(f, days);
            reasons?[i] = notStrong ?? WhyRule.OutsideTopStrong;
            if (notStrong is null)
            {
                eligible.Add(i);
            }
        }

        eligible.Sort((a, b) => scores[b].CompareTo(scores[a]));
        for (var rank = 0; rank < eligible.Count; rank++)
        {
            var i = eligible[rank];
            if (rank < TieModel.StrongCap)
            {
                tiers[i] = TieTier.Strong;
                reasons?[i] = WhyRule.FrequentRecentBalanced;
            }
        }

        return tiers;
    }

    // The first strong rule a two-way, non-dormant tie misses, or null when it meets them all. A busy tie that stays
    // weak must say why, or "47 two-way weeks, last contact today" reads like a mistake.
    private static WhyRule? WhyNotStrong(in TieFeatures f, double days)
    {
        if (days > TieModel.StrongRecencyDays)
        {
            return WhyRule.NoContactLastMonth;
        }

        if (f.ActiveWeeks26 < TieModel.StrongActiveWeeks)
        {
            return WhyRule.FewActiveWeeks;
        }

        if (f.TwoWayWeeks52 < TieModel.StrongTwoWayWeeks)
        {
            return WhyRule.FewTwoWayWeeks;
        }

        if (Balance(f.Out, f.In) < TieModel.StrongBalance)
        {
            return f.Out > f.In ? WhyRule.MostlyYouLately : WhyRule.MostlyThemLately;
        }

        return f.Out + f.In < TieModel.StrongVolume ? WhyRule.LittleMailLately : null;
    }

    private static double Balance(double a, double b)
    {
        var max = Math.Max(a, b);
        return max <= 0 ? 0 : Math.Min(a, b) / max;
    }

    private static Tie BuildTie(string contact, in ContactAggregate c, in TieFeatures f, double score, TieTier tier, WhyRule reason, long asOf, Dictionary<string, ContactOverride> overrides)
    {
        var owed = ReplyOwed.Nobody;
        if (!f.Automated && c.LastDirectAt != long.MinValue && asOf - c.LastDirectAt <= TieModel.OwedHorizonDays * TieModel.SecondsPerDay)
        {
            owed = c.LastInAt > c.LastOutAt ? ReplyOwed.Owner : c.LastOutAt > c.LastInAt ? ReplyOwed.Contact : ReplyOwed.Nobody;
        }

        TimeSpan? theirReply = c.TheirReplies > 0 ? TimeSpan.FromHours(Math.Exp(c.TheirReplyLogSum / c.TheirReplies)) : null;
        TimeSpan? ownerReply = c.OwnerReplies > 0 ? TimeSpan.FromHours(Math.Exp(c.OwnerReplyLogSum / c.OwnerReplies)) : null;
        var threads = c.ThreadsByOwner + c.ThreadsByThem;
        var reciprocity = new Reciprocity(
            c.OutCount,
            c.InCount,
            Balance(f.OutLong, f.InLong),
            c.OutCount > 0 ? Math.Min(1, c.TheirReplies / (double)c.OutCount) : null,
            c.InCount > 0 ? Math.Min(1, c.OwnerReplies / (double)c.InCount) : null,
            theirReply,
            ownerReply,
            threads > 0 ? c.ThreadsByOwner / (double)threads : null,
            c.InvitationsSent > 0 ? c.InvitationsAccepted / (double)c.InvitationsSent : null,
            owed,
            c.UnansweredOut);

        var carried = c.PersonalWeight + c.RoleWeight;
        var share = carried > 0 ? c.PersonalWeight / carried : 0;

        var portabilityClass = carried <= 0 ? PortabilityClass.Unknown
            : share >= TieModel.PersonalShareAtLeast ? PortabilityClass.Personal
            : share < TieModel.PositionBasedShareBelow ? PortabilityClass.PositionBased
            : PortabilityClass.Mixed;
        var overridden = false;
        if (overrides.TryGetValue(contact, out var o))
        {
            if (o.Tier is { } manual)
            {
                tier = manual;
                reason = WhyRule.SetByYou;
                overridden = true;
            }

            if (o.PositionBased is { } positionBased)
            {
                portabilityClass = positionBased ? PortabilityClass.PositionBased : PortabilityClass.Personal;
                overridden = true;
            }
        }

        var trend = Trend(c, asOf);
        var why = new TieWhy(
            tier,
            reason,
            f.TwoWayWeeks52,
            f.ActiveWeeks26,
            f.DaysSinceDirect is { } d ? (int)Math.Floor(d) : null,
            f.RhythmDays is { } r ? (int)Math.Round(r) : null,
            theirReply,
            c.OutCount,
            c.InCount,
            Steady(f.Out),
            Steady(f.In),
            c.MeetCount > 0,
            f.RhythmDays);
        return new Tie(
            contact,
            tier,
            score,
            reciprocity,
            new Portability(share, portabilityClass),
            c.LastDirectAt == long.MinValue ? null : DateTimeOffset.FromUnixTimeSeconds(c.LastDirectAt),
            f.RhythmDays is { } rhythm ? TimeSpan.FromDays(rhythm) : null,
            trend,
            why,
            f.Automated,
            overridden);
    }

    // A decayed sum to 12 significant digits: the same items fed in another order (another anchor) give the same why,
    // not one that differs in the last bits.
    private static double Steady(double value) =>
        value <= 0 ? value : Math.Round(value, Math.Clamp(11 - (int)Math.Floor(Math.Log10(value)), 0, 15));

    private static TieTrend Trend(in ContactAggregate c, long asOf)
    {
        var span = (long)(TieModel.TrendDays * TieModel.SecondsPerDay);
        var now = WeekSet.WeekOf(asOf - 1);
        var spanWeeks = TieModel.TrendDays / 7;
        var recent = WeekSet.CountMatching(c.OutWeeks, c.InWeeks, now - spanWeeks + 1, now, both: false);
        var before = WeekSet.CountMatching(c.OutWeeks, c.InWeeks, WeekSet.WeekOf(asOf - span - 1) - spanWeeks + 1, WeekSet.WeekOf(asOf - span - 1), both: false);

        return (recent, before) switch
        {
            (0, 0) => TieTrend.Silent,
            _ when recent >= before + TieModel.TrendStepWeeks => TieTrend.Rising,
            _ when recent <= before - TieModel.TrendStepWeeks => TieTrend.Cooling,
            _ => TieTrend.Steady,
        };
    }
}
