using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using TiesOffice.Application;
using TiesOffice.Application.Jobs;
using TiesOffice.Application.Ports;
using TiesOffice.Infrastructure.Storage;
using TiesOffice.Testing.Azurite;

namespace TiesOffice.Graph.Benchmark;

/// <summary>
/// The timer's fan-out for a large tenant against Azurite: enrols N users, then times one fan-out with the sends one
/// at a time (as before) and 32 at a time (now), spread over 15 minutes, and counts its storage transactions. Not a test.
/// </summary>
internal static class FanOutBenchmark
{
    public static async Task<int> RunAsync(int users, IReadOnlyList<int> parallelisms)
    {
        var azurite = new AzuriteFixture();
        await azurite.InitializeAsync();
        try
        {
            var prefix = AzuriteFixture.NewTablePrefix("fan");
            var interval = TimeSpan.FromMinutes(15);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Fan-out of {users:N0} users against Azurite, spread over {interval.TotalMinutes} min; {Environment.ProcessorCount} cores, load average {LoadAverage()}."));
            var keys = Enumerable.Range(0, users).Select(i => new UserKey("5f1e0b7c-2d44-4c1b-9a57-0a3f6a1e7d10", $"user-{i:D5}")).ToList();
            await using (var setup = Provider(azurite, prefix, AzuriteFixture.NewQueueName(), 32))
            {
                await setup.GetRequiredService<StorageProvisioner>().EnsureCreatedAsync(CancellationToken.None);
                var watch = Stopwatch.StartNew();
                await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (key, ct) =>
                    await setup.GetRequiredService<IUserDirectory>().EnrolAsync(new EnrolledUser(key, key.UserId + "@example.test", null, null, DateTimeOffset.UtcNow, ConsentState.Active), ct));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"enrolled {users:N0} users in {watch.Elapsed.TotalSeconds:N1} s"));
            }

            foreach (var parallelism in parallelisms)
            {
                var queueName = AzuriteFixture.NewQueueName("fan");
                await using var services = Provider(azurite, prefix, queueName, parallelism);
                var queue = services.GetRequiredService<IJobQueue>();
                var counter = services.GetRequiredService<StorageRequestCounter>();
                await services.GetRequiredService<StorageProvisioner>().EnsureCreatedAsync(CancellationToken.None);
                counter.Reset();
                var process = Process.GetCurrentProcess();
                var cpu0 = process.TotalProcessorTime;
                var watch = Stopwatch.StartNew();
                var queued = await queue.EnqueueForActiveUsersAsync("timer", "benchmark", DateTimeOffset.UtcNow, interval, CancellationToken.None);
                watch.Stop();
                process.Refresh();
                var counts = counter.Snapshot();
                var sends = counts.GetValueOrDefault("queue:" + queueName);
                var tables = counts.Where(p => p.Key.StartsWith("table:", StringComparison.Ordinal)).Sum(p => p.Value);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{parallelism,3} at a time: {queued:N0} jobs, {sends:N0} queue sends, {tables} table transactions (directory pages), {watch.Elapsed.TotalSeconds:N1} s wall ({queued / watch.Elapsed.TotalSeconds:N0} sends/s), {(process.TotalProcessorTime - cpu0).TotalSeconds:N1} CPU s in this process (Azurite apart); load average {LoadAverage()}"));
            }

            // Where the jobs land in the interval: the busiest and the quietest minute.
            var perMinute = keys.GroupBy(k => (int)FanOutSpread.DelayFor(k, interval).TotalMinutes).Select(g => g.Count()).ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"visible per minute of the interval: {perMinute.Min():N0} to {perMinute.Max():N0} users (mean {users / interval.TotalMinutes:N0}); before, all {users:N0} at once"));
            return 0;
        }
        finally
        {
            await azurite.DisposeAsync();
        }
    }

    private static ServiceProvider Provider(AzuriteFixture azurite, string prefix, string queueName, int parallelism)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddTiesOfficeStorage(o =>
        {
            o.ConnectionString = azurite.ConnectionString;
            o.TablePrefix = prefix;
            o.QueueName = queueName;
            o.FanOutParallelism = parallelism;
        });
        return services.BuildServiceProvider();
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
}
