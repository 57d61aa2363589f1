using TiesOffice.Application.Ports;
using TiesOffice.Testing.Azurite;

namespace TiesOffice.Storage.Tests;

/// <summary>
/// Concurrency through single-entity operations (Azurite ignores If-Match inside batches, issue 1233).
/// Two harnesses on the same tables stand for two hosts.
/// </summary>
public sealed class ConcurrencyTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private StorageHarness _a = null!;
    private StorageHarness _b = null!;

    public ValueTask InitializeAsync()
    {
        _a = StorageHarness.Create(azurite);
        _b = StorageHarness.Create(azurite, prefix: _a.Prefix, queueName: _a.QueueName);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    [Fact]
    public async Task UpdateSettings_TwoConcurrentWriters_NoLostUpdate()
    {
        var ct = TestContext.Current.CancellationToken;
        var user = TestData.NewUser();
        await _a.Get<ISettingsStore>().SaveSettingsAsync(user, new UserSettings(0), ct);
        const int PerWriter = 15;

        async Task WriterAsync(StorageHarness host)
        {
            for (var i = 0; i < PerWriter; i++)
            {
                await host.Get<ISettingsStore>().UpdateSettingsAsync(user, s => s with { WeeklyNudgeBudget = s.WeeklyNudgeBudget + 1 }, ct);
            }
        }

        await Task.WhenAll(Task.Run(() => WriterAsync(_a), ct), Task.Run(() => WriterAsync(_b), ct), Task.Run(() => WriterAsync(_a), ct));

        Assert.Equal(3 * PerWriter, (await _b.Get<ISettingsStore>().GetSettingsAsync(user, ct)).WeeklyNudgeBudget);
        Assert.Contains(_a.Logs.Lines.Concat(_b.Logs.Lines), l => l.Contains("[4003]", StringComparison.Ordinal)); // a 412 really happened and was retried
    }

    [Fact]
    public async Task UpdateSettings_NoRowYet_ConcurrentFirstWritesBothApplied()
    {
        var ct = TestContext.Current.CancellationToken;
        var user = TestData.NewUser();

        await Task.WhenAll(
            _a.Get<ISettingsStore>().UpdateSettingsAsync(user, s => s with { WeeklyNudgeBudget = s.WeeklyNudgeBudget + 10 }, ct),
            _b.Get<ISettingsStore>().UpdateSettingsAsync(user, s => s with { WeeklyNudgeBudget = s.WeeklyNudgeBudget + 100 }, ct));

        Assert.Equal(new UserSettings().WeeklyNudgeBudget + 110, (await _a.Get<ISettingsStore>().GetSettingsAsync(user, ct)).WeeklyNudgeBudget);
    }

    [Fact]
    public async Task EngineStateTryWrite_TwoWritersFromSameVersion_ExactlyOneWinsAndNoTornBlob()
    {
        var ct = TestContext.Current.CancellationToken;
        var user = TestData.NewUser();
        var v0 = await _a.Get<IEngineStateStore>().TryWriteAsync(user, new byte[10], null, ct);
        var blobA = Enumerable.Repeat((byte)0xA, 1_500_000).ToArray();
        var blobB = Enumerable.Repeat((byte)0xB, 1_500_000).ToArray();

        var results = await Task.WhenAll(
            Task.Run(() => _a.Get<IEngineStateStore>().TryWriteAsync(user, blobA, v0, ct), ct),
            Task.Run(() => _b.Get<IEngineStateStore>().TryWriteAsync(user, blobB, v0, ct), ct));
        var final = await _a.Get<IEngineStateStore>().ReadAsync(user, ct);

        Assert.Single(results, r => r is not null);
        var winner = results[0] is not null ? blobA : blobB;
        Assert.Equal(results.Single(r => r is not null), final!.Version);
        Assert.True(final.Data.Span.SequenceEqual(winner));
        var engineRows = (await _a.ScanAllAsync(ct)).Where(r => r.Table == "engine").ToList();
        Assert.Equal(1 + 3, engineRows.Count); // the head and the winner's chunks; the loser cleaned up
    }
}
