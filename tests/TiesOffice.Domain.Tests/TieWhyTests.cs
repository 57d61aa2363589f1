using System.Globalization;
using System.Text.RegularExpressions;
using TiesOffice.Domain.MailLog;
using TiesOffice.Domain.Metadata;
using TiesOffice.Domain.Ties;

namespace TiesOffice.Domain.Tests;

/// <summary>
/// The why read against its own tie, on the whole demo tenant: every owner of the Enron log, as of a busy date and as
/// of the log's end, with and without the weekly 1:1 meetings the demo's calendar adds (meetings make contact weeks
/// without mail, which is where "little of it lately, 45 two-way weeks, last contact 0 days ago" came from).
/// </summary>
public partial class TieWhyTests
{
    private static readonly Lazy<List<MailMessage>> _log = new(() =>
    {
        var path = Path.Combine(TestPaths.SharedData, "enron", "messages.tsv");
        using var reader = new StreamReader(path);
        return MailLogReader.ReadMessages(reader, path).ToList();
    });

    private static readonly Lazy<List<string>> _owners = new(() =>
        File.ReadLines(Path.Combine(TestPaths.SharedData, "enron", "people.tsv")).Skip(1).Select(l => l.Split('\t')[0]).ToList());

    // The model's own thresholds and windows may appear in a sentence beside the tie's figures.
    private static readonly HashSet<double> _modelNumbers =
    [
        TieModel.StrongActiveWeeks, TieModel.StrongTwoWayWeeks, TieModel.StrongVolume, TieModel.StrongCap,
        TieModel.StrongRecencyDays, TieModel.ActiveWindowWeeks, TieModel.TwoWayWindowWeeks, TieModel.ShortHalfLifeDays,
    ];

    [Theory]
    [InlineData("2001-10-01", false)]
    [InlineData("2001-10-01", true)]
    [InlineData("2002-06-22", false)]
    [InlineData("2002-06-22", true)]
    public void Score_EveryTieOfTheDemoTenant_WhyAgreesWithItsOwnFigures(string date, bool weeklyMeetings)
    {
        var asOf = DateTimeOffset.Parse(date, CultureInfo.InvariantCulture);
        var messages = _log.Value.Where(m => m.SentAt < asOf).ToList();
        var rules = new HashSet<WhyRule>();
        var checkedTies = 0;
        foreach (var owner in _owners.Value)
        {
            var meetings = weeklyMeetings ? WeeklyOneToOnes(owner, messages, asOf) : [];
            foreach (var tie in TieLedger.Build(owner, messages, meetings).Score(asOf))
            {
                AssertWhyReadsTrue(tie, asOf);
                rules.Add(tie.Why.Rule);
                checkedTies++;
            }
        }

        Assert.True(checkedTies > 5_000, $"{checkedTies} ties");

        // The run must reach the rules that can contradict: weak ties for each reason, dormant ones, and strong ones.
        Assert.Contains(WhyRule.FrequentRecentBalanced, rules);
        Assert.Contains(WhyRule.QuietPastRhythm, rules);
        Assert.Contains(WhyRule.NoContactLastMonth, rules);
        Assert.Contains(WhyRule.OnlyYouWrote, rules);
        if (weeklyMeetings && date == "2001-10-01")
        {
            Assert.Contains(WhyRule.LittleMailLately, rules);
        }
    }

