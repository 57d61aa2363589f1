using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace TiesOffice.Application.Jobs;

/// <summary>
/// Spreads the timer's fan-out over its interval: each user's job becomes visible after a delay fixed by a stable
/// hash of (tenant | user), so every user still syncs once per interval, always at the same offset within it, and a
/// tenant of 10,000 users reaches Graph and storage at an even rate (about 11 users a second over 15 minutes) rather
/// than all at once.
/// </summary>
public static class FanOutSpread
{
    /// <summary>The longest visibility delay Queue storage accepts on a sent message (7 days).</summary>
    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(7);

    /// <summary>
    /// The user's delay within <paramref name="window"/>: whole seconds in [0, window), the same in every process and
    /// on every run (SHA-256 of <c>tenant|user</c>, not the randomised string hash). Zero for a window under a second.
    /// </summary>
    /// <param name="user">The user.</param>
    /// <param name="window">The interval to spread over (the timer's period); at most <see cref="MaxWindow"/>.</param>
    /// <returns>The delay.</returns>
    public static TimeSpan DelayFor(UserKey user, TimeSpan window)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(window, MaxWindow);
        var seconds = (ulong)Math.Floor(window.TotalSeconds);
        if (seconds == 0)
        {
            return TimeSpan.Zero;
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(user.TenantId + "|" + user.UserId), hash);
        return TimeSpan.FromSeconds(BinaryPrimitives.ReadUInt64LittleEndian(hash) % seconds);
    }
}
