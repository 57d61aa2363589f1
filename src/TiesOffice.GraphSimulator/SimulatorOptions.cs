using System.ComponentModel.DataAnnotations;

namespace TiesOffice.GraphSimulator;

/// <summary>How the Graph simulator loads its tenant and which limits it enforces.</summary>
public sealed class SimulatorOptions
{
    /// <summary>The string every message and event body carries, so tests can prove bodies are never read.</summary>
    public const string BodyCanary = "CANARY-7f3a9c-BODY-NEVER-STORE";

    /// <summary>A folder holding <c>messages.tsv</c> and <c>people.tsv</c> (the mail-metadata log format); null for an empty tenant.</summary>
    public string? DataPath { get; set; }

    /// <summary>
    /// When above zero, a synthetic tenant of this many mailboxes (<see cref="Model.SyntheticTenant"/>) instead of
    /// <see cref="DataPath"/>: departments, log-normal activity, a year of mail up to now.
    /// </summary>
    [Range(0, 100_000)]
    public int SyntheticMailboxes { get; set; }

    /// <summary>The mean number of messages a synthetic person sends in the year.</summary>
    [Range(1, 100_000)]
    public int SyntheticMessagesPerPerson { get; set; } = 40;

    /// <summary>Addresses of extra, empty mailboxes to create (for example the service mailbox an app sends digests from).</summary>
    public IList<string> ServiceMailboxes { get; } = [];

    /// <summary>Shift every message time so that the newest message falls on the simulator's today.</summary>
    public bool ShiftToNow { get; set; }

    /// <summary>The seed of the synthetic calendar.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>Whether to generate the synthetic calendar at all.</summary>
    public bool GenerateCalendar { get; set; } = true;

    /// <summary>The tenant id reported in change notifications.</summary>
    public string TenantId { get; set; } = "5f1e0b7c-2d44-4c1b-9a57-0a3f6a1e7d10";

    /// <summary>The page size when the client sends no <c>Prefer: odata.maxpagesize</c> (Graph's default is 10).</summary>
    [Range(1, 10_000)]
    public int DefaultPageSize { get; set; } = 10;

    /// <summary>The largest page size honoured; larger requests are capped to it.</summary>
    [Range(1, 10_000)]
    public int MaxPageSize { get; set; } = 1000;

    /// <summary>Outlook's concurrent-request limit per app per mailbox.</summary>
    [Range(1, 1000)]
    public int MaxConcurrentPerMailbox { get; set; } = 4;

    /// <summary>Outlook's request budget per app per mailbox within <see cref="BudgetWindow"/>.</summary>
    [Range(1, int.MaxValue)]
    public int RequestBudgetPerMailbox { get; set; } = 10_000;

    /// <summary>The budget's sliding window (10 minutes on Outlook).</summary>
    public TimeSpan BudgetWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The longest subscription lifetime accepted for Outlook resources.</summary>
    public TimeSpan MaxSubscriptionLifetime { get; set; } = TimeSpan.FromMinutes(4230);

    /// <summary>How long a webhook has to answer a validation request.</summary>
    public TimeSpan ValidationTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Checks the options, throwing <see cref="ValidationException"/> with every problem.</summary>
    public void Validate()
    {
        Validator.ValidateObject(this, new ValidationContext(this), validateAllProperties: true);
        if (DataPath is not null && !Directory.Exists(DataPath))
        {
            throw new ValidationException($"--data: folder '{DataPath}' does not exist.");
        }

        if (BudgetWindow <= TimeSpan.Zero || MaxSubscriptionLifetime <= TimeSpan.Zero)
        {
            throw new ValidationException("BudgetWindow and MaxSubscriptionLifetime must be positive.");
        }
    }
}