    private static void AssertWhyReadsTrue(Tie tie, DateTimeOffset asOf)
    {
        var why = tie.Why;
        var sentence = why.ToSentence();
        var context = $"{tie.Contact}: {sentence}";
        Assert.Equal(tie.Tier, why.Tier);
        Assert.StartsWith(tie.Tier.ToString().ToLowerInvariant() + ": ", sentence, StringComparison.Ordinal);
        Assert.True(sentence.Length <= 300, context);

        var days = tie.LastContact is { } last ? (int?)Math.Floor((asOf - last).TotalDays) : null;
        Assert.Equal(days, why.DaysSinceLast);

        foreach (var part in why.Parts)
        {
            Assert.Contains(part.Text, sentence, StringComparison.Ordinal);

            // Every count names its window (days ago is a point in time, a usual reply time a typical value).
            if (part.Figure is not (WhyFigure.None or WhyFigure.DaysSinceLast or WhyFigure.QuietMultiple or WhyFigure.TheirReplyTime))
            {
                Assert.False(string.IsNullOrEmpty(part.Window), context);
                Assert.True(part.Text.Contains(part.Window, StringComparison.Ordinal) || sentence.Contains(part.Window, StringComparison.Ordinal), context);
            }

            // Every number in the words is the part's own figure, a number of its window, or a threshold of the model.
            var allowed = new HashSet<double>(_modelNumbers) { part.Value };
            allowed.UnionWith(Numbers(part.Window));
            if (part.Figure == WhyFigure.QuietMultiple)
            {
                allowed.Add(why.DaysSinceLast!.Value);
                allowed.Add(Math.Round(tie.Rhythm!.Value.TotalDays, 1));
            }

            foreach (var n in Numbers(part.Text))
            {
                Assert.True(allowed.Contains(n), $"{n} in \"{part.Text}\" ({context})");
            }

            // Each figure equals the tie's own.
            switch (part.Figure)
            {
                case WhyFigure.DaysSinceLast:
                    Assert.Equal(days, (int)part.Value);
                    break;
                case WhyFigure.Sent:
                    Assert.Equal(tie.Reciprocity.Sent, (int)part.Value);
                    break;
                case WhyFigure.Received:
                    Assert.Equal(tie.Reciprocity.Received, (int)part.Value);
                    break;
                case WhyFigure.ActiveWeeks:
                    Assert.Equal(why.ActiveWeeks26, (int)part.Value);
                    break;
                case WhyFigure.TwoWayWeeks:
                    Assert.Equal(why.TwoWayWeeksLastYear, (int)part.Value);
                    break;
                case WhyFigure.QuietMultiple:
                    Assert.Equal((int)Math.Round(tie.Rhythm!.Value.TotalDays), why.RhythmDays);
                    Assert.Equal(Math.Floor(days!.Value / tie.Rhythm.Value.TotalDays), part.Value);
                    Assert.True(part.Value >= TieModel.DormantRhythmMultiple, context);
                    break;
                case WhyFigure.TheirReplyTime:
                    var reply = tie.Reciprocity.TheirReplyTime!.Value;
                    Assert.Equal(
                        reply.TotalHours < 1 ? Math.Max(1, Math.Ceiling(reply.TotalMinutes)) : reply.TotalHours < 48 ? Math.Ceiling(reply.TotalHours) : Math.Ceiling(reply.TotalDays),
                        part.Value);
                    break;
            }
        }

        AssertNoContradiction(tie, why, sentence, context);
    }

