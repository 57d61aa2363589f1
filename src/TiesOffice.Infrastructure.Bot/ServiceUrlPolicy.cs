namespace TiesOffice.Infrastructure.Bot;

/// <summary>
/// Which Connector hosts the bot talks to. A <c>serviceUrl</c> outside these patterns (a forged activity's
/// <c>https://attacker</c>) gets no request and no token. Only https is allowed, except for loopback hosts that a
/// pattern names explicitly (the fake channel in tests).
/// </summary>
public sealed class ServiceUrlPolicy
{
    private readonly IReadOnlyList<string> _patterns;

    /// <summary>Creates the policy from a <c>;</c>- or <c>,</c>-separated list of host patterns.</summary>
    public ServiceUrlPolicy(string patterns) => _patterns = Parse(patterns);

    /// <summary>Splits a pattern list.</summary>
    public static IReadOnlyList<string> Parse(string? patterns) =>
        (patterns ?? string.Empty).Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.ToLowerInvariant())
            .ToList();

    /// <summary>Whether the bot may send to <paramref name="serviceUrl"/>; the parsed URL when it may.</summary>
    public bool IsAllowed(string? serviceUrl, out Uri? uri)
    {
        uri = null;
        if (string.IsNullOrEmpty(serviceUrl) || !Uri.TryCreate(serviceUrl, UriKind.Absolute, out var parsed))
        {
            return false;
        }

        if (!string.IsNullOrEmpty(parsed.UserInfo) || !string.IsNullOrEmpty(parsed.Query) || !string.IsNullOrEmpty(parsed.Fragment))
        {
            return false;
        }

        var host = parsed.IdnHost.ToLowerInvariant();
        var https = parsed.Scheme == Uri.UriSchemeHttps;
        if (!https && !(parsed.Scheme == Uri.UriSchemeHttp && BotOptions.IsLoopback(host)))
        {
            return false;
        }

        foreach (var pattern in _patterns)
        {
            var match = pattern.StartsWith("*.", StringComparison.Ordinal)
                ? host.EndsWith(pattern[1..], StringComparison.Ordinal) && host.Length > pattern.Length - 1
                : host == pattern;
            if (match)
            {
                uri = parsed;
                return true;
            }
        }

        return false;
    }
}
