using TiesOffice.Application.Jobs;

namespace TiesOffice.Application.Tests;

public sealed class FanOutSpreadTests
{
    private static readonly TimeSpan s_interval = TimeSpan.FromMinutes(15);

    private static readonly UserKey[] s_tenant = Enumerable.Range(0, 10_000)
        .Select(i => new UserKey("5f1e0b7c-2d44-4c1b-9a57-0a3f6a1e7d10", $"user-{i:D5}"))
        .ToArray();

    [Fact]
    public void DelayFor_TenThousandUsers_WholeSecondsWithinTheInterval()
    {
        var delays = s_tenant.Select(u => FanOutSpread.DelayFor(u, s_interval)).ToList();

        Assert.All(delays, d => Assert.InRange(d, TimeSpan.Zero, s_interval - TimeSpan.FromSeconds(1)));
        Assert.All(delays, d => Assert.Equal(0, d.Ticks % TimeSpan.TicksPerSecond));
    }

    [Fact]
    public void DelayFor_TenThousandUsers_LoadIsFlatAcrossTheInterval()
    {
        // 10,000 users over 15 minutes: 667 a minute on average. A flat spread keeps every minute near that; a storm
        // (everyone at 0) or a clump (a hash that ignores the user) puts thousands in one minute.
        var perMinute = s_tenant
            .GroupBy(u => (int)FanOutSpread.DelayFor(u, s_interval).TotalMinutes)
            .ToDictionary(g => g.Key, g => g.Count());

        Assert.Equal(15, perMinute.Count);
        Assert.All(perMinute.Values, n => Assert.InRange(n, 560, 780));
    }

    [Fact]
    public void DelayFor_SameUser_SameDelayEveryTimeAndDifferentUsersDiffer()
    {
        var user = new UserKey("tenant-a", "user-1");

        var first = FanOutSpread.DelayFor(user, s_interval);
        var second = FanOutSpread.DelayFor(new UserKey("tenant-a", "user-1"), s_interval);
        var others = Enumerable.Range(2, 50).Select(i => FanOutSpread.DelayFor(new UserKey("tenant-a", $"user-{i}"), s_interval)).Distinct().Count();

        Assert.Equal(first, second);
        Assert.True(others > 40, $"only {others} distinct delays for 50 users");
    }

    [Fact]
    public void DelayFor_TenantIsPartOfTheKey_SameUserIdInAnotherTenantMovesTheDelay()
    {
        var moved = Enumerable.Range(0, 20)
            .Count(i => FanOutSpread.DelayFor(new UserKey("tenant-a", $"u{i}"), s_interval) != FanOutSpread.DelayFor(new UserKey("tenant-b", $"u{i}"), s_interval));

        Assert.True(moved >= 18, $"only {moved} of 20 users moved");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(999)]
    public void DelayFor_WindowUnderASecond_NoDelay(int milliseconds)
    {
        Assert.Equal(TimeSpan.Zero, FanOutSpread.DelayFor(new UserKey("t", "u"), TimeSpan.FromMilliseconds(milliseconds)));
    }

    [Fact]
    public void DelayFor_WindowLongerThanQueueStorageAllows_Refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => FanOutSpread.DelayFor(new UserKey("t", "u"), TimeSpan.FromDays(7) + TimeSpan.FromSeconds(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => FanOutSpread.DelayFor(new UserKey("t", "u"), TimeSpan.FromSeconds(-1)));
    }
}
