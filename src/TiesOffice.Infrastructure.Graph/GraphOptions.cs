using System.ComponentModel.DataAnnotations;

namespace TiesOffice.Infrastructure.Graph;

/// <summary>How the app authenticates to Microsoft Graph (app-only).</summary>
public enum GraphCredentialKind
{
    /// <summary>A client secret of the app registration (development, or where no identity is available).</summary>
    ClientSecret = 0,

    /// <summary>An Azure managed identity (user-assigned when <see cref="GraphOptions.ClientId"/> is set).</summary>
    ManagedIdentity = 1,

    /// <summary>Workload identity federation (a projected token file, e.g. on Kubernetes).</summary>
    WorkloadIdentity = 2,
}

/// <summary>How delta pages (messages and calendarView) are read once the SDK's pipeline has fetched them.</summary>
public enum GraphPageParser
{
    /// <summary>A reader made for the selected properties (<c>Utf8JsonReader</c>); everything else, bodies included, is skipped unread.</summary>
    Fast = 0,

    /// <summary>The SDK's Graph models (Kiota's <c>JsonParseNode</c>): about ten times the CPU; kept as the reference the fast reader is tested against.</summary>
    SdkModels = 1,
}

/// <summary>Where Graph is, how to authenticate, and the limits the client keeps to.</summary>
public sealed class GraphOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Graph";

    /// <summary>Graph's base URL including the version; the simulator's in development and tests.</summary>
    [Required]
    public Uri BaseUrl { get; set; } = new("https://graph.microsoft.com/v1.0");

    /// <summary>Which Azure.Identity credential to build.</summary>
    public GraphCredentialKind Credential { get; set; } = GraphCredentialKind.ManagedIdentity;

    /// <summary>The Entra tenant id (client secret and workload identity).</summary>
    public string? TenantId { get; set; }

    /// <summary>The app's client id (client secret, workload identity, or a user-assigned managed identity).</summary>
    public string? ClientId { get; set; }

    /// <summary>The client secret (ClientSecret only). Keep it in Key Vault or user secrets, never in files.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>The token scopes; Graph's <c>.default</c> for app-only.</summary>
    public IList<string> Scopes { get; } = ["https://graph.microsoft.com/.default"];

    /// <summary>The page size asked for on every message delta page (<c>Prefer: odata.maxpagesize</c>).</summary>
    [Range(1, 1000)]
    public int MessagePageSize { get; set; } = 1000;

    /// <summary>The page size asked for on every calendarView delta page.</summary>
    [Range(1, 1000)]
    public int EventPageSize { get; set; } = 1000;

    /// <summary>How delta pages are read; both produce the same items (a test holds them equal).</summary>
    public GraphPageParser PageParser { get; set; } = GraphPageParser.Fast;

    /// <summary>The SDK's retries of 429/503/504 per request (Kiota's RetryHandler, at most 10).</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>The SDK's base retry delay in seconds when Graph sends no Retry-After.</summary>
    [Range(0, 180)]
    public int RetryDelaySeconds { get; set; } = 3;

    /// <summary>Requests in flight per mailbox, across every stream (Outlook allows 4).</summary>
    [Range(1, 4)]
    public int MaxConcurrentPerMailbox { get; set; } = 4;

    /// <summary>Requests per mailbox per <see cref="BudgetWindow"/>; Outlook allows 10,000 per 10 minutes, so stay below.</summary>
    [Range(1, 10_000)]
    public int RequestBudgetPerMailbox { get; set; } = 9_000;

    /// <summary>The budget's sliding window.</summary>
    public TimeSpan BudgetWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long one HTTP attempt may take.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>Checks the options, throwing <see cref="ValidationException"/> on the first problem.</summary>
    public void Validate()
    {
        Validator.ValidateObject(this, new ValidationContext(this), validateAllProperties: true);
        if (Credential == GraphCredentialKind.ClientSecret && (string.IsNullOrEmpty(TenantId) || string.IsNullOrEmpty(ClientId) || string.IsNullOrEmpty(ClientSecret)))
        {
            throw new ValidationException("Graph: a client-secret credential needs TenantId, ClientId and ClientSecret.");
        }

        if (BudgetWindow <= TimeSpan.Zero || RequestTimeout <= TimeSpan.Zero)
        {
            throw new ValidationException("Graph: BudgetWindow and RequestTimeout must be positive.");
        }
    }
}
