using TiesOffice.Application.Ports;
using TiesOffice.Application.Sync;

namespace TiesOffice.Application.Tests;

public sealed class UserSyncHandlerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task HandleAsync_KilledBetweenStoringItemsAndSavingTheLedger_LeavesTheLedgerStaleAndTheNextRunRebuildsIt()
    {
        var h = new UserJobHarness();
        var user = h.Enrol("ada");
        h.Exchange(user, "a", "bob@contoso.example", daysAgo: 20);
        Assert.True((await h.RunAsync(user)).Rescore!.Rebuilt);

        // New mail arrives; the process dies after storing it, before the ledger is saved.
        h.Exchange(user, "b", "cyd@contoso.example", daysAgo: 1);
        h.Ledgers.BeforeWrite = (_, _) => throw new OperationCanceledException("killed");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => h.RunAsync(user));
        Assert.Equal(4, h.Items.Messages(user).Count);
        Assert.True(h.State.Ledger(user).Stale);
        Assert.Equal(2, h.SavedLedger(user).ItemCount);

        // The next run brings nothing new, yet rebuilds from the stored items because the flag is set.
        h.Ledgers.BeforeWrite = null;
        var next = await h.RunAsync(user);

        Assert.NotNull(next.Rescore);
        Assert.True(next.Rescore.Rebuilt);
        Assert.Equal(4, h.SavedLedger(user).ItemCount);
        Assert.False(h.State.Ledger(user).Stale);
        Assert.Contains("cyd@contoso.example", h.Ties.Ties(user).Keys);
    }

    [Fact]
    public async Task HandleAsync_RunRemovedItems_RebuildsTheLedgerFromWhatIsStored()
    {
        var h = new UserJobHarness();
        var user = h.Enrol("ada");
        h.Exchange(user, "a", "bob@contoso.example", daysAgo: 30);
        h.Exchange(user, "b", "cyd@contoso.example", daysAgo: 10);
        await h.RunAsync(user);
        Assert.Equal(4, h.SavedLedger(user).ItemCount);

        // A new item alone is added to the saved ledger without reading the store.
        h.Exchange(user, "c", "bob@contoso.example", daysAgo: 1);
        var readBefore = h.Items.ItemsRead;
        var added = await h.RunAsync(user);
        Assert.False(added.Rescore!.Rebuilt);
        Assert.Equal(2, added.Rescore.ItemsAdded);
        Assert.Equal(readBefore, h.Items.ItemsRead);

        // A removal cannot be taken out of a ledger that only adds: the ledger is rebuilt from the stored items.
        h.Graph.Remove(user, "inbox", "b-in");
        h.Graph.Remove(user, "sentitems", "b-out");
        var removed = await h.RunAsync(user);

        Assert.True(removed.Rescore!.Rebuilt);
        Assert.Equal(4, h.SavedLedger(user).ItemCount);
        Assert.True(h.Items.ItemsRead >= readBefore + 4);
        Assert.DoesNotContain("cyd@contoso.example", h.Ties.Ties(user).Keys);
        Assert.Contains("bob@contoso.example", h.Ties.Ties(user).Keys);
    }

    [Fact]
    public async Task HandleAsync_LedgerSavedByAnotherWorkerInBetween_ReloadsAppliesAgainAndSaves()
    {
        var h = new UserJobHarness();
        var user = h.Enrol("ada");
        h.Exchange(user, "a", "bob@contoso.example", daysAgo: 20);
        await h.RunAsync(user);
        var first = (await h.Ledgers.ReadAsync(user, Ct))!.Data.ToArray();

        // While this run applies its new items, another worker saves the ledger (its bytes: the first run's ledger).
        h.Exchange(user, "b", "cyd@contoso.example", daysAgo: 1);
        var writesBefore = h.Ledgers.Writes;
        h.Ledgers.BeforeWrite = (u, attempt) =>
        {
            if (attempt == writesBefore + 1)
            {
                h.Ledgers.WriteAsAnotherWorker(u, first);
            }

            return Task.CompletedTask;
        };
        var report = await h.RunAsync(user);

        Assert.Equal(writesBefore + 2, h.Ledgers.Writes);
        Assert.Single(h.Logs.Lines, l => l.Contains("changed during save", StringComparison.Ordinal));
        Assert.Equal(4, h.SavedLedger(user).ItemCount);
        Assert.Contains("cyd@contoso.example", h.Ties.Ties(user).Keys);
        Assert.False(h.State.Ledger(user).Stale);
        Assert.NotNull(report.Rescore);
    }

    [Fact]
    public async Task HandleAsync_LedgerChangesUnderEverySave_GivesUpAfterThreeAttemptsAndLeavesTheLedgerStale()
    {
        var h = new UserJobHarness();
        var user = h.Enrol("ada");
        h.Exchange(user, "a", "bob@contoso.example", daysAgo: 20);
        await h.RunAsync(user);
        var first = (await h.Ledgers.ReadAsync(user, Ct))!.Data.ToArray();
        h.Exchange(user, "b", "cyd@contoso.example", daysAgo: 1);
        h.Ledgers.BeforeWrite = (u, _) =>
        {
            h.Ledgers.WriteAsAnotherWorker(u, first);
            return Task.CompletedTask;
        };

        await Assert.ThrowsAsync<InvalidOperationException>(() => h.RunAsync(user));

        Assert.Equal(3, h.Logs.Lines.Count(l => l.Contains("changed during save", StringComparison.Ordinal)));
        Assert.True(h.State.Ledger(user).Stale);
    }

    [Fact]
    public async Task HandleAsync_OneUserLosesConsent_StopsThatUserOnly()
    {
        var h = new UserJobHarness();
        var ada = h.Enrol("ada");
        var bob = h.Enrol("bob");
        h.Exchange(ada, "a", "cyd@contoso.example", daysAgo: 5);
        h.Exchange(bob, "b", "cyd@contoso.example", daysAgo: 5);
        h.Graph.Deny(ada, 403);

        var denied = await h.RunAsync(ada);
        var fine = await h.RunAsync(bob);

        Assert.Equal(SyncOutcome.NeedsConsent, denied.Sync!.Outcome);
        Assert.Null(denied.Rescore);
        Assert.Equal(ConsentState.NeedsConsent, (await h.Directory.GetAsync(ada, Ct))!.Consent);
        Assert.Empty(h.Ties.Ties(ada));
        Assert.Equal(SyncOutcome.Completed, fine.Sync!.Outcome);
        Assert.NotEmpty(h.Ties.Ties(bob));
        Assert.Equal(ConsentState.Active, (await h.Directory.GetAsync(bob, Ct))!.Consent);

        // Ada's next job stops at the directory: no Graph request at all. Bob's keeps running.
        var requests = h.Graph.Requests(ada);
        h.Exchange(bob, "c", "dee@contoso.example", daysAgo: 1);
        var again = await h.RunAsync(ada);
        var bobAgain = await h.RunAsync(bob);

        Assert.Null(again.Sync);
        Assert.Equal(requests, h.Graph.Requests(ada));
        Assert.Equal(SyncOutcome.Completed, bobAgain.Sync!.Outcome);
        Assert.Contains("dee@contoso.example", h.Ties.Ties(bob).Keys);
    }

    [Fact]
    public async Task HandleAsync_NothingNew_RescoresForDecayOnlyOnceADay()
    {
        var h = new UserJobHarness();
        var user = h.Enrol("ada");
        h.Exchange(user, "a", "bob@contoso.example", daysAgo: 20);
        await h.RunAsync(user);
        var writes = h.Ledgers.Writes;
        var rows = h.Ties.RowsWritten;
        var scoredAt = h.State.Ledger(user).ScoredAt;

        h.Time.Advance(TimeSpan.FromHours(23));
        var idle = await h.RunAsync(user);

        Assert.Equal(SyncOutcome.Completed, idle.Sync!.Outcome);
        Assert.Null(idle.Rescore);
        Assert.Equal(writes, h.Ledgers.Writes);
        Assert.Equal(rows, h.Ties.RowsWritten);
        Assert.Equal(scoredAt, h.State.Ledger(user).ScoredAt);

        h.Time.Advance(TimeSpan.FromHours(1));
        var nextDay = await h.RunAsync(user);

        Assert.NotNull(nextDay.Rescore);
        Assert.False(nextDay.Rescore.Rebuilt);
        Assert.Equal(h.Time.GetUtcNow(), h.State.Ledger(user).ScoredAt);
    }

    [Fact]
    public async Task HandleAsync_IdleSync_WritesNoSyncStateAndReadsItOnce()
    {
        var h = new UserJobHarness();
        var user = h.Enrol("ada");
        h.Exchange(user, "a", "bob@contoso.example", daysAgo: 20);
        await h.RunAsync(user);
        var links = h.State.Links.Where(p => p.Key.Item1 == user).ToDictionary(p => p.Key.Item2, p => p.Value);
        var status = h.State.Status(user);
        var reads = h.State.Reads;
        var linkWrites = 0;
        h.State.BeforeWrite = (_, _, _) => linkWrites++;

        h.Time.Advance(TimeSpan.FromMinutes(15));
        await h.RunAsync(user);

        Assert.Equal(0, linkWrites);
        Assert.Equal(reads + 1, h.State.Reads);
        Assert.Equal(status, h.State.Status(user));
        Assert.Equal(links, h.State.Links.Where(p => p.Key.Item1 == user).ToDictionary(p => p.Key.Item2, p => p.Value));
    }
}
