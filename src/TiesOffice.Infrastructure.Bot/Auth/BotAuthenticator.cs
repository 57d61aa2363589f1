using System.Collections;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using TiesOffice.Infrastructure.Bot.Protocol;

namespace TiesOffice.Infrastructure.Bot.Auth;

/// <summary>Why an inbound request was refused (logged; never the token).</summary>
public enum BotAuthFailure
{
    /// <summary>Accepted.</summary>
    None = 0,

    /// <summary>No <c>Authorization: Bearer</c> header.</summary>
    MissingBearer,

    /// <summary>The token is not a readable JWT.</summary>
    Malformed,

    /// <summary>The token's <c>kid</c> is not among the channel's keys, even after a refresh.</summary>
    UnknownKey,

    /// <summary>Signature, issuer, audience, lifetime or algorithm failed.</summary>
    Invalid,

    /// <summary>The <c>serviceurl</c> claim is missing or differs from the activity's <c>serviceUrl</c>.</summary>
    ServiceUrlMismatch,

    /// <summary>The activity's channel is not one the bot serves, or the key is not endorsed for it.</summary>
    ChannelNotEndorsed,

    /// <summary>The signing keys could not be fetched (fail closed).</summary>
    KeysUnavailable,
}

/// <summary>
/// Checks the Bearer token the Bot Connector sends to <c>/api/messages</c> (protocols.md §2.1): RS256 signature by a
/// key from the channel's OpenID metadata, <c>iss</c>, <c>aud</c> = the bot's app id, <c>exp</c>/<c>nbf</c> with the
/// configured skew, the <c>serviceurl</c> claim equal to the activity's <c>serviceUrl</c>, and the key's
/// endorsements naming the activity's channel, which must be one the bot serves. Validation is Microsoft.IdentityModel's.
/// </summary>
public sealed partial class BotAuthenticator
{
    private static readonly string[] s_algorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512];
    private readonly BotOptions _options;
    private readonly BotSigningKeys _keys;
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly ILogger<BotAuthenticator> _logger;
    private readonly IReadOnlySet<string> _channels;

    internal BotAuthenticator(BotOptions options, BotSigningKeys keys, ILogger<BotAuthenticator> logger)
    {
        _options = options;
        _keys = keys;
        _logger = logger;
        _channels = options.ChannelSet;
    }

    /// <summary>Authenticates one inbound request; <see cref="BotAuthFailure.None"/> means accepted.</summary>
    /// <param name="authorization">The request's Authorization header.</param>
    /// <param name="activity">The parsed activity.</param>
    /// <param name="cancellationToken">Cancels the key fetch.</param>
    public async Task<BotAuthFailure> AuthenticateAsync(string? authorization, Activity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var failure = await CheckAsync(authorization, activity, cancellationToken).ConfigureAwait(false);
        if (failure != BotAuthFailure.None)
        {
            LogRejected(_logger, failure);
        }

        return failure;
    }

    private async Task<BotAuthFailure> CheckAsync(string? authorization, Activity activity, CancellationToken cancellationToken)
    {
        const string scheme = "Bearer ";
        if (authorization is null || !authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) || authorization.Length <= scheme.Length)
        {
            return BotAuthFailure.MissingBearer;
        }

        var raw = authorization[scheme.Length..].Trim();
        if (!_handler.CanReadToken(raw))
        {
            return BotAuthFailure.Malformed;
        }

        JsonWebToken token;
        try
        {
            token = _handler.ReadJsonWebToken(raw);
        }
        catch (ArgumentException)
        {
            return BotAuthFailure.Malformed;
        }

        if (string.IsNullOrEmpty(token.Kid))
        {
            return BotAuthFailure.UnknownKey;
        }

        JsonWebKey? key;
        try
        {
            var keys = await _keys.GetKeysAsync(cancellationToken).ConfigureAwait(false);
            key = Find(keys, token.Kid);
            if (key is null)
            {
                var refreshed = await _keys.RefreshForUnknownKidAsync(cancellationToken).ConfigureAwait(false);
                key = refreshed is null ? null : Find(refreshed, token.Kid);
            }
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or InvalidOperationException or TaskCanceledException or ArgumentException or JsonException)
        {
            LogKeysUnavailable(_logger, ex.GetType().Name);
            return BotAuthFailure.KeysUnavailable;
        }

        if (key is null)
        {
            return BotAuthFailure.UnknownKey;
        }

        var parameters = new TokenValidationParameters
        {
            ValidIssuer = _options.Issuer,
            ValidAudience = _options.AppId,
            IssuerSigningKey = key,
            ValidAlgorithms = s_algorithms,
            ClockSkew = _options.ClockSkew,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            ValidateIssuerSigningKey = true,
            TryAllIssuerSigningKeys = false,
        };
        var result = await _handler.ValidateTokenAsync(raw, parameters).ConfigureAwait(false);
        if (!result.IsValid)
        {
            LogInvalid(_logger, result.Exception?.GetType().Name ?? "unknown");
            return BotAuthFailure.Invalid;
        }

        var serviceUrl = result.ClaimsIdentity.FindFirst("serviceurl")?.Value;
        if (string.IsNullOrEmpty(serviceUrl) || !string.Equals(serviceUrl, activity.ServiceUrl, StringComparison.Ordinal))
        {
            return BotAuthFailure.ServiceUrlMismatch;
        }

        if (activity.ChannelId is not { Length: > 0 } channel || !_channels.Contains(channel) || !Endorsements(key).Contains(channel, StringComparer.OrdinalIgnoreCase))
        {
            return BotAuthFailure.ChannelNotEndorsed;
        }

        return BotAuthFailure.None;
    }

    private static JsonWebKey? Find(IEnumerable<JsonWebKey> keys, string kid) =>
        keys.FirstOrDefault(k => string.Equals(k.Kid, kid, StringComparison.Ordinal));

    /// <summary>The <c>endorsements</c> array Bot Framework adds to each JWK (the channels the key may sign for).</summary>
    internal static IReadOnlyList<string> Endorsements(JsonWebKey key)
    {
        if (!key.AdditionalData.TryGetValue("endorsements", out var value) || value is null)
        {
            return [];
        }

        return value switch
        {
            JsonElement { ValueKind: JsonValueKind.Array } array => array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList(),
            string single => [single],
            IEnumerable items => items.OfType<object>().Select(o => o.ToString() ?? string.Empty).ToList(),
            _ => [],
        };
    }

    [LoggerMessage(EventId = 6001, Level = LogLevel.Warning, Message = "Bot request refused: {Failure}")]
    private static partial void LogRejected(ILogger logger, BotAuthFailure failure);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Warning, Message = "Bot token failed validation ({Reason})")]
    private static partial void LogInvalid(ILogger logger, string reason);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Error, Message = "The channel's signing keys could not be fetched ({Reason}); refusing")]
    private static partial void LogKeysUnavailable(ILogger logger, string reason);
}
