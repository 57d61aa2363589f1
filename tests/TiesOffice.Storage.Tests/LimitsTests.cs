using TiesOffice.Application.Ports;
using TiesOffice.Domain.Metadata;
using TiesOffice.Testing.Azurite;

namespace TiesOffice.Storage.Tests;

public sealed class LimitsTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset s_t0 = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private StorageHarness _h = null!;

    public ValueTask InitializeAsync()
    {
        _h = StorageHarness.Create(azurite);
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _h.DisposeAsync();

    [Fact]
    public async Task UpsertMeetings_FiveThousandAttendees_RoundTripsWithinLimits()
    {
        var ct = TestContext.Current.CancellationToken;
        var user = TestData.NewUser();
        var meeting = TestData.Meeting("all-hands", s_t0, attendees: 5000);

        await _h.Get<IMailboxStore>().UpsertMeetingsAsync(user, [meeting], ct);
        var read = Assert.Single(await _h.Get<IMailboxStore>().ReadMeetingsAsync(user, ct).ToListAsync());

        Assert.Equal(5000, read.Attendees.Count);
        Assert.Equal(TestData.Json(meeting), TestData.Json(read));
        AssertWithinLimits(await _h.ScanAllAsync(ct));
    }

    [Fact]
    public async Task UpsertMessages_TenThousandRecipients_RoundTripsWithinLimits()
    {
        var ct = TestContext.Current.CancellationToken;
        var user = TestData.NewUser();
        var message = TestData.Message("all-company", s_t0, recipients: 10_000);

        await _h.Get<IMailboxStore>().UpsertMessagesAsync(user, [message], ct);
        var read = Assert.Single(await _h.Get<IMailboxStore>().ReadMessagesAsync(user, ct).ToListAsync());

        Assert.Equal(10_000, read.To.Count);
        Assert.Equal(TestData.Json(message with { Subject = null }), TestData.Json(read));
        AssertWithinLimits(await _h.ScanAllAsync(ct));
    }

    [Fact]
    public async Task UpsertMessages_IncompressibleTenThousandRecipients_SpansRowsAndRemovesCleanly()
    {
        var ct = TestContext.Current.CancellationToken;
        var user = TestData.NewUser();
        var random = new Random(7);
        var to = Enumerable.Range(0, 10_000)
            .Select(_ => new string(Enumerable.Range(0, 150).Select(_ => (char)random.Next('a', 'z' + 1)).ToArray()) + "@x.example")
            .ToList();
        var message = TestData.Message("huge", s_t0) with { To = to };
        var store = _h.Get<IMailboxStore>();

        await store.UpsertMessagesAsync(user, [message], ct);
        var rows = (await _h.ScanAllAsync(ct)).Where(r => r.Table == "items").ToList();
        var read = Assert.Single(await store.ReadMessagesAsync(user, ct).ToListAsync());

        Assert.True(rows.Count > 1, $"expected several rows, got {rows.Count}");
        Assert.Equal(to, read.To);
        AssertWithinLimits(rows);
        await store.RemoveAsync(user, ["huge"], ct);
        Assert.DoesNotContain(await _h.ScanAllAsync(ct), r => r.Table == "items");
    }

    [Fact]
    public async Task UpsertMessages_MoreThanOneHundred_WrittenInSeveralTransactions()
    {
        var ct = TestContext.Current.CancellationToken;
        var user = TestData.NewUser();
        var store = _h.Get<IMailboxStore>();
        var messages = Enumerable.Range(0, 250).Select(i => TestData.Message("m" + i, s_t0.AddMinutes(i))).ToList();
        await store.UpsertMessagesAsync(user, [TestData.Message("warm-up", s_t0)], ct);
        _h.Counter.Reset();

        await store.UpsertMessagesAsync(user, messages, ct);
        var batches = _h.Counter.Snapshot().GetValueOrDefault("table:$batch");
        await store.RemoveAsync(user, messages.Select(m => m.Id).ToList(), ct);

        Assert.Equal(3, batches);
        Assert.Equal(["warm-up"], (await store.ReadMessagesAsync(user, ct).ToListAsync()).Select(m => m.Id));
    }

    [Fact]
    public async Task ReplaceTies_OneHundredAndOne_AllStored()
    {
        var ct = TestContext.Current.CancellationToken;
        var user = TestData.NewUser();
        var ties = Enumerable.Range(0, 101).Select(i => TestData.Tie($"c{i}@x.example")).ToList();

        await _h.Get<ITieStore>().ReplaceAsync(user, ties, ct);

        Assert.Equal(101, (await _h.Get<ITieStore>().ReadAsync(user, ct).ToListAsync()).Count);
    }

    private static void AssertWithinLimits(IEnumerable<(string Table, Azure.Data.Tables.TableEntity Row)> rows)
    {
        foreach (var (_, row) in rows)
        {
            long size = 4 + ((row.PartitionKey.Length + row.RowKey.Length) * 2);
            Assert.True(row.Count <= 252, "too many properties");
            foreach (var (name, value) in row)
            {
                var bytes = value switch
                {
                    byte[] b => b.Length,
                    BinaryData d => d.ToMemory().Length,
                    string s => s.Length * 2,
                    _ => 8,
                };
                Assert.True(bytes <= 64 * 1024, $"property {name} has {bytes} bytes");
                size += 8 + (name.Length * 2) + bytes;
            }

            Assert.True(size <= 1024 * 1024, $"entity has {size} bytes");
        }
    }
}
