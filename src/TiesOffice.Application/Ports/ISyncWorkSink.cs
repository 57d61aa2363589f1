using TiesOffice.Application.Sync;

namespace TiesOffice.Application.Ports;

/// <summary>Queues sync work so that a webhook can acknowledge Graph within 3 seconds and do the work later.</summary>
public interface ISyncWorkSink
{
    /// <summary>Queues one item of work. Duplicates are harmless: a sync with no changes costs one request per stream.</summary>
    Task EnqueueAsync(SyncWorkItem work, CancellationToken cancellationToken = default);
}
