namespace TiesOffice.Infrastructure.Bot.Connector;

/// <summary>
/// Paces sends to Teams' published bot limits (msteams-docs <c>bots/how-to/rate-limit.md</c>, protocols.md §2.5):
/// per bot per thread 7 per 1 s, 8 per 2 s, 60 per 30 s and 1,800 per hour; per app per tenant 50 per second. Each
/// send waits (on the given clock) until every window has room, then takes a slot in each.
/// </summary>
public sealed class TeamsRatePacer
{
    /// <summary>The per-thread windows.</summary>
    public static readonly IReadOnlyList<(TimeSpan Window, int Limit)> ThreadLimits =
    [
        (TimeSpan.FromSeconds(1), 7),
        (TimeSpan.FromSeconds(2), 8),
        (TimeSpan.FromSeconds(30), 60),
        (TimeSpan.FromHours(1), 1_800),
    ];

    /// <summary>The per-app-per-tenant window.</summary>
    public static readonly IReadOnlyList<(TimeSpan Window, int Limit)> TenantLimits = [(TimeSpan.FromSeconds(1), 50)];

    private readonly TimeProvider _time;
    private readonly Dictionary<string, Queue<DateTimeOffset>> _threads = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Queue<DateTimeOffset>> _tenants = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Paces on <paramref name="time"/>.</summary>
    public TeamsRatePacer(TimeProvider time) => _time = time;

    /// <summary>Waits until a send to <paramref name="conversationId"/> in <paramref name="tenantId"/> is within the limits.</summary>
    /// <returns>The instant the send's slot was taken.</returns>
    public async Task<DateTimeOffset> WaitAsync(string conversationId, string? tenantId, CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan wait;
            lock (_lock)
            {
                var now = _time.GetUtcNow();
                var thread = Slots(_threads, conversationId);
                var tenant = Slots(_tenants, tenantId ?? string.Empty);
                wait = Max(WaitFor(thread, ThreadLimits, now), WaitFor(tenant, TenantLimits, now));
                if (wait <= TimeSpan.Zero)
                {
                    thread.Enqueue(now);
                    tenant.Enqueue(now);
                    Trim(thread, ThreadLimits[^1].Window, now);
                    Trim(tenant, TenantLimits[^1].Window, now);
                    return now;
                }
            }

            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static Queue<DateTimeOffset> Slots(Dictionary<string, Queue<DateTimeOffset>> map, string key)
    {
        if (!map.TryGetValue(key, out var queue))
        {
            queue = new Queue<DateTimeOffset>();
            map[key] = queue;
        }

        return queue;
    }

    /// <summary>How long until every window has room: for a window of length W and limit L, the L-th most recent send must be older than W.</summary>
    private static TimeSpan WaitFor(Queue<DateTimeOffset> sent, IReadOnlyList<(TimeSpan Window, int Limit)> limits, DateTimeOffset now)
    {
        var wait = TimeSpan.Zero;
        if (sent.Count == 0)
        {
            return wait;
        }

        var times = sent.ToArray();
        foreach (var (window, limit) in limits)
        {
            if (times.Length >= limit)
            {
                var lth = times[^limit];
                var until = lth + window - now;
                wait = Max(wait, until);
            }
        }

        return wait;
    }

    private static void Trim(Queue<DateTimeOffset> sent, TimeSpan longest, DateTimeOffset now)
    {
        while (sent.Count > 0 && now - sent.Peek() >= longest)
        {
            sent.Dequeue();
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
