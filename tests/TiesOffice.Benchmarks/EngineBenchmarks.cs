using BenchmarkDotNet.Attributes;
using TiesOffice.Domain.Metadata;
using TiesOffice.Domain.Ties;

namespace TiesOffice.Benchmarks;

/// <summary>Batch: feed a 1,000,000-message mailbox with 20,000 contacts into a fresh ledger and score every tie.</summary>
[MemoryDiagnoser]
public class BatchScoringBenchmark
{
    private const int Messages = 1_000_000;
    private MailMessage[] _mailbox = [];

    [GlobalSetup]
    public void Setup() => _mailbox = SyntheticMailbox.Generate(Messages, 20_000, seed: 1, SyntheticMailbox.Start);

    [Benchmark(OperationsPerInvoke = Messages)]
    public int FeedAndScore()
    {
        var ledger = new TieLedger(SyntheticMailbox.Owner);
        ledger.AddRange(_mailbox);

        return ledger.Score(_mailbox[^1].SentAt.AddDays(1)).Count;
    }
}

/// <summary>Incremental sync: 1,000 new messages into a ledger that already holds a history of 10,000 or 1,000,000.</summary>
[MemoryDiagnoser]
public class IncrementalSyncBenchmark
{
    private byte[] _stored = [];
    private MailMessage[] _fresh = [];
    private TieLedger _ledger = new(SyntheticMailbox.Owner);

    [Params(10_000, 1_000_000)]
    public int History { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var history = SyntheticMailbox.Generate(History, 20_000, seed: 2, SyntheticMailbox.Start);
        _stored = TieLedger.Build(SyntheticMailbox.Owner, history).Serialize();
        _fresh = SyntheticMailbox.Generate(1_000, 20_000, seed: 3, history[^1].SentAt, idPrefix: "new");
    }

    [IterationSetup]
    public void Restore() => _ledger = TieLedger.Deserialize(_stored);

    [Benchmark]
    public int AddThousandNewMessages()
    {
        return _ledger.AddRange(_fresh);
    }
}
