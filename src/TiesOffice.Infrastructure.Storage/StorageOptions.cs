using System.Text.RegularExpressions;
using Azure.Core;
using Microsoft.Extensions.Options;

namespace TiesOffice.Infrastructure.Storage;

/// <summary>Where and how TiesOffice keeps its tables and queues. Bound from the <c>Storage</c> configuration section.</summary>
public sealed class StorageOptions
{
    /// <summary>The configuration section name (<c>Storage</c>; environment variables <c>Storage__ConnectionString</c> and so on).</summary>
    public const string SectionName = "Storage";

    /// <summary>A storage connection string (Azurite or a real account). Either this, or both service URIs with a credential.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The table service endpoint, used with <see cref="Credential"/> (managed identity) when there is no connection string.</summary>
    public Uri? TableServiceUri { get; set; }

    /// <summary>The queue service endpoint, used with <see cref="Credential"/> when there is no connection string.</summary>
    public Uri? QueueServiceUri { get; set; }

    /// <summary>The Entra credential for the service URIs (set in code, for example a managed identity credential).</summary>
    public TokenCredential? Credential { get; set; }

    /// <summary>Prefix of every table name (letters and digits, starting with a letter); tests use a unique one.</summary>
    public string TablePrefix { get; set; } = "ties";

    /// <summary>
    /// The secret of the keyed hash that turns contact addresses into row keys (see docs/Storage.md). Optional:
    /// without it the tenant id alone salts the hash. Set it from Key Vault in production and never change it.
    /// </summary>
    public string? ContactKeySecret { get; set; }

    /// <summary>The sync job queue; its poison queue is this name plus <c>-poison</c>.</summary>
    public string QueueName { get; set; } = "sync-jobs";

    /// <summary>How long a per-user sync lease lasts unless renewed.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Mailbox items older than this are dropped by retention.</summary>
    public TimeSpan RetentionPeriod { get; set; } = TimeSpan.FromDays(365);

    /// <summary>
    /// How long a user's last-sync row (and the per-job marks of earlier versions) is kept after the sync it records;
    /// an active user's row is replaced with every sync.
    /// </summary>
    public TimeSpan CompletedJobRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How many queue messages the timer's fan-out sends side by side. Default 32.</summary>
    public int FanOutParallelism { get; set; } = 32;

    /// <summary>Deliveries of one message before it moves to the poison queue (Functions' default is 5).</summary>
    public int MaxDequeueCount { get; set; } = 5;

    /// <summary>How long a received message stays invisible while its handler runs.</summary>
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The first back-off before a failed message is retried; doubles per delivery, at most <see cref="VisibilityTimeout"/>.</summary>
    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether jobs of users who are not enrolled or not active (erased, needs consent) are dropped unprocessed.</summary>
    public bool DropJobsOfInactiveUsers { get; set; } = true;

    /// <summary>
    /// Whether the job processor holds the user's sync lease while a handler runs (so at most one job per user runs
    /// at a time across hosts); a job whose user is busy is re-queued after <see cref="RetryBackoff"/>.
    /// </summary>
    public bool LeaseJobsPerUser { get; set; } = true;

    /// <summary>How long an erase waits for the user's sync lease before it erases anyway.</summary>
    public TimeSpan EraseLeaseWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>SDK retries of a failed storage request (500, 503, 408, 429, timeouts), with exponential back-off.</summary>
    public int MaxRetries { get; set; } = 5;

    /// <summary>The first SDK retry delay.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest SDK retry delay.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The SDK's per-try network timeout.</summary>
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Checks <see cref="StorageOptions"/> at start; every failure names the setting.</summary>
internal sealed partial class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        var failures = new List<string>();
        const string S = StorageOptions.SectionName + ":";
        var hasConnection = !string.IsNullOrWhiteSpace(options.ConnectionString);
        if (!hasConnection)
        {
            if (options.TableServiceUri is null || options.QueueServiceUri is null || options.Credential is null)
            {
                failures.Add($"{S}{nameof(StorageOptions.ConnectionString)} is missing; set it, or set {S}{nameof(StorageOptions.TableServiceUri)} and {S}{nameof(StorageOptions.QueueServiceUri)} with a credential.");
            }
        }
        else if (!options.ConnectionString!.Contains("AccountName=", StringComparison.OrdinalIgnoreCase)
                 && !options.ConnectionString.Contains("UseDevelopmentStorage=true", StringComparison.OrdinalIgnoreCase)
                 && !options.ConnectionString.Contains("SharedAccessSignature=", StringComparison.OrdinalIgnoreCase))
        {
            failures.Add($"{S}{nameof(StorageOptions.ConnectionString)} is not a storage connection string (no AccountName=).");
        }

        if (options.TablePrefix is null || !TablePrefixPattern().IsMatch(options.TablePrefix))
        {
            failures.Add($"{S}{nameof(StorageOptions.TablePrefix)} must be 1-40 letters or digits starting with a letter.");
        }

        if (options.QueueName is null || !QueueNamePattern().IsMatch(options.QueueName) || options.QueueName.Contains("--", StringComparison.Ordinal))
        {
            failures.Add($"{S}{nameof(StorageOptions.QueueName)} must be 3-56 lower-case letters, digits or single hyphens, starting and ending with a letter or digit.");
        }

        Positive(options.LeaseDuration, nameof(StorageOptions.LeaseDuration));
        Positive(options.RetentionPeriod, nameof(StorageOptions.RetentionPeriod));
        Positive(options.CompletedJobRetention, nameof(StorageOptions.CompletedJobRetention));
        Positive(options.VisibilityTimeout, nameof(StorageOptions.VisibilityTimeout));
        Positive(options.RetryBackoff, nameof(StorageOptions.RetryBackoff));
        Positive(options.RetryDelay, nameof(StorageOptions.RetryDelay));
        Positive(options.MaxRetryDelay, nameof(StorageOptions.MaxRetryDelay));
        Positive(options.NetworkTimeout, nameof(StorageOptions.NetworkTimeout));
        if (options.EraseLeaseWait < TimeSpan.Zero)
        {
            failures.Add($"{S}{nameof(StorageOptions.EraseLeaseWait)} must not be negative.");
        }

        if (options.MaxDequeueCount is < 1 or > 100)
        {
            failures.Add($"{S}{nameof(StorageOptions.MaxDequeueCount)} must be between 1 and 100.");
        }

        if (options.FanOutParallelism is < 1 or > 256)
        {
            failures.Add($"{S}{nameof(StorageOptions.FanOutParallelism)} must be between 1 and 256.");
        }

        if (options.MaxRetries is < 0 or > 20)
        {
            failures.Add($"{S}{nameof(StorageOptions.MaxRetries)} must be between 0 and 20.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);

        void Positive(TimeSpan value, string setting)
        {
            if (value <= TimeSpan.Zero)
            {
                failures.Add($"{S}{setting} must be positive.");
            }
        }
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{0,39}$")]
    private static partial Regex TablePrefixPattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,54}[a-z0-9]$")]
    private static partial Regex QueueNamePattern();
}
