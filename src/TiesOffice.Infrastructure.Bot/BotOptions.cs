using System.ComponentModel.DataAnnotations;
using System.Net;

namespace TiesOffice.Infrastructure.Bot;

/// <summary>How the bot gets its outbound (bot → Connector) token.</summary>
public enum BotCredentialKind
{
    /// <summary>A client secret of the bot's app registration.</summary>
    ClientSecret = 0,

    /// <summary>A certificate of the bot's app registration (a PEM or PFX file).</summary>
    Certificate = 1,

    /// <summary>A user-assigned managed identity (the bot's app id is the identity's client id).</summary>
    ManagedIdentity = 2,
}

/// <summary>
/// The bot's settings (<c>Bot:*</c>, or <c>Bot__*</c> in the environment). <see cref="AppId"/> is required: there is
/// no anonymous mode. The metadata URL, issuer, allowed service hosts and token endpoint can be pointed at a fake
/// channel for tests and the demo.
/// </summary>
public sealed class BotOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Bot";

    /// <summary>Bot Framework's OpenID metadata for tokens the channel sends to bots.</summary>
    public const string DefaultOpenIdMetadataUrl = "https://login.botframework.com/v1/.well-known/openidconfiguration";

    /// <summary>The issuer of those tokens.</summary>
    public const string DefaultIssuer = "https://api.botframework.com";

    /// <summary>The scope of the bot's outbound token.</summary>
    public const string ConnectorScope = "https://api.botframework.com/.default";

    /// <summary>
    /// The Connector hosts of the public and government clouds (protocols.md §2.5, the agents SDK's
    /// TeamsServiceEndpoints): <c>smba.trafficmanager.net</c>, <c>smba.infra.gcc.teams.microsoft.com</c>,
    /// <c>smba.infra.gov.teams.microsoft.us</c>, <c>smba.infra.dod.teams.microsoft.us</c>, and Bot Framework's own hosts.
    /// </summary>
    public const string DefaultAllowedServiceUrls =
        "smba.trafficmanager.net;*.smba.trafficmanager.net;smba.infra.gcc.teams.microsoft.com;smba.infra.gov.teams.microsoft.us;smba.infra.dod.teams.microsoft.us;*.botframework.com;*.botframework.azure.us";

    /// <summary>The bot's Microsoft app id (the <c>aud</c> of inbound tokens, and the client id of outbound ones).</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Bot:AppId is required (there is no anonymous mode).")]
    public string AppId { get; set; } = string.Empty;

    /// <summary>Where the channel's signing keys are published.</summary>
    public Uri OpenIdMetadataUrl { get; set; } = new(DefaultOpenIdMetadataUrl);

    /// <summary>The issuer inbound tokens must carry.</summary>
    [Required(AllowEmptyStrings = false)]
    public string Issuer { get; set; } = DefaultIssuer;

    /// <summary>
    /// Host patterns a <c>serviceUrl</c> must match before the bot sends to it, separated by <c>;</c> or <c>,</c>:
    /// an exact host (<c>smba.trafficmanager.net</c>) or a wildcard for subdomains (<c>*.botframework.com</c>).
    /// </summary>
    [Required(AllowEmptyStrings = false)]
    public string AllowedServiceUrls { get; set; } = DefaultAllowedServiceUrls;

    /// <summary>The channels the bot serves; an activity (and its token's endorsements) must name one of them.</summary>
    [Required(AllowEmptyStrings = false)]
    public string Channels { get; set; } = "msteams";

    /// <summary>The Entra authority host for the outbound token (the fake channel's in tests).</summary>
    public Uri TokenEndpoint { get; set; } = new("https://login.microsoftonline.com/");

    /// <summary>The tenant of the outbound token: the bot's own tenant (single-tenant bots) or <c>botframework.com</c>.</summary>
    [Required(AllowEmptyStrings = false)]
    public string TenantId { get; set; } = "botframework.com";

    /// <summary>Which Azure.Identity credential gets the outbound token.</summary>
    public BotCredentialKind Credential { get; set; } = BotCredentialKind.ManagedIdentity;

    /// <summary>The client secret (ClientSecret). Keep it in Key Vault or user secrets.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>The certificate file (Certificate): a PEM with its key, or a PFX.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>
    /// A certificate (PEM) trusted as a root for loopback hosts only: the fake channel's self-signed certificate in
    /// tests and the demo. It never applies to any other host, and normal certificate validation stays on.
    /// </summary>
    public string? LoopbackRootCertificatePath { get; set; }

    /// <summary>The least time between two key refreshes forced by an unknown <c>kid</c>.</summary>
    public TimeSpan KeyRefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long fetched signing keys are kept before they are fetched again.</summary>
    public TimeSpan KeyCacheDuration { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Clock skew allowed on <c>exp</c> and <c>nbf</c>.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How many times one outbound call is retried after 429, 412, 502 or 504.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 5;

    /// <summary>The first backoff delay when the Connector sends no Retry-After.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Whether the bot paces its own sends to Teams' published limits (per thread, and per app per tenant).</summary>
    public bool PaceToTeamsLimits { get; set; } = true;

    /// <summary>The tab's Teams app id and entity id, for deep links (<c>https://teams.microsoft.com/l/entity/…</c>).</summary>
    public string? TeamsAppId { get; set; }

    /// <summary>The entity id of the personal tab.</summary>
    public string TabEntityId { get; set; } = "ties";

    /// <summary>The parsed channel list.</summary>
    public IReadOnlySet<string> ChannelSet =>
        Channels.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Checks the options, throwing <see cref="ValidationException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        Validator.ValidateObject(this, new ValidationContext(this), validateAllProperties: true);
        if (!OpenIdMetadataUrl.IsAbsoluteUri || OpenIdMetadataUrl.Scheme != Uri.UriSchemeHttps)
        {
            throw new ValidationException("Bot:OpenIdMetadataUrl must be an absolute https URL.");
        }

        if (!TokenEndpoint.IsAbsoluteUri || TokenEndpoint.Scheme != Uri.UriSchemeHttps)
        {
            throw new ValidationException("Bot:TokenEndpoint must be an absolute https URL (the Entra authority host).");
        }

        if (ServiceUrlPolicy.Parse(AllowedServiceUrls).Count == 0)
        {
            throw new ValidationException("Bot:AllowedServiceUrls must name at least one host pattern.");
        }

        if (ChannelSet.Count == 0)
        {
            throw new ValidationException("Bot:Channels must name at least one channel (msteams).");
        }

        if (Credential == BotCredentialKind.ClientSecret && string.IsNullOrEmpty(ClientSecret))
        {
            throw new ValidationException("Bot:ClientSecret is required when Bot:Credential is ClientSecret.");
        }

        if (Credential == BotCredentialKind.Certificate && string.IsNullOrEmpty(CertificatePath))
        {
            throw new ValidationException("Bot:CertificatePath is required when Bot:Credential is Certificate.");
        }

        if (LoopbackRootCertificatePath is { Length: > 0 } && !File.Exists(LoopbackRootCertificatePath))
        {
            throw new ValidationException("Bot:LoopbackRootCertificatePath names a file that does not exist.");
        }

        if (KeyRefreshInterval < TimeSpan.Zero || KeyCacheDuration < TimeSpan.FromMinutes(5) || ClockSkew < TimeSpan.Zero || ClockSkew > TimeSpan.FromMinutes(5))
        {
            throw new ValidationException("Bot: KeyRefreshInterval must be ≥ 0, KeyCacheDuration ≥ 5 minutes, ClockSkew between 0 and 5 minutes.");
        }
    }

    /// <summary>Whether a host is a loopback address or <c>localhost</c>.</summary>
    internal static bool IsLoopback(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
}
