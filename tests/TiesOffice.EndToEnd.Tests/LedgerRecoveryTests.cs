using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using TiesOffice.Application;
using TiesOffice.Application.Ports;
using TiesOffice.Application.Scoring;
using TiesOffice.Domain.Ties;

namespace TiesOffice.EndToEnd.Tests;

/// <summary>The saved tie ledger is derived state: when it cannot be read, the next sync rebuilds it. Its own host
/// and tables, so the users it enrols do not change the counts other end-to-end tests check.</summary>
public sealed class LedgerRecoveryTests(EndToEndFixture app) : IClassFixture<EndToEndFixture>
{
    [Fact]
    public async Task DamagedSavedLedger_IsRebuiltFromTheStoredItemsOnTheNextSyncThatBringsMail()
    {
        var ct = TestContext.Current.CancellationToken;
        var id = await app.EnrolAsync("tana.jones@enron.com", ct);
        var user = new UserKey(EndToEndFixture.TenantId, id);
        var ledgers = app.Host.Services.GetRequiredService<IEngineStateStore>();
        var saved = await PollAsync(() => ledgers.ReadAsync(user, ct), ct);
        Assert.NotNull(saved);

        // Bytes the engine cannot read: a ledger from another format version would be refused the same way.
        Assert.NotNull(await ledgers.TryWriteAsync(user, "not a tie ledger"u8.ToArray(), saved.Version, ct));

        // A sync re-scores (and so reads the ledger) when it brings something new, or once a day: bring a message.
        using var http = new HttpClient { BaseAddress = app.Simulator.BaseAddress };
        (await http.PostAsJsonAsync("/_sim/messages", new { from = "kay.mann@enron.com", to = new[] { "tana.jones@enron.com" }, subject = "Draft attached", sentDateTime = app.Simulator.Clock.GetUtcNow().AddMinutes(-5) }, ct)).EnsureSuccessStatusCode();
        (await app.Client.PostAsync(new Uri("/api/dev/sync-now", UriKind.Relative), null, ct)).EnsureSuccessStatusCode();

        var rebuilt = await PollAsync(async () => await ledgers.ReadAsync(user, ct) is { } state ? TryRestore(state) : null, ct);
        Assert.NotNull(rebuilt);

        // Rebuilt from the items stored.
        Assert.Equal("tana.jones@enron.com", rebuilt.Owner);
        Assert.True(rebuilt.ItemCount > 0);
        Assert.NotEmpty(await app.Host.Services.GetRequiredService<ITieStore>().ReadAsync(user, ct).ToListAsync(ct));
    }

    private static TieLedger? TryRestore(EngineState state)
    {
        try
        {
            return EngineBlob.Read(state.Data).Ledger;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static Task<T?> PollAsync<T>(Func<Task<T?>> read, CancellationToken ct)
        where T : class => EndToEndFixture.PollAsync(read, ct);
}
