using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Running;
using TiesOffice.Benchmarks;
using TiesOffice.Domain.Ties;

if (args is ["stream", ..])
{
    // The batch case as a sync or the CLI meets it: messages arrive one at a time and are not kept, so the process's
    // peak working set is the engine's (plus the runtime and the generator), not the input's.
    var streamed = new TieLedger(SyntheticMailbox.Owner);
    var last = DateTimeOffset.MinValue;
    var streamClock = Stopwatch.StartNew();
    foreach (var message in SyntheticMailbox.Stream(1_000_000, 20_000, seed: 1, SyntheticMailbox.Start))
    {
        streamed.Add(message);
        last = message.SentAt;
    }

    var streamedTies = streamed.Score(last.AddDays(1));
    streamClock.Stop();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"streamed {streamed.ItemCount:N0} messages, {streamedTies.Count:N0} ties in {streamClock.Elapsed.TotalMilliseconds:N0} ms including generation"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:N0} MB (whole process)"));
    return;
}

if (args is ["score", ..])
{
    // "score N": one feed of the batch mailbox, then N timed Score calls on it (after enough calls to tier up);
    // the best lap isolates the scoring path, which the feed dominates in the other figures.
    var scored = new TieLedger(SyntheticMailbox.Owner);
    var scoreMailbox = SyntheticMailbox.Generate(1_000_000, 20_000, seed: 1, SyntheticMailbox.Start);
    scored.AddRange(scoreMailbox);
    var at = scoreMailbox[^1].SentAt.AddDays(1);
    for (var i = 0; i < 40; i++)
    {
        scored.Score(at);
    }

    Thread.Sleep(500);
    var laps = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20;
    var fastest = TimeSpan.MaxValue;
    for (var r = 0; r < laps; r++)
    {
        var lap = Stopwatch.StartNew();
        scored.Score(at);
        fastest = lap.Elapsed < fastest ? lap.Elapsed : fastest;
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"score, best of {laps}   {fastest.TotalMilliseconds:N2} ms for {scored.ContactCount:N0} ties = {fastest.TotalMicroseconds / scored.ContactCount:N2} µs per tie"));
    return;
}

if (args is ["throughput", ..])
{
    // One plain run outside BenchmarkDotNet, to read the process's peak memory for the batch case. A first, smaller
    // run warms the JIT so the measured run sees optimised code, as BenchmarkDotNet's warm-up would.
    var warm = new TieLedger(SyntheticMailbox.Owner);
    var warmMailbox = SyntheticMailbox.Generate(200_000, 20_000, seed: 9, SyntheticMailbox.Start);
    warm.AddRange(warmMailbox);

    // Scoring too, more than the 30 calls after which the runtime recompiles a method fully optimised, then a pause
    // for that background compilation: the measured Score then runs the code BenchmarkDotNet would measure.
    var small = new TieLedger(SyntheticMailbox.Owner);
    small.AddRange(warmMailbox.Take(5_000));
    for (var i = 0; i < 40; i++)
    {
        small.Score(warmMailbox[4_999].SentAt.AddDays(1 + i));
    }

    Thread.Sleep(500);

    var mailbox = SyntheticMailbox.Generate(1_000_000, 20_000, seed: 1, SyntheticMailbox.Start);
    GC.Collect();
    var inputBytes = GC.GetTotalMemory(forceFullCollection: true);
    var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
    int[] collectionsBefore = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
    var process = Process.GetCurrentProcess();
    var cpuBefore = process.TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    var ledger = new TieLedger(SyntheticMailbox.Owner);
    ledger.AddRange(mailbox);

    var fed = clock.Elapsed;
    var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
    var collections = string.Join('/', Enumerable.Range(0, 3).Select(g => GC.CollectionCount(g) - collectionsBefore[g]));
    process.Refresh();
    var cpu = process.TotalProcessorTime - cpuBefore;
    var ties = ledger.Score(mailbox[^1].SentAt.AddDays(1));
    clock.Stop();

    // "throughput N": N more feeds of the same mailbox into fresh ledgers; the best one is the least disturbed by
    // the other processes on a shared machine.
    var repeats = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 0;
    var best = fed;
    var bestCpu = cpu;
    for (var r = 0; r < repeats; r++)
    {
        var again = new TieLedger(SyntheticMailbox.Owner);
        process.Refresh();
        var lapCpu = process.TotalProcessorTime;
        var lap = Stopwatch.StartNew();
        again.AddRange(mailbox);

        best = lap.Elapsed < best ? lap.Elapsed : best;
        process.Refresh();
        var used = process.TotalProcessorTime - lapCpu;
        bestCpu = used < bestCpu ? used : bestCpu;
    }

    var withLedger = GC.GetTotalMemory(forceFullCollection: true);
    var peak = Process.GetCurrentProcess().PeakWorkingSet64;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
        messages            {mailbox.Length:N0}
        contacts            {ledger.ContactCount:N0} ({ties.Count:N0} ties)
        feed                {fed.TotalMilliseconds:N0} ms = {mailbox.Length / fed.TotalSeconds:N0} messages/s
        best of {repeats + 1} feeds   {best.TotalMilliseconds:N0} ms = {mailbox.Length / best.TotalSeconds:N0} messages/s; least CPU {bestCpu.TotalMilliseconds:N0} ms = {mailbox.Length / bestCpu.TotalSeconds:N0} messages per CPU second
        feed, CPU time      {cpu.TotalMilliseconds:N0} ms = {mailbox.Length / cpu.TotalSeconds:N0} messages per CPU second (the machine is shared)
        feed + score        {clock.Elapsed.TotalMilliseconds:N0} ms = {mailbox.Length / clock.Elapsed.TotalSeconds:N0} messages/s
        allocated (feed)    {allocated / 1048576.0:N0} MB = {allocated / (double)mailbox.Length:N1} bytes/message (growth of tables, not per message)
        collections (feed)  {collections} (generation 0/1/2; each one in generation 2 also marks the input held in memory)
        input in memory     {inputBytes / 1048576.0:N0} MB
        ledger in memory    {(withLedger - inputBytes) / 1048576.0:N0} MB (serialized {ledger.Serialize().Length / 1048576.0:N1} MB)
        peak working set    {peak / 1048576.0:N0} MB (whole process, input included)
        """));
    GC.KeepAlive(mailbox);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(BatchScoringBenchmark).Assembly).Run(args);