    private static void AssertNoContradiction(Tie tie, TieWhy why, string sentence, string context)
    {
        var parts = why.Parts;
        var recent = why.DaysSinceLast is <= (int)TieModel.StrongRecencyDays;
        var busy = recent && why.ActiveWeeks26 >= TieModel.StrongActiveWeeks;

        // Words of absence never sit beside recent, frequent contact (a day short of the month: "30 days ago" is 30
        // days and some hours), unless they carry their own measure.
        if (busy && why.DaysSinceLast < TieModel.StrongRecencyDays)
        {
            Assert.DoesNotContain("quiet", sentence, StringComparison.Ordinal);
            Assert.DoesNotContain("no contact", sentence, StringComparison.Ordinal);
            if (sentence.Contains("little", StringComparison.Ordinal))
            {
                Assert.Contains(parts, p => p.Figure == WhyFigure.RecentMail && p.Text.Contains(TieWhy.RecentMailWindow.Split(',')[0], StringComparison.Ordinal));
            }
        }

        switch (why.Rule)
        {
            case WhyRule.QuietOverAYear:
                Assert.True(why.DaysSinceLast >= 365, context);
                break;
            case WhyRule.QuietPastRhythm:
                Assert.True(why.DaysSinceLast >= TieModel.DormantRhythmMultiple * tie.Rhythm!.Value.TotalDays, context);
                break;
            case WhyRule.NoContactLastMonth:
                Assert.True(why.DaysSinceLast >= TieModel.StrongRecencyDays, context);
                break;
            case WhyRule.FewActiveWeeks:
                Assert.True(why.ActiveWeeks26 < TieModel.StrongActiveWeeks, context);
                break;
            case WhyRule.FewTwoWayWeeks:
                Assert.True(why.TwoWayWeeksLastYear < TieModel.StrongTwoWayWeeks, context);
                break;
            case WhyRule.MostlyYouLately:
                Assert.True(parts[0].Value > parts[1].Value, context);
                break;
            case WhyRule.MostlyThemLately:
                Assert.True(parts[1].Value > parts[0].Value, context);
                break;
            case WhyRule.LittleMailLately:
                Assert.True(parts[0].Value < TieModel.StrongVolume, context);
                break;
            case WhyRule.OnlyYouWrote:
                Assert.True(tie.Reciprocity.Sent > 0 && tie.Reciprocity.Received == 0, context);
                break;
            case WhyRule.OnlyTheyWrote:
                Assert.True(tie.Reciprocity.Received > 0 && tie.Reciprocity.Sent == 0, context);
                break;
        }

        // A strong tie, and a weak one that fails only on balance, volume or rank, meets every other strong rule.
        if (why.Rule is WhyRule.FrequentRecentBalanced or WhyRule.OutsideTopStrong or WhyRule.MostlyYouLately or WhyRule.MostlyThemLately or WhyRule.LittleMailLately)
        {
            Assert.True(busy && why.TwoWayWeeksLastYear >= TieModel.StrongTwoWayWeeks, context);
        }

        // A tie without two-way contact never lists two-way weeks; a dormant one never lists its active weeks.
        if (tie.Tier == TieTier.Pseudo)
        {
            Assert.DoesNotContain(parts, p => p.Figure == WhyFigure.TwoWayWeeks && p.Value > 0);
        }

        if (tie.Tier == TieTier.Dormant)
        {
            Assert.DoesNotContain(parts, p => p.Figure == WhyFigure.ActiveWeeks);
        }
    }

    // A weekly 1:1 with the contact the owner wrote to most, over the 40 weeks before the date, as the demo calendar
    // adds recurring 1:1s between reciprocal pairs: contact weeks both ways without a single message.
    private static List<Meeting> WeeklyOneToOnes(string owner, List<MailMessage> messages, DateTimeOffset asOf)
    {
        var partner = messages
            .Where(m => m.From == owner)
            .SelectMany(m => m.To)
            .Where(a => a != owner)
            .GroupBy(a => a)
            .OrderByDescending(g => g.Count())
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.Key)
            .FirstOrDefault();
        if (partner is null)
        {
            return [];
        }

        return Enumerable.Range(1, 40)
            .Select(w => asOf.AddDays(-7 * w))
            .Select(start => new Meeting(
                $"1on1-{owner}-{start:yyyyMMdd}",
                owner,
                [new MeetingAttendee(partner, AttendeeType.Required, AttendeeResponse.Accepted)],
                start,
                start.AddMinutes(30),
                IsCancelled: false,
                IsAllDay: false,
                ShowAs.Busy,
                MeetingKind.Occurrence,
                SeriesMasterId: "series",
                IsOnline: true))
            .ToList();
    }

    private static IEnumerable<double> Numbers(string text) =>
        NumberPattern().Matches(text).Select(m => double.Parse(m.Value, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"\d+(\.\d+)?")]
    private static partial Regex NumberPattern();
}
