using TiesOffice.Application.Network;
using TiesOffice.Application.Ports;
using TiesOffice.Application.Proactive;
using TiesOffice.Domain.Metadata;

namespace TiesOffice.Application.Tests;

/// <summary>The proactive step as the sync job runs it, over the in-memory stores, a scripted Graph and recording channels.</summary>
public sealed class ProactiveSendsTests
{
    // UserJobHarness.Start is Monday 2 March 2026, 09:00 UTC (ISO week 2026-W10).
    private static readonly DateTimeOffset Monday = UserJobHarness.Start;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A user with four colleagues, each a steady weekly exchange whose last message (theirs) is unanswered: four replies owed.</summary>
    private static UserKey Seed(UserJobHarness h, string name = "ada")
    {
        var user = h.Enrol(name);
        foreach (var (colleague, i) in new[] { "bob", "cyd", "dee", "eve" }.Select((c, i) => (c + "@contoso.example", i)))
        {
            for (var week = 12; week >= 1; week--)
            {
                h.Exchange(user, $"{colleague}-{week}", colleague, daysAgo: (7 * week) + i);
            }

            var at = h.Time.GetUtcNow().AddDays(-2).AddHours(-i);
            h.Graph.Add(user, UserJobHarness.Message($"{colleague}-owed", colleague, UserJobHarness.Owner(user), at, MailFolder.Inbox));
        }

        return user;
    }

    private static Task<UserSettings> SaveAsync(UserJobHarness h, UserKey user, Func<UserSettings, UserSettings> change) =>
        h.Settings.UpdateSettingsAsync(user, change, Ct);

    [Fact]
    public async Task Digest_IsSentOnceAtTheUsersLocalDigestTime()
    {
        var h = new UserJobHarness(proactive: true);
        var user = Seed(h);
        await SaveAsync(h, user, s => s with { TimeZone = "America/New_York" });

        // 09:00 UTC is 04:00 in New York (quiet), 13:59 UTC is 08:59 (not due); 14:00 UTC is 09:00 there.
        await h.RunAsync(user);
        h.Time.SetUtcNow(Monday.AddHours(4).AddMinutes(59));
        await h.RunAsync(user);
        Assert.Empty(h.Teams.Digests);

        h.Time.SetUtcNow(Monday.AddHours(5));
        await h.RunAsync(user);
        await h.RunAsync(user);

        var digest = Assert.Single(h.Teams.Digests);
        Assert.Equal("2026-W10", digest.Week);
        Assert.Equal(3, digest.Suggestions.Count);
        Assert.Equal(DeliveryOutcome.Sent, h.Claims.Of(user, "2026-W10")!.Outcome);
        Assert.Empty(h.Outlook.Digests);
    }

    [Fact]
    public async Task Digest_DueInQuietHours_WaitsForTheNextAllowedTime()
    {
        // From Tuesday on: last week's Saturday digest (due on Monday 08:00) is more than a day late by then.
        var h = new UserJobHarness(proactive: true);
        h.Time.SetUtcNow(Monday.AddDays(1));
        var user = Seed(h);
        await SaveAsync(h, user, s => s with { DigestDay = DayOfWeek.Saturday, DigestTime = new TimeOnly(10, 0) });
        await h.RunAsync(user);
        Assert.Empty(h.Teams.Digests);

        foreach (var at in new[] { Monday.AddDays(5).AddHours(1), Monday.AddDays(6).AddHours(3), Monday.AddDays(7).AddHours(-1).AddMinutes(-1) })
        {
            h.Time.SetUtcNow(at);
            await h.RunAsync(user);
        }

        Assert.Empty(h.Teams.Digests);
        h.Time.SetUtcNow(Monday.AddDays(7).AddHours(-1));
        await h.RunAsync(user);

        Assert.Equal("2026-W10", Assert.Single(h.Teams.Digests).Week);
    }

    [Fact]
    public async Task Digest_DuplicatedOrRetriedJob_IsNeverSentTwice()
    {
        var h = new UserJobHarness(proactive: true);
        var user = Seed(h);

        await h.RunAsync(user);
        await h.RunAsync(user);
        h.Time.Advance(TimeSpan.FromMinutes(15));
        await h.RunAsync(user);

        Assert.Single(h.Teams.Digests);
    }

    [Fact]
    public async Task Digest_SecondHostOverTheSameStores_FindsTheClaimAndSendsNothing()
    {
        var h = new UserJobHarness(proactive: true);
        var user = Seed(h);
        await h.RunAsync(user);
        var other = new ProactiveSends(h.Settings, h.Claims, h.Nudges, h.Network, [h.Teams], h.Teams, new ProactiveOptions(), h.Time, Microsoft.Extensions.Logging.Abstractions.NullLogger<ProactiveSends>.Instance);

        var report = await other.RunAsync((await h.Directory.GetAsync(user, Ct))!, null, Ct);

        Assert.Null(report.Digest);
        Assert.Single(h.Teams.Digests);
    }

    [Fact]
    public async Task Digest_ProcessDiesBetweenClaimAndSend_IsLostRatherThanSentTwice()
    {
        var h = new UserJobHarness(proactive: true);
        var user = Seed(h);
        h.Claims.AfterClaim = (_, _) => throw new OperationCanceledException("killed");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => h.RunAsync(user));

        h.Claims.AfterClaim = null;
        h.Time.Advance(TimeSpan.FromMinutes(15));
        await h.RunAsync(user);

