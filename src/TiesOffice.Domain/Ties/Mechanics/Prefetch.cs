using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace TiesOffice.Domain.Ties.Mechanics;

/// <summary>Cache-prefetch hints, the one use of <c>unsafe</c> in the engine.</summary>
/// <remarks>
/// Feeding is bound by memory latency: each message lands on a random slot of the id set and on random contacts'
/// aggregates, tables that outgrow the caches. A plain read issued early (what the engine did before) blocks the
/// processor's retirement until the line arrives, so it overlaps only a few hundred instructions of later work; a
/// prefetch instruction does not, so the whole of the work between the hint and the real access (thread key, address
/// checks, decay factors) hides the miss. The hint needs a raw address, hence <c>unsafe</c>: the pointer is never
/// dereferenced, and a prefetch never faults, so an address made stale by the garbage collector moving the array in
/// between costs at most a wasted fetch. On processors without SSE (Arm) it does nothing.
/// </remarks>
internal static class Prefetch
{
    /// <summary>Starts bringing the cache line holding <paramref name="location"/> into all cache levels.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Line<T>(ref T location)
    {
        if (Sse.IsSupported)
        {
            Sse.Prefetch0(Unsafe.AsPointer(ref location));
        }
    }

    /// <summary>Starts bringing the start of a string (its length and first characters) into all cache levels.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Chars(string? text)
    {
        if (text is not null)
        {
            Line(ref Unsafe.AsRef(in text.GetPinnableReference()));
        }
    }

    /// <summary>Starts bringing every cache line that <paramref name="location"/> spans into all cache levels.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Lines<T>(ref T location)
        where T : struct
    {
        if (Sse.IsSupported)
        {
            var start = (byte*)Unsafe.AsPointer(ref location);
            var last = start + Unsafe.SizeOf<T>() - 1;
            for (var p = start; p < last; p += 64)
            {
                Sse.Prefetch0(p);
            }

            Sse.Prefetch0(last);
        }
    }
}
