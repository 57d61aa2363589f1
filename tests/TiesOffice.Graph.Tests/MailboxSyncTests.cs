using System.Text.Json;
using TiesOffice.Application.Ports;
using TiesOffice.Application.Sync;
using TiesOffice.GraphSimulator;
using TiesOffice.Testing;

namespace TiesOffice.Graph.Tests;

public sealed class MailboxSyncTests
{
    private const string Ada = "ada@contoso.com";
    private const string Bob = "bob@contoso.com";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SyncAsync_SmallPages_StoresEveryMessageAndMeetingOnce()
    {
        await using var h = await Harness.StartAsync(graph: g => { g.MessagePageSize = 7; g.EventPageSize = 3; }, seed: Harness.SmallTenant());
        var user = h.Key(Ada);

        var result = await h.NewSync().SyncAsync(user, Ct);

        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        var inbox = h.TruthMessages(Ada, "inbox");
        var sent = h.TruthMessages(Ada, "sentitems");
        Assert.True(inbox.Count > 20 && sent.Count > 20, "the seed gives Ada mail in both folders");
        Assert.Equal(inbox.Concat(sent).ToHashSet(), h.Store.Messages(user).Keys.ToHashSet());
        Assert.Equal(h.TruthEvents(Ada), h.Store.Meetings(user).Keys.ToHashSet());
        Assert.All(h.Store.Messages(user).Values, m => Assert.Equal(inbox.Contains(m.Id) ? Domain.Metadata.MailFolder.Inbox : Domain.Metadata.MailFolder.SentItems, m.Folder));
        Assert.All(h.Store.Messages(user).Values, m => Assert.False(string.IsNullOrEmpty(m.ConversationId)));
        Assert.All(h.Store.Messages(user).Values, m => Assert.Null(m.Subject));
        var pages = result.Streams.Single(s => s.Stream == MailboxSync.FolderStream("inbox")).Requests;
        Assert.Equal((int)Math.Ceiling(inbox.Count / 7.0), pages);
    }

    [Fact]
    public async Task SyncAsync_SecondRound_AppliesOnlyChangesAndRemovals()
    {
        await using var h = await Harness.StartAsync(seed: Harness.SmallTenant());
        var user = h.Key(Ada);
        await h.NewSync().SyncAsync(user, Ct);
        var inboxBefore = h.TruthMessages(Ada, "inbox");
        var deleted = inboxBefore.First();
        var moved = inboxBefore.Skip(1).First();

        var added = JsonDocument.Parse(await h.ControlAsync("POST", "/_sim/messages", new { from = Bob, to = new[] { Ada }, subject = "new one" }));
        var newId = added.RootElement.GetProperty(h.Key(Ada).UserId).GetString()!;
        await h.ControlAsync("DELETE", $"/_sim/users/{Ada}/messages/{deleted}");
        await h.ControlAsync("POST", $"/_sim/users/{Ada}/messages/{moved}/move", new { destinationId = "archive" });
        var meeting = h.Store.Meetings(user).Values.First();
        await h.ControlAsync("DELETE", $"/_sim/users/{Ada}/events/{meeting.Id}");
        h.Sim.ResetStats();

        var result = await h.NewSync().SyncAsync(user, Ct);

        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        Assert.Contains(newId, h.Store.Messages(user).Keys);
        Assert.DoesNotContain(deleted, h.Store.Messages(user).Keys);
        Assert.DoesNotContain(moved, h.Store.Messages(user).Keys);
        Assert.DoesNotContain(meeting.Id, h.Store.Meetings(user).Keys);
        Assert.Equal(h.TruthMessages(Ada, "inbox").Concat(h.TruthMessages(Ada, "sentitems")).ToHashSet(), h.Store.Messages(user).Keys.ToHashSet());
        Assert.Equal(3, result.Requests);
        var inbox = result.Streams.Single(s => s.Stream == MailboxSync.FolderStream("inbox"));
        Assert.Equal(1, inbox.Upserted);
        Assert.Equal(2, inbox.Removed);
    }

