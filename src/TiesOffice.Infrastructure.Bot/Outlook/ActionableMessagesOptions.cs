using System.ComponentModel.DataAnnotations;
using TiesOffice.Domain.Metadata;

namespace TiesOffice.Infrastructure.Bot.Outlook;

/// <summary>
/// The weekly digest as an Outlook actionable message (<c>ActionableMessages:*</c>, or <c>ActionableMessages__*</c> in
/// the environment). Off by default: a tenant admin first registers the provider in the Actionable Email Developer
/// Dashboard and scopes <c>Mail.Send</c> to the service mailbox (docs/Deploy.md, step 7), then sets
/// <see cref="Enabled"/>, <see cref="OriginatorId"/> and <see cref="SenderMailbox"/>.
/// </summary>
public sealed class ActionableMessagesOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "ActionableMessages";

    /// <summary>Whether digests may go out by mail; false (the default) makes the Outlook channel answer NoRoute.</summary>
    public bool Enabled { get; set; }

    /// <summary>The provider id (the card's <c>originator</c>) the Actionable Email Developer Dashboard gave.</summary>
    public string? OriginatorId { get; set; }

    /// <summary>The address of the one service mailbox the digests are sent from (the provider's sender address).</summary>
    public string? SenderMailbox { get; set; }

    /// <summary>
    /// The tenant whose users get digests by mail: the provider and the service mailbox belong to one tenant. Empty:
    /// the users of every tenant (right for a deployment that serves one tenant, which is how docs/Deploy.md deploys).
    /// </summary>
    public string? TenantId { get; set; }

    /// <summary>Whether the channel sends at all.</summary>
    public bool IsOn => Enabled && OriginatorId is { Length: > 0 } && SenderMailbox is { Length: > 0 };

    /// <summary>Checks the options, throwing <see cref="ValidationException"/> that names the first bad setting.</summary>
    /// <param name="botChannels">The channels the bot serves (<c>Bot:Channels</c>).</param>
    public void Validate(IReadOnlySet<string> botChannels)
    {
        ArgumentNullException.ThrowIfNull(botChannels);
        if (!Enabled)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(OriginatorId) || !Guid.TryParse(OriginatorId, out _))
        {
            throw new ValidationException("ActionableMessages:OriginatorId must be the provider id (a GUID) that the Actionable Email Developer Dashboard gave when ActionableMessages:Enabled is true; see docs/Deploy.md, step 7.");
        }

        if (string.IsNullOrWhiteSpace(SenderMailbox) || !MailAddress.IsPlausible(SenderMailbox))
        {
            throw new ValidationException("ActionableMessages:SenderMailbox must be the address of the service mailbox the digests are sent from when ActionableMessages:Enabled is true.");
        }

        if (TenantId is { Length: > 0 } && !Guid.TryParse(TenantId, out _))
        {
            throw new ValidationException("ActionableMessages:TenantId must be a tenant id (a GUID), or empty.");
        }

        if (!botChannels.Contains("outlook"))
        {
            throw new ValidationException("Bot:Channels must include outlook while ActionableMessages:Enabled is true: the card's buttons reach the bot over the Outlook channel.");
        }
    }
}
