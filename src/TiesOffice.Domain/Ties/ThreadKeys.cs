namespace TiesOffice.Domain.Ties;

/// <summary>
/// Reduces a conversation id, or failing that a subject, to a 64-bit thread key. The subject itself is never kept:
/// only its hash survives, so no subject reaches the aggregate, storage or output.
/// </summary>
internal static class ThreadKeys
{
    private const ulong FnvOffset = 14695981039346656037UL;
    private const ulong FnvPrime = 1099511628211UL;

    // Reply and forward prefixes of the common mail clients: English, German (AW, WG), Nordic (SV, VS),
    // French (TR), Dutch (Antw); enough for threading, which only needs "same subject without prefixes".
    private static readonly string[] _replyPrefixes = ["re", "aw", "sv", "antw", "odp", "ris"];
    private static readonly string[] _forwardPrefixes = ["fwd", "fw", "wg", "vs", "tr", "rv", "doorst"];

    /// <summary>The thread key of a message: its conversation id when it has one, else its normalised subject.</summary>
    /// <param name="conversationId">Graph's conversation id or a log's conversation column.</param>
    /// <param name="subject">The subject, used only when there is no conversation id.</param>
    /// <returns>The key, or 0 when the message has neither.</returns>
    public static ulong Of(string? conversationId, string? subject)
    {
        if (!string.IsNullOrWhiteSpace(conversationId))
        {
            return NonZero(Hash(FnvOffset ^ 0x5bd1e995UL, conversationId.AsSpan().Trim()));
        }

        if (string.IsNullOrWhiteSpace(subject))
        {
            return 0;
        }

        var rest = StripPrefixes(subject.AsSpan());
        if (rest.IsEmpty)
        {
            return 0;
        }

        var hash = FnvOffset;
        var pendingSpace = false;
        foreach (var c in rest)
        {
            // ASCII first (the same results as the general path, without its table look-ups): white space is
            // tab to carriage return and space; lower case is A to Z plus 32.
            if (c < 128)
            {
                if (c == ' ' || (c >= '\t' && c <= '\r'))
                {
                    pendingSpace = true;
                    continue;
                }

                if (pendingSpace)
                {
                    hash = (hash ^ ' ') * FnvPrime;
                    pendingSpace = false;
                }

                hash = (hash ^ (c >= 'A' && c <= 'Z' ? (uint)c | 0x20u : c)) * FnvPrime;
                continue;
            }

            if (char.IsWhiteSpace(c))
            {
                pendingSpace = true;
                continue;
            }

            if (pendingSpace)
            {
                hash = (hash ^ ' ') * FnvPrime;
                pendingSpace = false;
            }

            hash = (hash ^ char.ToLowerInvariant(c)) * FnvPrime;
        }

        return NonZero(hash);
    }

    /// <summary>A stable 64-bit hash of an item id, used to make feeding idempotent.</summary>
    /// <param name="kind">0 for mail, 1 for meetings, so the two id spaces never collide.</param>
    /// <param name="id">The item id.</param>
    /// <returns>The hash.</returns>
    public static ulong OfItem(byte kind, string id) => NonZero(Hash(FnvOffset ^ kind, id.AsSpan()));

    private static ReadOnlySpan<char> StripPrefixes(ReadOnlySpan<char> subject)
    {
        var rest = subject.Trim();
        while (true)
        {
            var colon = rest.IndexOf(':');
            if (colon <= 0 || colon > 12)
            {
                return rest;
            }

            var head = rest[..colon].Trim();
            var bracket = head.IndexOfAny('[', '(');
            if (bracket > 0)
            {
                head = head[..bracket].Trim();
            }

            if (!IsPrefix(head))
            {
                return rest;
            }

            rest = rest[(colon + 1)..].TrimStart();
        }
    }

    private static bool IsPrefix(ReadOnlySpan<char> head)
    {
        // Every prefix has 2 to 6 letters: most subjects' first colon ends something else, rejected here at once.
        if (head.Length is < 2 or > 6)
        {
            return false;
        }

        foreach (var prefix in _replyPrefixes)
        {
            if (head.Equals(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        foreach (var prefix in _forwardPrefixes)
        {
            if (head.Equals(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static ulong Hash(ulong seed, ReadOnlySpan<char> text)
    {
        var hash = seed;
        foreach (var c in text)
        {
            hash = (hash ^ c) * FnvPrime;
        }

        return hash;
    }

    private static ulong NonZero(ulong hash) => hash == 0 ? 1 : hash;
}