        Assert.Empty(h.Teams.Digests);
        var claim = h.Claims.Of(user, "2026-W10");
        Assert.NotNull(claim);
        Assert.Null(claim.Outcome);
    }

    [Fact]
    public async Task Digest_NoRoute_SendsNothingWithOneDebugLineAndNoRetries()
    {
        var h = new UserJobHarness(proactive: true);
        var user = Seed(h);
        h.Teams.Answer = DeliveryOutcome.NoRoute;

        await h.RunAsync(user);
        for (var i = 0; i < 8; i++)
        {
            h.Time.Advance(TimeSpan.FromMinutes(15));
            await h.RunAsync(user);
        }

        Assert.Single(h.Teams.Digests);
        Assert.Single(h.Outlook.Digests);
        Assert.Equal(DeliveryOutcome.NoRoute, h.Claims.Of(user, "2026-W10")!.Outcome);
        var lines = h.Logs.Lines.Where(l => l.Contains(nameof(ProactiveSends), StringComparison.Ordinal)).ToList();
        Assert.Equal("Debug", Assert.Single(lines).Split(' ')[0]);
        Assert.Empty(h.Nudges.Of(user));
    }

    [Fact]
    public async Task Digest_TeamsHasNoRoute_GoesOutThroughTheNextChannelOnce()
    {
        var h = new UserJobHarness(proactive: true);
        var user = Seed(h);
        h.Teams.Answer = DeliveryOutcome.NoRoute;
        h.Outlook.Answer = DeliveryOutcome.Sent;

        await h.RunAsync(user);
        await h.RunAsync(user);

        Assert.Single(h.Teams.Digests);
        Assert.Single(h.Outlook.Digests);
        Assert.Equal(ProactiveChannel.Outlook, h.Claims.Of(user, "2026-W10")!.Channel);
    }

    [Fact]
    public async Task Digest_EnrolledAfterTheDigestDay_WaitsForNextWeek()
    {
        var h = new UserJobHarness(proactive: true);
        h.Time.SetUtcNow(Monday.AddDays(3));
        var user = Seed(h);

        await h.RunAsync(user);
        h.Time.SetUtcNow(Monday.AddDays(7));
        await h.RunAsync(user);

        Assert.Equal("2026-W11", Assert.Single(h.Teams.Digests).Week);
    }

    [Fact]
    public async Task Reminders_ComeOnTheirSuggestionsDaysAtTenWithinTheBudget()
    {
        var h = new UserJobHarness(proactive: true);
        var user = Seed(h);
        await h.RunAsync(user);
        var digest = Assert.Single(h.Teams.Digests);
        var later = digest.Suggestions.Where(s => s.Day > DateOnly.FromDateTime(Monday.UtcDateTime)).ToList();
        Assert.Equal(2, later.Count);

        var sentAt = new List<(DateTimeOffset At, string Contact)>();
        for (var at = Monday.AddHours(1); at < Monday.AddDays(7); at = at.AddMinutes(30))
        {
            h.Time.SetUtcNow(at);
            var before = h.Teams.Reminders.Count;
            await h.RunAsync(user);
            sentAt.AddRange(h.Teams.Reminders.Skip(before).Select(r => (at, r.Suggestion.Contact)));
        }

        Assert.Equal(later.Select(s => (s.Day.ToDateTime(new TimeOnly(10, 0)), s.Contact)), sentAt.Select(s => (s.At.UtcDateTime, s.Contact)));
        Assert.True(sentAt.Count <= new UserSettings().WeeklyNudgeBudget);
    }

    [Fact]
    public async Task Reminder_ContactAfterThePlan_IsDroppedByTheNextSync()
    {
        var h = new UserJobHarness(proactive: true);
        var user = Seed(h);
        await h.RunAsync(user);
        var wednesday = Assert.Single(h.Teams.Digests).Suggestions.Single(s => s.Day == new DateOnly(2026, 3, 4));

        // Tuesday: the user writes to that contact; the next sync brings it in.
        h.Time.SetUtcNow(Monday.AddDays(1).AddHours(3));
        h.Graph.Add(user, UserJobHarness.Message("tuesday-out", UserJobHarness.Owner(user), wednesday.Contact, h.Time.GetUtcNow().AddMinutes(-30), MailFolder.SentItems));
        await h.RunAsync(user);
        h.Time.SetUtcNow(Monday.AddDays(2).AddHours(1));
        await h.RunAsync(user);

        Assert.DoesNotContain(h.Teams.Reminders, r => r.Suggestion.Contact == wednesday.Contact);
        Assert.Equal(NudgeStatus.Cancelled, h.Nudges.Of(user).Single(n => n.Contact == wednesday.Contact).Status);
    }

    [Fact]
    public async Task Reminders_BudgetLoweredMidWeek_StopAtTheNewBudget()
    {
        var h = new UserJobHarness(proactive: true);
        var user = Seed(h);
        await h.RunAsync(user);
        await SaveAsync(h, user, s => s with { WeeklyNudgeBudget = 1 });

        foreach (var day in new[] { 2, 4 })
        {
            h.Time.SetUtcNow(Monday.AddDays(day).AddHours(1));
            await h.RunAsync(user);
        }

        Assert.Single(h.Teams.Reminders);
        Assert.Contains(h.Nudges.Of(user), n => n.Status == NudgeStatus.Cancelled);
    }

    [Fact]
    public async Task Digest_BudgetZero_CarriesNoSuggestionsAndPlansNoReminders()
    {
        var h = new UserJobHarness(proactive: true);
        var user = Seed(h);
        await SaveAsync(h, user, s => s with { WeeklyNudgeBudget = 0 });

        await h.RunAsync(user);

        Assert.Empty(Assert.Single(h.Teams.Digests).Suggestions);
        Assert.Empty(h.Nudges.Of(user));
    }
}
