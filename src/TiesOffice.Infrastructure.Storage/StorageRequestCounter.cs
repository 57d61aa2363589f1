using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;

namespace TiesOffice.Infrastructure.Storage;

/// <summary>
/// Counts storage transactions (every HTTP request the SDK sends, retries included, as billed) by service and
/// logical table or queue. Registered as a singleton, so a host or test can report "transactions per synced user"
/// by taking <see cref="Total"/> before and after a sync.
/// </summary>
public sealed class StorageRequestCounter
{
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);
    private readonly AsyncLocal<string?> _purpose = new();
    private long _total;

    /// <summary>All requests counted so far.</summary>
    public long Total => Interlocked.Read(ref _total);

    /// <summary>
    /// The counts by <c>table:&lt;name&gt;</c> or <c>queue:&lt;name&gt;</c> (table names without the prefix; <c>table:$batch</c> for
    /// transactions), with <c>&lt;purpose&gt;/</c> in front for requests made under <see cref="Attribute"/>.
    /// </summary>
    public IReadOnlyDictionary<string, long> Snapshot() => new Dictionary<string, long>(_counts, StringComparer.Ordinal);

    /// <summary>
    /// Attributes the requests made by the calling flow (and every task it awaits) to <paramref name="purpose"/> until
    /// the result is disposed, so that, for example, a progress poll's reads can be told apart from a sync's. They are
    /// still counted in <see cref="Total"/>: they are billed all the same.
    /// </summary>
    public IDisposable Attribute(string purpose)
    {
        ArgumentException.ThrowIfNullOrEmpty(purpose);
        var previous = _purpose.Value;
        _purpose.Value = purpose;
        return new Restore(this, previous);
    }

    /// <summary>The requests made under <see cref="Attribute"/> with this purpose.</summary>
    public long CountFor(string purpose)
    {
        var prefix = purpose + "/";
        return _counts.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal)).Sum(p => p.Value);
    }

    /// <summary>Forgets every count.</summary>
    public void Reset()
    {
        _counts.Clear();
        Interlocked.Exchange(ref _total, 0);
    }

    internal void Count(string key)
    {
        if (_purpose.Value is { } purpose)
        {
            key = purpose + "/" + key;
        }

        _counts.AddOrUpdate(key, 1, static (_, n) => n + 1);
        Interlocked.Increment(ref _total);
    }

    private sealed class Restore(StorageRequestCounter counter, string? previous) : IDisposable
    {
        public void Dispose() => counter._purpose.Value = previous;
    }
}

/// <summary>The pipeline policy (per retry, so every attempt counts) feeding <see cref="StorageRequestCounter"/>.</summary>
internal sealed class CountingPolicy(StorageRequestCounter counter, string service, string tablePrefix) : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message) => counter.Count(service + ":" + Resource(message.Request.Uri.Path));

    private string Resource(string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0)
        {
            return "(account)";
        }

        if (service == "queue")
        {
            var messages = Array.IndexOf(segments, "messages");
            return messages > 0 ? segments[messages - 1] : segments[^1];
        }

        var last = segments[^1];
        var paren = last.IndexOf('(', StringComparison.Ordinal);
        var table = paren >= 0 ? last[..paren] : last;
        return table.StartsWith(tablePrefix, StringComparison.Ordinal) && table.Length > tablePrefix.Length
            ? table[tablePrefix.Length..]
            : table;
    }
}
