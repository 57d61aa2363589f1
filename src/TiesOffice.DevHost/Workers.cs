using System.Globalization;
using Microsoft.Extensions.Options;
using TiesOffice.Infrastructure.Storage;
using TiesOffice.Web;

namespace TiesOffice.DevHost;

/// <summary>Creates the tables and queues before the workers start (Functions relies on deployment for this).</summary>
internal sealed class StorageStartup(StorageProvisioner provisioner) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => provisioner.EnsureCreatedAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>
/// Stands in for the Functions timers: fans out the sync every <see cref="SyncScheduleOptions.Interval"/>, and applies
/// retention on the first tick of each UTC day.
/// </summary>
internal sealed partial class SyncScheduler(SyncJobs jobs, IOptions<SyncScheduleOptions> options, TimeProvider time, ILogger<SyncScheduler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval, time);
        DateOnly? retainedOn = null;
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                var now = time.GetUtcNow();
                var runId = now.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
                await jobs.FanOutAsync(runId, stoppingToken).ConfigureAwait(false);
                var today = DateOnly.FromDateTime(now.UtcDateTime);
                if (retainedOn != today)
                {
                    await jobs.ApplyRetentionAsync(stoppingToken).ConfigureAwait(false);
                    retainedOn = today;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.FanOutFailed(logger, ex.GetType().Name);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6001, Level = LogLevel.Warning, Message = "Sync fan-out failed ({Error}); the next tick tries again")]
        public static partial void FanOutFailed(ILogger logger, string error);
    }
}

/// <summary>Stands in for the Functions queue trigger: receives sync jobs and runs them, a few users side by side.</summary>
internal sealed partial class QueueWorker(SyncJobs jobs, IOptions<SyncScheduleOptions> options, TimeProvider time, ILogger<QueueWorker> logger) : BackgroundService
{
    private static readonly TimeSpan s_idle = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_maxBackoff = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = s_idle;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var batch = await jobs.ProcessBatchAsync(options.Value.Concurrency, stoppingToken).ConfigureAwait(false);
                backoff = s_idle;
                if (batch.Received == 0)
                {
                    await Task.Delay(s_idle, time, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Storage unreachable or failing: back off (doubling, capped) and try again; nothing is lost, the queue keeps the jobs.
                Log.BatchFailed(logger, ex.GetType().Name, backoff.TotalSeconds);
                await Task.Delay(backoff, time, stoppingToken).ConfigureAwait(false);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, s_maxBackoff.Ticks));
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6002, Level = LogLevel.Warning, Message = "Queue batch failed ({Error}); retrying in {Seconds} s")]
        public static partial void BatchFailed(ILogger logger, string error, double seconds);
    }
}
