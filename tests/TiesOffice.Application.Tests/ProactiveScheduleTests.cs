using TiesOffice.Application.Network;
using TiesOffice.Application.Proactive;
using TiesOffice.Domain.Ties;

namespace TiesOffice.Application.Tests;

public sealed class ProactiveScheduleTests
{
    private static readonly QuietHours Quiet = QuietHours.Default;

    [Theory]
    [InlineData("2026-03-04T07:59", true)]
    [InlineData("2026-03-04T08:00", false)]
    [InlineData("2026-03-04T19:59", false)]
    [InlineData("2026-03-04T20:00", true)]
    [InlineData("2026-03-04T23:30", true)]
    [InlineData("2026-03-07T12:00", true)]
    [InlineData("2026-03-08T12:00", true)]
    public void QuietHours_Default_AreEveningsNightsAndWeekends(string local, bool quiet) =>
        Assert.Equal(quiet, Quiet.IsQuiet(DateTime.Parse(local, System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData("2026-03-04T06:00", "2026-03-04T08:00")]
    [InlineData("2026-03-04T21:00", "2026-03-05T08:00")]
    [InlineData("2026-03-06T21:00", "2026-03-09T08:00")]
    [InlineData("2026-03-07T10:00", "2026-03-09T08:00")]
    [InlineData("2026-03-04T11:00", "2026-03-04T11:00")]
    public void QuietHours_NextAllowed_IsTheEndOfTheQuietTime(string local, string expected) =>
        Assert.Equal(DateTime.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), Quiet.NextAllowed(DateTime.Parse(local, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void ProactiveOptions_EveryDayQuiet_IsRefused() =>
        Assert.Throws<System.ComponentModel.DataAnnotations.ValidationException>(() =>
            new ProactiveOptions { QuietDays = "Monday;Tuesday;Wednesday;Thursday;Friday;Saturday;Sunday" }.ToQuietHours());

    [Theory]
    [InlineData("")]
    [InlineData("none")]
    public void ProactiveOptions_NoQuietDaysAndEqualTimes_IsNeverQuiet(string days)
    {
        var open = new ProactiveOptions { QuietDays = days, QuietFrom = new TimeOnly(0, 0), QuietUntil = new TimeOnly(0, 0) }.ToQuietHours();

        Assert.False(open.IsQuiet(new DateTime(2026, 3, 7, 3, 0, 0, DateTimeKind.Unspecified)));
    }

    [Fact]
    public void ProactiveOptions_UnknownDay_IsRefused() =>
        Assert.Throws<System.ComponentModel.DataAnnotations.ValidationException>(() => new ProactiveOptions { QuietDays = "Saturday;Caturday" }.ToQuietHours());

    [Theory]
    [InlineData("Europe/Paris")]
    [InlineData("W. Europe Standard Time")]
    [InlineData("Romance Standard Time")]
    public void ResolveZone_IanaOrWindowsId_FindsTheZone(string id)
    {
        var zone = ProactiveSchedule.ResolveZone(null, "not a zone", id);

        Assert.Equal(TimeSpan.FromHours(1), zone.GetUtcOffset(new DateTime(2026, 1, 15, 12, 0, 0, DateTimeKind.Unspecified)));
    }

    [Theory]
    [InlineData("Central Standard Time", -6)]
    [InlineData("Eastern Standard Time", -5)]
    [InlineData("Pacific Standard Time", -8)]
    [InlineData("GMT Standard Time", 0)]
    [InlineData("India Standard Time", 5.5)]
    [InlineData("FLE Standard Time", 2)]
    [InlineData("Tokyo Standard Time", 9)]
    public void ResolveZone_WindowsIdsGraphReturns_ResolveWithoutIcu(string id, double hours) =>
        Assert.Equal(TimeSpan.FromHours(hours), ProactiveSchedule.ResolveZone(id).GetUtcOffset(new DateTime(2026, 1, 15, 12, 0, 0, DateTimeKind.Unspecified)));

    [Fact]
    public void ResolveZone_NothingKnown_IsUtc() => Assert.Equal(TimeZoneInfo.Utc, ProactiveSchedule.ResolveZone(null, "nowhere/land"));

    [Fact]
    public void ActiveSlot_BeforeTheLocalDigestTime_IsLastWeeks()
    {
        var paris = ProactiveSchedule.ResolveZone("Europe/Paris");

        // Monday 2 March 2026, 08:59 in Paris (07:59 UTC): this week's digest (09:00) is not due yet.
        var before = ProactiveSchedule.ActiveSlot(new DateTimeOffset(2026, 3, 2, 7, 59, 0, TimeSpan.Zero), paris, DayOfWeek.Monday, new TimeOnly(9, 0), Quiet);
        var at = ProactiveSchedule.ActiveSlot(new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero), paris, DayOfWeek.Monday, new TimeOnly(9, 0), Quiet);

        Assert.Equal("2026-W09", before!.Week);
        Assert.Equal("2026-W10", at!.Week);
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero), at.DueAt);
        Assert.Equal(new DateTimeOffset(2026, 3, 9, 8, 0, 0, TimeSpan.Zero), at.NextDueAt);
    }

    [Fact]
    public void ActiveSlot_SundayDigestWithQuietWeekends_ComesOnMondayForItsOwnWeek()
    {
        var monday8 = new DateTimeOffset(2026, 3, 9, 8, 0, 0, TimeSpan.Zero);

        var slot = ProactiveSchedule.ActiveSlot(monday8, TimeZoneInfo.Utc, DayOfWeek.Sunday, new TimeOnly(9, 0), Quiet);

        Assert.Equal("2026-W10", slot!.Week);
        Assert.Equal(monday8, slot.DueAt);
    }

    [Fact]
    public void ReminderAt_WednesdaySuggestion_IsWednesdayAtTenLocal()
    {
        var tokyo = ProactiveSchedule.ResolveZone("Asia/Tokyo");
        var slot = ProactiveSchedule.ActiveSlot(new DateTimeOffset(2026, 3, 2, 1, 0, 0, TimeSpan.Zero), tokyo, DayOfWeek.Monday, new TimeOnly(9, 0), Quiet)!;

        var at = ProactiveSchedule.ReminderAt(slot, new DateOnly(2026, 3, 4), tokyo, Quiet);

        Assert.Equal(new DateTimeOffset(2026, 3, 4, 1, 0, 0, TimeSpan.Zero), at);
    }

    public static TheoryData<string, ReminderDecision> Decisions => new()
    {
        { "due", ReminderDecision.Send },
        { "early", ReminderDecision.Wait },
        { "sentToday", ReminderDecision.Wait },
        { "contacted", ReminderDecision.DropContacted },
        { "muted", ReminderDecision.DropOverridden },
        { "snoozed", ReminderDecision.DropOverridden },
        { "pseudo", ReminderDecision.DropOverridden },
        { "gone", ReminderDecision.DropOverridden },
        { "budget", ReminderDecision.DropBudget },
    };

    [Theory]
    [MemberData(nameof(Decisions))]
    public void Decide_PlannedReminder_IsSentOnlyWhenStillRight(string change, ReminderDecision expected)
    {
        var planned = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
        var due = new DateTimeOffset(2026, 3, 4, 10, 0, 0, TimeSpan.Zero);
        var now = due.AddMinutes(5);
        var tie = new TieSummary("id", "kim@example.test", null, TieTier.Weak, TieTier.Weak, 1, planned.AddDays(-20), TieTrend.Steady, TieScope.External,
            new PortabilityView(PortabilityClass.Personal, 1), new ReciprocityView(1, ReplyOwed.Nobody), "why", false, false, null);
        tie = change switch
        {
            "contacted" => tie with { LastContact = planned.AddDays(1) },
            "muted" => tie with { Muted = true },
            "snoozed" => tie with { SnoozedUntil = now.AddDays(3) },
            "pseudo" => tie with { Tier = TieTier.Pseudo },
            _ => tie,
        };

        var decision = ProactiveSchedule.Decide(
            change == "early" ? now.AddHours(1) : due,
            planned,
            change == "gone" ? null : tie,
            now,
            sentThisWeek: change == "budget" ? 3 : 1,
            weeklyBudget: 3,
            sentToday: change == "sentToday");

        Assert.Equal(expected, decision);
    }
}
