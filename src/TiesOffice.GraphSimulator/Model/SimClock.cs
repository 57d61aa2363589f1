namespace TiesOffice.GraphSimulator.Model;

/// <summary>The simulator's clock: an inner clock plus an offset that the control API can advance.</summary>
public sealed class SimClock : TimeProvider
{
    private readonly TimeProvider _inner;
    private long _offsetTicks;

    /// <summary>Creates the clock over an inner one (the system clock by default).</summary>
    public SimClock(TimeProvider? inner = null) => _inner = inner ?? System;

    /// <summary>How far the clock has been advanced.</summary>
    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => _inner.GetUtcNow() + Offset;

    /// <summary>Moves the clock forward.</summary>
    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
}
