using TiesOffice.Application.Sync;
using TiesOffice.GraphSimulator;
using TiesOffice.GraphSimulator.Model;

namespace TiesOffice.Graph.Tests;

public sealed class SimulatorTests
{
    private const string Ada = "ada@contoso.com";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Load_EnronWithSeed_GivesADeterministicPlausibleCalendar()
    {
        var clock = new SimClock(new FixedTime(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero)));
        var options = new SimulatorOptions { DataPath = TestPaths.Enron, ShiftToNow = true, Seed = 7 };

        var a = SimTenant.Load(options, clock);
        var b = SimTenant.Load(options, clock);

        static List<(string, string, DateTimeOffset, bool, string)> Calendar(SimTenant t) => t.Mailboxes
            .SelectMany(m => m.Items.Where(i => i.Kind == SimItemKind.Event).Select(i => (m.User.Address, i.Id, i.Event!.Start, i.Event.IsCancelled, i.Event.OwnerResponse)))
            .OrderBy(x => x.Address, StringComparer.Ordinal).ThenBy(x => x.Id, StringComparer.Ordinal).ToList();
        var events = a.Mailboxes.SelectMany(m => m.Items.Where(i => i.Kind == SimItemKind.Event)).Select(i => i.Event!).ToList();
        Assert.Equal(156, a.Users.Count);
        Assert.Equal(60_023, a.Mailboxes.Sum(m => m.Items.Count(i => i.Kind == SimItemKind.Message)));
        Assert.Equal(Calendar(a), Calendar(b));
        Assert.Contains(events, e => e.Attendees.Count == 1 && e.Type == "occurrence");
        Assert.Contains(events, e => e.Attendees.Count is > 3 and < 30);
        Assert.Contains(events, e => e.Attendees.Count > 100);
        Assert.Contains(events, e => e.IsCancelled);
        Assert.Contains(events, e => e.OwnerResponse == "declined");
        Assert.All(events, e => Assert.InRange(e.Start, clock.GetUtcNow().AddMonths(-15), clock.GetUtcNow().AddMonths(3)));
        var newest = a.Mailboxes.SelectMany(m => m.Items.Where(i => i.Kind == SimItemKind.Message)).Max(i => i.Message!.SentAt);
        Assert.InRange(newest, clock.GetUtcNow().AddDays(-1), clock.GetUtcNow());
    }

    [Fact]
    public void Load_PseudonymisedLog_IsRefusedWithAClearError()
    {
        var folder = Directory.CreateTempSubdirectory("tiesoffice-sim-ids-").FullName;
        try
        {
            File.WriteAllText(
                Path.Combine(folder, "messages.tsv"),
                "id\tsent_utc\tfrom\tto\tcc\tsubject\tconversation\nm1\t2024-01-02T09:00:00Z\tu1\tu2\t\t\t\n");
            var clock = new SimClock(new FixedTime(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero)));

            var error = Assert.Throws<Domain.MailLog.MailLogException>(() => SimTenant.Load(new SimulatorOptions { DataPath = folder }, clock));

            Assert.Contains("'u1' is a person id, not a mail address", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task CalendarViewDelta_EventMovedOutOfTheWindow_ComesBackRemoved()
    {
        await using var h = await Harness.StartAsync(seed: Harness.SmallTenant());
        var user = h.Key(Ada);
        await h.NewSync().SyncAsync(user, Ct);
        var before = h.Store.Meetings(user).Count;

        await h.ControlAsync("PATCH", "/_sim/events/meet0", new { start = "2001-05-01T10:00:00Z" });
        var result = await h.NewSync().SyncAsync(user, Ct);

        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        Assert.Equal(before - 1, h.Store.Meetings(user).Count);
        Assert.Equal(h.TruthEvents(Ada), h.Store.Meetings(user).Keys.ToHashSet());
        Assert.Equal(1, result.Streams.Single(s => s.Stream == MailboxSync.CalendarStream).Removed);
    }

    [Fact]
    public async Task Subscriptions_PastExpiry_AreGoneAndNotifyNothing()
    {
        await using var h = await Harness.StartAsync(seed: Harness.SmallTenant(messages: 4, meetings: 1));
        var box = h.Box(Ada);
        h.Sim.Tenant.Subscriptions["s1"] = new SimSubscription
        {
            Id = "s1",
            Resource = "/users/" + box.User.Id + "/messages",
            UserId = box.User.Id,
            ResourceKind = "messages",
            ChangeType = "created",
            NotificationUrl = "http://127.0.0.1:1/nowhere",
            ExpirationDateTime = h.Sim.Clock.GetUtcNow().AddHours(1),
        };

        await h.ControlAsync("POST", "/_sim/clock/advance", new { seconds = 7200 });
        await h.ControlAsync("POST", "/_sim/messages", new { from = "bob@contoso.com", to = new[] { Ada }, subject = "late" });
        await h.Sim.FlushNotificationsAsync(Ct);

        Assert.Empty(h.Sim.Tenant.Subscriptions);
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
