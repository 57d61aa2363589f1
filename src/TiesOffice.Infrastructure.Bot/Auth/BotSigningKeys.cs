using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace TiesOffice.Infrastructure.Bot.Auth;

/// <summary>
/// The channel's signing keys, from its OpenID metadata. A <see cref="ConfigurationManager{T}"/> caches them for
/// <see cref="BotOptions.KeyCacheDuration"/>. A token naming an unknown <c>kid</c> makes one synchronous re-fetch (at
/// most once per <see cref="BotOptions.KeyRefreshInterval"/>, so forged kids cannot make the bot hammer the metadata
/// endpoint); the re-fetched keys are used until the cache's own next refresh is due.
/// </summary>
internal sealed class BotSigningKeys : IDisposable
{
    private readonly ConfigurationManager<OpenIdConnectConfiguration> _manager;
    private readonly HttpDocumentRetriever _retriever;
    private readonly string _address;
    private readonly TimeProvider _time;
    private readonly TimeSpan _refreshInterval;
    private readonly TimeSpan _cacheDuration;
    private readonly SemaphoreSlim _refreshGate = new(1, 1);
    private (OpenIdConnectConfiguration Configuration, DateTimeOffset FetchedAt)? _refreshed;
    private DateTimeOffset? _lastForcedRefresh;

    public BotSigningKeys(BotOptions options, HttpClient http, TimeProvider time)
    {
        _address = options.OpenIdMetadataUrl.ToString();
        _retriever = new HttpDocumentRetriever(http) { RequireHttps = true };
        _manager = new ConfigurationManager<OpenIdConnectConfiguration>(_address, new OpenIdConnectConfigurationRetriever(), _retriever)
        {
            AutomaticRefreshInterval = options.KeyCacheDuration,
        };
        _time = time;
        _refreshInterval = options.KeyRefreshInterval;
        _cacheDuration = options.KeyCacheDuration;
    }

    /// <summary>The current keys (fetched on first use).</summary>
    public async Task<IList<JsonWebKey>> GetKeysAsync(CancellationToken cancellationToken)
    {
        if (_refreshed is { } fresh && _time.GetUtcNow() - fresh.FetchedAt < _cacheDuration)
        {
            return fresh.Configuration.JsonWebKeySet?.Keys ?? [];
        }

        var configuration = await _manager.GetConfigurationAsync(cancellationToken).ConfigureAwait(false);
        return configuration.JsonWebKeySet?.Keys ?? [];
    }

    /// <summary>
    /// Re-fetches the metadata because a token named a <c>kid</c> it has not seen; returns the new keys,
    /// or null when a forced refresh happened too recently (or another caller refreshed meanwhile and the keys are current).
    /// </summary>
    public async Task<IList<JsonWebKey>?> RefreshForUnknownKidAsync(CancellationToken cancellationToken)
    {
        await _refreshGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = _time.GetUtcNow();
            if (_lastForcedRefresh is { } last && now - last < _refreshInterval)
            {
                return null;
            }

            _lastForcedRefresh = now;
            var configuration = await OpenIdConnectConfigurationRetriever.GetAsync(_address, _retriever, cancellationToken).ConfigureAwait(false);
            _refreshed = (configuration, now);
            return configuration.JsonWebKeySet?.Keys ?? [];
        }
        finally
        {
            _refreshGate.Release();
        }
    }

    public void Dispose() => _refreshGate.Dispose();
}