    [Theory]
    [InlineData(410)]
    [InlineData(400)]
    public async Task SyncAsync_ExpiredDeltaToken_ResyncsAndMergesWithoutDuplicates(int status)
    {
        await using var h = await Harness.StartAsync(graph: g => g.MessagePageSize = 9, seed: Harness.SmallTenant());
        var user = h.Key(Ada);
        await h.NewSync().SyncAsync(user, Ct);
        var gone = h.TruthMessages(Ada, "inbox").First();

        // Deleted while the token is dead: the resync must not keep it.
        h.Sim.Tenant.DeleteItem(h.Box(Ada), gone);
        await h.ControlAsync("POST", $"/_sim/users/{Ada}/expire-tokens?status={status}");
        var result = await h.NewSync().SyncAsync(user, Ct);

        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        Assert.All(result.Streams, s => Assert.True(s.Resynced, s.Stream));
        Assert.DoesNotContain(gone, h.Store.Messages(user).Keys);
        Assert.Equal(h.TruthMessages(Ada, "inbox").Concat(h.TruthMessages(Ada, "sentitems")).ToHashSet(), h.Store.Messages(user).Keys.ToHashSet());
        Assert.Equal(h.TruthEvents(Ada), h.Store.Meetings(user).Keys.ToHashSet());
        Assert.Contains(h.Logs.Lines, l => l.Contains("delta token expired", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("429", 5)]
    [InlineData("503", 5)]
    [InlineData("504", 3)]
    [InlineData("slow", 3)]
    [InlineData("drop", 3)]
    [InlineData("malformed", 2)]
    public async Task SyncAsync_InjectedFaults_LoseNoPage(string kind, int count)
    {
        await using var h = await Harness.StartAsync(graph: g => { g.MessagePageSize = 10; g.EventPageSize = 4; }, seed: Harness.SmallTenant());
        var user = h.Key(Ada);
        await h.ControlAsync("POST", $"/_sim/users/{Ada}/faults", new { kind, count, retryAfterSeconds = 1, delayMs = 700, path = "delta" });

        var result = await h.NewSync().SyncAsync(user, Ct);

        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        Assert.Equal(h.TruthMessages(Ada, "inbox").Concat(h.TruthMessages(Ada, "sentitems")).ToHashSet(), h.Store.Messages(user).Keys.ToHashSet());
        Assert.Equal(h.TruthEvents(Ada), h.Store.Meetings(user).Keys.ToHashSet());
        Assert.True(h.Box(Ada).Faults.Count == 0, "every injected fault was served");
        Assert.True(h.Box(Ada).MaxConcurrencyObserved <= 4);
    }

    [Fact]
    public async Task SyncAsync_RandomFaultMixOnEveryMailbox_LosesNothing()
    {
        await using var h = await Harness.StartAsync(graph: g => { g.MessagePageSize = 8; g.EventPageSize = 3; }, seed: Harness.SmallTenant());
        await h.ControlAsync("POST", "/_sim/users/*/faults", new { kind = "429", count = -1, retryAfterSeconds = 1, probability = 0.2, path = "delta" });
        await h.ControlAsync("POST", "/_sim/users/*/faults", new { kind = "503", count = -1, retryAfterSeconds = 1, probability = 0.08, path = "delta" });
        await h.ControlAsync("POST", "/_sim/users/*/faults", new { kind = "drop", count = -1, probability = 0.05, path = "delta" });
        var people = new[] { Ada, Bob, "cyd@contoso.com" };

        var results = await new TenantSync(h.NewSync()).SyncAllAsync(people.Select(h.Key), 3, Ct);

        Assert.All(results, r => Assert.Equal(SyncOutcome.Completed, r.Outcome));
        foreach (var p in people)
        {
            Assert.Equal(h.TruthMessages(p, "inbox").Concat(h.TruthMessages(p, "sentitems")).ToHashSet(), h.Store.Messages(h.Key(p)).Keys.ToHashSet());
            Assert.Equal(h.TruthEvents(p), h.Store.Meetings(h.Key(p)).Keys.ToHashSet());
            Assert.True(h.Box(p).MaxConcurrencyObserved <= 4);
        }

        Assert.True(people.Sum(p => h.Box(p).ThrottledCount) > 0, "the mix injected at least one 429");
    }

    [Fact]
    public async Task SyncAsync_SkipTokenExpiresMidRound_ResyncsTheStream()
    {
        await using var h = await Harness.StartAsync(graph: g => g.MessagePageSize = 5, sync: s => s.IncludeCalendar = false, seed: Harness.SmallTenant());
        var user = h.Key(Ada);
        var box = h.Box(Ada);
        var writes = 0;
        h.State.BeforeWrite = (_, stream, _) =>
        {
            if (stream == MailboxSync.FolderStream("inbox") && ++writes == 2)
            {
                lock (box.Gate)
                {
                    box.TokenGeneration++;
                }
            }
        };

        var result = await h.NewSync().SyncAsync(user, Ct);

        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        Assert.True(result.Streams.Single(s => s.Stream == MailboxSync.FolderStream("inbox")).Resynced);
        Assert.Equal(h.TruthMessages(Ada, "inbox").Concat(h.TruthMessages(Ada, "sentitems")).ToHashSet(), h.Store.Messages(user).Keys.ToHashSet());
    }

    [Fact]
    public async Task SyncAsync_ThrottleStormBeyondSdkRetries_WaitsAndRetriesTheSamePage()
    {
        await using var h = await Harness.StartAsync(graph: g => { g.MessagePageSize = 25; g.MaxRetries = 1; }, sync: s => s.IncludeCalendar = false, seed: Harness.SmallTenant());
        var user = h.Key(Ada);
        await h.ControlAsync("POST", $"/_sim/users/{Ada}/faults", new { kind = "429", count = 6, retryAfterSeconds = 1, path = "inbox" });

        var result = await h.NewSync().SyncAsync(user, Ct);

        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        Assert.Equal(h.TruthMessages(Ada, "inbox").Concat(h.TruthMessages(Ada, "sentitems")).ToHashSet(), h.Store.Messages(user).Keys.ToHashSet());
        Assert.Contains(h.Logs.Lines, l => l.Contains("retrying the same page", StringComparison.Ordinal) && l.Contains("throttled", StringComparison.Ordinal));
        Assert.Equal(6, h.Box(Ada).ThrottledCount);
    }

    [Fact]
    public async Task SyncAsync_SixStreamsOnSlowGraph_NeverMoreThanFourInFlight()
    {
        await using var h = await Harness.StartAsync(
            graph: g => { g.MessagePageSize = 5; g.EventPageSize = 2; },
            sync: s => { s.Folders.Add("deleteditems"); s.Folders.Add("archive"); s.Folders.Add("drafts"); },
            seed: Harness.SmallTenant());
        var user = h.Key(Ada);
        await h.ControlAsync("POST", $"/_sim/users/{Ada}/faults", new { kind = "slow", count = -1, delayMs = 60 });

        var result = await h.NewSync().SyncAsync(user, Ct);

        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        Assert.InRange(h.Box(Ada).MaxConcurrencyObserved, 2, 4);
        Assert.Equal(0, h.Box(Ada).ThrottledCount);
    }

    [Fact]
    public async Task SyncAsync_ClientBudget_KeepsUnderTheMailboxWindowLimit()
    {
        var simulator = new SimulatorOptions { GenerateCalendar = false, RequestBudgetPerMailbox = 8, BudgetWindow = TimeSpan.FromSeconds(2) };
        await using var h = await Harness.StartAsync(
            simulator,
            graph: g => { g.MessagePageSize = 5; g.RequestBudgetPerMailbox = 5; g.BudgetWindow = TimeSpan.FromSeconds(3); },
            sync: s => s.IncludeCalendar = false,
            seed: Harness.SmallTenant(messages: 60));
        var user = h.Key(Ada);

        var result = await h.NewSync().SyncAsync(user, Ct);

        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        Assert.True(h.Box(Ada).RequestCount > 8, "enough requests to need more than one window");
        Assert.Equal(0, h.Box(Ada).ThrottledCount);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(8)]
    [InlineData(13)]
    public async Task SyncAsync_KilledAtAWrite_RestartGivesTheUninterruptedResult(int killAt)
    {
        await using var h = await Harness.StartAsync(graph: g => { g.MessagePageSize = 6; g.EventPageSize = 2; }, seed: Harness.SmallTenant());
        var user = h.Key(Ada);
        var reference = new InMemoryMailboxStore();
        await h.NewSync(reference, new InMemorySyncStateStore()).SyncAsync(user, Ct);

        // The crash: the process dies on a store write (items) or on a link save.
        var crashed = false;
        h.Store.BeforeWrite = n =>
        {
            if (n == killAt && !crashed)
            {
                crashed = true;
                throw new InvalidOperationException("killed");
            }
        };
        h.State.BeforeWrite = (_, _, _) =>
        {
            if (h.Store.Writes == killAt + 1 && !crashed)
            {
                crashed = true;
                throw new InvalidOperationException("killed");
            }
        };
        await Assert.ThrowsAnyAsync<Exception>(() => h.NewSync().SyncAsync(user, Ct));
        Assert.True(crashed);
        h.Store.BeforeWrite = null;
        h.State.BeforeWrite = null;

        var result = await h.NewSync().SyncAsync(user, Ct);

        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        Assert.Equal(reference.Messages(user).OrderBy(p => p.Key).Select(p => p.Value.Id), h.Store.Messages(user).OrderBy(p => p.Key).Select(p => p.Value.Id));
        Assert.Equal(reference.Meetings(user).Keys.ToHashSet(), h.Store.Meetings(user).Keys.ToHashSet());
        Assert.All(reference.Messages(user), p => Assert.Equal(p.Value.To, h.Store.Messages(user)[p.Key].To));
    }

    [Theory]
    [InlineData(5)]
    [InlineData(40)]
    [InlineData(150)]
    public async Task SyncAsync_CancelledMidway_RestartGivesTheUninterruptedResult(int afterMs)
    {
        await using var h = await Harness.StartAsync(graph: g => { g.MessagePageSize = 3; g.EventPageSize = 1; }, seed: Harness.SmallTenant());
        var user = h.Key(Ada);
        var reference = new InMemoryMailboxStore();
        await h.NewSync(reference, new InMemorySyncStateStore()).SyncAsync(user, Ct);
        await h.ControlAsync("POST", $"/_sim/users/{Ada}/faults", new { kind = "slow", count = -1, delayMs = 10 });

        using (var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct))
        {
            cts.CancelAfter(afterMs);
            try
            {
                await h.NewSync().SyncAsync(user, cts.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }

        await h.ControlAsync("DELETE", $"/_sim/users/{Ada}/faults");
        var result = await h.NewSync().SyncAsync(user, Ct);

        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        Assert.Equal(reference.Messages(user).Keys.ToHashSet(), h.Store.Messages(user).Keys.ToHashSet());
        Assert.Equal(reference.Meetings(user).Keys.ToHashSet(), h.Store.Meetings(user).Keys.ToHashSet());
    }

    [Fact]
    public async Task SyncAsync_BodyCanary_AppearsInNoStoredItemAndNoLog()
    {
        await using var h = await Harness.StartAsync(seed: Harness.SmallTenant());
        var user = h.Key(Ada);
        await h.ControlAsync("POST", $"/_sim/users/{Ada}/faults", new { kind = "503", count = 2, retryAfterSeconds = 1 });

        await h.NewSync().SyncAsync(user, Ct);
        await h.ControlAsync("POST", $"/_sim/users/{Ada}/expire-tokens");
        await h.NewSync().SyncAsync(user, Ct);

        var stored = JsonSerializer.Serialize(h.Store.Messages(user).Values) + JsonSerializer.Serialize(h.Store.Meetings(user).Values)
            + string.Join('\n', h.State.Links.Values);
        Assert.NotEmpty(h.Store.Messages(user));
        Assert.True(h.Box(Ada).RequestCount > 4);
        Assert.Equal(0, h.Box(Ada).BodyPagesServed);
        Assert.DoesNotContain(SimulatorOptions.BodyCanary, stored, StringComparison.Ordinal);
        Assert.DoesNotContain("Subject number", stored, StringComparison.Ordinal);
        var logs = string.Join('\n', h.Logs.Lines);
        Assert.NotEmpty(h.Logs.Lines);
        Assert.DoesNotContain(SimulatorOptions.BodyCanary, logs, StringComparison.Ordinal);
        Assert.DoesNotContain("@contoso.com", logs, StringComparison.Ordinal);
        Assert.DoesNotContain("Subject number", logs, StringComparison.Ordinal);
        Assert.DoesNotContain("Planning", logs, StringComparison.Ordinal);
        Assert.DoesNotContain(LocalTokenCredential.Token, logs, StringComparison.Ordinal);
        Assert.DoesNotContain(user.UserId, logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SyncAsync_BadGraphData_IsSkippedWithAReasonAndNoCrash()
    {
        await using var h = await Harness.StartAsync(seed: Harness.SmallTenant(messages: 30, meetings: 3));
        var user = h.Key(Ada);
        var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var recipient = new { emailAddress = new { name = "Ada", address = Ada } };
        var nullFrom = await Id(h.ControlAsync("POST", $"/_sim/users/{Ada}/mailFolders/inbox/messages", new Dictionary<string, object?> { ["from"] = null, ["sender"] = null, ["toRecipients"] = new[] { recipient }, ["sentDateTime"] = now }));
        var noRecipients = await Id(h.ControlAsync("POST", $"/_sim/users/{Ada}/mailFolders/inbox/messages", new Dictionary<string, object?> { ["from"] = new { emailAddress = new { name = "Bob", address = Bob } }, ["toRecipients"] = Array.Empty<object>(), ["sentDateTime"] = now }));
        var unknown = await Id(h.ControlAsync("POST", $"/_sim/users/{Ada}/mailFolders/inbox/messages", new Dictionary<string, object?> { ["from"] = new { emailAddress = new { name = "Bob", address = Bob } }, ["toRecipients"] = new[] { recipient }, ["sentDateTime"] = now, ["futureProperty"] = new { nested = 1 } }));
        var outside = await Id(h.ControlAsync("POST", $"/_sim/users/{Ada}/events?ignoreWindow=true", new Dictionary<string, object?> { ["start"] = new { dateTime = "2001-01-01T10:00:00.0000000", timeZone = "UTC" }, ["end"] = new { dateTime = "2001-01-01T11:00:00.0000000", timeZone = "UTC" } }));
        var noOrganizer = await Id(h.ControlAsync("POST", $"/_sim/users/{Ada}/events", new Dictionary<string, object?> { ["organizer"] = null, ["start"] = new { dateTime = DateTime.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture), timeZone = "UTC" }, ["end"] = new { dateTime = DateTime.UtcNow.AddHours(1).ToString("O", System.Globalization.CultureInfo.InvariantCulture), timeZone = "UTC" } }));
        await h.ControlAsync("POST", $"/_sim/users/{Ada}/faults", new { kind = "malformed", count = 1, path = "calendarView" });

        var result = await h.NewSync().SyncAsync(user, Ct);

        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        Assert.DoesNotContain(nullFrom, h.Store.Messages(user).Keys);
        Assert.DoesNotContain(noRecipients, h.Store.Messages(user).Keys);
        Assert.Contains(unknown, h.Store.Messages(user).Keys);
        Assert.DoesNotContain(outside, h.Store.Meetings(user).Keys);
        Assert.DoesNotContain(noOrganizer, h.Store.Meetings(user).Keys);
        Assert.Equal(4, result.Streams.Sum(s => s.Skipped));
        var logs = string.Join('\n', h.Logs.Lines);
        Assert.Contains("missing from", logs, StringComparison.Ordinal);
        Assert.Contains("no recipients", logs, StringComparison.Ordinal);
        Assert.Contains("outside the calendar window", logs, StringComparison.Ordinal);
        Assert.Contains("missing organizer", logs, StringComparison.Ordinal);
        Assert.Contains("unknown property 'futureProperty'", logs, StringComparison.Ordinal);
        Assert.Contains("malformed", logs, StringComparison.Ordinal);

        static async Task<string> Id(Task<string> response) => JsonDocument.Parse(await response).RootElement.GetProperty("id").GetString()!;
    }

    [Theory]
    [InlineData("401")]
    [InlineData("403")]
    public async Task SyncAsync_ConsentRevoked_StopsOnlyThatUserAndMarksIt(string status)
    {
        await using var h = await Harness.StartAsync(seed: Harness.SmallTenant());
        await h.ControlAsync("POST", $"/_sim/users/{Ada}/faults", new { kind = status, count = -1 });
        var sync = h.NewSync();

        var ada = await sync.SyncAsync(h.Key(Ada), Ct);
        var bob = await sync.SyncAsync(h.Key(Bob), Ct);
        var again = await sync.SyncAsync(h.Key(Ada), Ct);

        Assert.Equal(SyncOutcome.NeedsConsent, ada.Outcome);
        Assert.Equal(ConsentState.NeedsConsent, (await h.Directory.GetAsync(h.Key(Ada), Ct))!.Consent);
        Assert.Equal(SyncOutcome.Completed, bob.Outcome);
        Assert.NotEmpty(h.Store.Messages(h.Key(Bob)));
        Assert.Equal(SyncOutcome.Skipped, again.Outcome);
        Assert.Equal(0, again.Requests);

        await h.ControlAsync("DELETE", $"/_sim/users/{Ada}/faults");
        await h.Directory.SetConsentAsync(h.Key(Ada), ConsentState.Active, Ct);
        Assert.Equal(SyncOutcome.Completed, (await sync.SyncAsync(h.Key(Ada), Ct)).Outcome);
    }

    [Fact]
    public async Task SyncAsync_CalendarWindowMoves_StartsANewCalendarRound()
    {
        await using var h = await Harness.StartAsync(sync: s => s.CalendarRewindowDays = 1, seed: Harness.SmallTenant());
        var user = h.Key(Ada);
        await h.NewSync().SyncAsync(user, Ct);
        var saved = h.State.Links[(user, MailboxSync.CalendarStream)];
        var staleWindow = "2000-01-01T00:00:00.0000000Z|2000-02-01T00:00:00.0000000Z|" + saved.Split('|', 3)[2];
        await h.State.SetDeltaLinkAsync(user, MailboxSync.CalendarStream, staleWindow, Ct);

        var result = await h.NewSync().SyncAsync(user, Ct);

        var calendar = result.Streams.Single(s => s.Stream == MailboxSync.CalendarStream);
        Assert.Equal(h.TruthEvents(Ada).Count, calendar.Upserted);
        Assert.Contains(h.Logs.Lines, l => l.Contains("calendar window moved", StringComparison.Ordinal));
    }
}
