using System.Collections.Concurrent;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Http.HttpClientLibrary.Extensions;

namespace TiesOffice.Infrastructure.Graph;

/// <summary>
/// Keeps every mailbox inside Outlook's limits on the client side: at most N requests in flight per mailbox
/// (shared by every stream of that mailbox), and at most a budget of requests per sliding window.
/// Thread-safe; one instance per process.
/// </summary>
public sealed class MailboxRequestGate
{
    private readonly ConcurrentDictionary<string, Slot> _slots = new(StringComparer.OrdinalIgnoreCase);
    private readonly int _concurrency;
    private readonly int _budget;
    private readonly TimeSpan _window;
    private readonly TimeProvider _time;

    /// <summary>Creates the gate.</summary>
    public MailboxRequestGate(int concurrency, int budget, TimeSpan window, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(budget, 1);
        _concurrency = concurrency;
        _budget = budget;
        _window = window;
        _time = time;
    }

    /// <summary>Creates the gate from the Graph options.</summary>
    public MailboxRequestGate(GraphOptions options, TimeProvider time)
        : this((options ?? throw new ArgumentNullException(nameof(options))).MaxConcurrentPerMailbox, options.RequestBudgetPerMailbox, options.BudgetWindow, time)
    {
    }

    /// <summary>Waits for a slot of the mailbox; dispose the result to release it.</summary>
    public async Task<IDisposable> EnterAsync(string mailbox, CancellationToken cancellationToken)
    {
        var slot = _slots.GetOrAdd(mailbox, _ => new Slot(_concurrency));
        while (true)
        {
            TimeSpan wait;
            lock (slot.Times)
            {
                var now = _time.GetUtcNow();
                while (slot.Times.Count > 0 && slot.Times.Peek() <= now - _window)
                {
                    slot.Times.Dequeue();
                }

                if (slot.Times.Count < _budget)
                {
                    slot.Times.Enqueue(now);
                    break;
                }

                wait = slot.Times.Peek() + _window - now;
            }

            await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.FromMilliseconds(10), _time, cancellationToken).ConfigureAwait(false);
        }

        await slot.Semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Release(slot.Semaphore);
    }

    private sealed class Slot(int concurrency)
    {
        public SemaphoreSlim Semaphore { get; } = new(concurrency, concurrency);

        public Queue<DateTimeOffset> Times { get; } = new();
    }

    private sealed class Release(SemaphoreSlim semaphore) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                semaphore.Release();
            }
        }
    }
}

/// <summary>Names the mailbox a Graph request is for, so <see cref="MailboxGateHandler"/> can apply its limits.</summary>
/// <param name="mailbox">The mailbox (user id).</param>
public sealed class MailboxGateOption(string mailbox) : IRequestOption
{
    /// <summary>The mailbox.</summary>
    public string Mailbox { get; } = mailbox;
}

/// <summary>
/// The innermost handler of the Graph pipeline: every HTTP attempt (including the SDK's retries) passes the
/// mailbox's gate.
/// </summary>
public sealed class MailboxGateHandler(MailboxRequestGate gate) : DelegatingHandler
{
    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.GetRequestOption<MailboxGateOption>() is not { } option)
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        using var slot = await gate.EnterAsync(option.Mailbox, cancellationToken).ConfigureAwait(false);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.Content is not null)
        {
            // Read the body while holding the slot: the request is in flight until its body has arrived.
            await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        }

        return response;
    }
}
