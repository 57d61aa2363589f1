using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;

namespace TiesOffice.Infrastructure.Bot.Connector;

/// <summary>
/// The bot's outbound token for <c>https://api.botframework.com/.default</c>, from Azure.Identity (client secret,
/// certificate or managed identity), kept until five minutes before it expires.
/// </summary>
public sealed class BotTokenSource : IDisposable
{
    private static readonly TokenRequestContext s_context = new([BotOptions.ConnectorScope]);
    private static readonly TimeSpan s_margin = TimeSpan.FromMinutes(5);
    private readonly TokenCredential _credential;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private AccessToken? _token;

    /// <summary>Uses the given credential.</summary>
    public BotTokenSource(TokenCredential credential, TimeProvider time)
    {
        _credential = credential;
        _time = time;
    }

    /// <summary>How many tokens were actually requested from the credential (for tests and figures).</summary>
    public int Acquisitions { get; private set; }

    /// <summary>Builds the Azure.Identity credential <paramref name="options"/> names.</summary>
    public static TokenCredential CreateCredential(BotOptions options, HttpMessageHandler handler)
    {
        ArgumentNullException.ThrowIfNull(options);
        var transport = new HttpClientTransport(new HttpClient(handler, disposeHandler: false));
        var isEntra = string.Equals(options.TokenEndpoint.Host, "login.microsoftonline.com", StringComparison.OrdinalIgnoreCase);
        return options.Credential switch
        {
            BotCredentialKind.ClientSecret => new ClientSecretCredential(options.TenantId, options.AppId, options.ClientSecret, new ClientSecretCredentialOptions
            {
                AuthorityHost = options.TokenEndpoint,
                DisableInstanceDiscovery = !isEntra,
                Transport = transport,
            }),
            BotCredentialKind.Certificate => new ClientCertificateCredential(options.TenantId, options.AppId, options.CertificatePath, new ClientCertificateCredentialOptions
            {
                AuthorityHost = options.TokenEndpoint,
                DisableInstanceDiscovery = !isEntra,
                Transport = transport,
            }),
            _ => new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(options.AppId)),
        };
    }

    /// <summary>The current token, fetched when there is none or it expires within five minutes.</summary>
    public async ValueTask<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        if (_token is { } cached && cached.ExpiresOn - s_margin > _time.GetUtcNow())
        {
            return cached.Token;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_token is { } again && again.ExpiresOn - s_margin > _time.GetUtcNow())
            {
                return again.Token;
            }

            var token = await _credential.GetTokenAsync(s_context, cancellationToken).ConfigureAwait(false);
            Acquisitions++;
            _token = token;
            return token.Token;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Forgets the cached token (after a 401 from the Connector).</summary>
    public void Invalidate() => _token = null;

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();
}
