using Microsoft.Extensions.Logging;
using TiesOffice.Application;
using TiesOffice.Application.Ports;
using TiesOffice.Application.Proactive;
using TiesOffice.Domain.Metadata;

namespace TiesOffice.Infrastructure.Bot.Outlook;

/// <summary>
/// The weekly digest as an Outlook actionable message: the HTML mail of <see cref="ActionableDigestMail"/>, sent from
/// the one service mailbox (<c>ActionableMessages:SenderMailbox</c>) to the user's address through
/// <see cref="IMailSender"/> (Graph's sendMail). <see cref="DeliveryOutcome.NoRoute"/> while actionable messages are
/// off or unconfigured, for a user of another tenant than <c>ActionableMessages:TenantId</c>, and for a user without an
/// address. The proactive use case asks Teams first and this channel second, with one claim per user and week across both.
/// </summary>
public sealed partial class OutlookDigestChannel(ActionableMessagesOptions options, ActionableDigestMail composer, IMailSender sender, ILogger<OutlookDigestChannel> logger) : IDigestChannel
{
    /// <inheritdoc />
    public ProactiveChannel Channel => ProactiveChannel.Outlook;

    /// <inheritdoc />
    public async Task<DeliveryOutcome> SendDigestAsync(DigestMessage digest, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(digest);
        var who = UserPseudonym.Of(digest.User);
        if (!options.IsOn)
        {
            LogNoRoute(logger, who, "actionable messages are off");
            return DeliveryOutcome.NoRoute;
        }

        if (options.TenantId is { Length: > 0 } tenant && !string.Equals(tenant, digest.User.TenantId, StringComparison.OrdinalIgnoreCase))
        {
            LogNoRoute(logger, who, "another tenant than the provider's");
            return DeliveryOutcome.NoRoute;
        }

        var address = digest.Summary.MailAddress;
        if (!MailAddress.IsPlausible(address))
        {
            LogNoRoute(logger, who, "no mail address");
            return DeliveryOutcome.NoRoute;
        }

        var mail = composer.Compose(digest, options.OriginatorId!);
        var outcome = await sender.SendAsync(new OutgoingMail(options.SenderMailbox!, address, mail.Subject, mail.Html), cancellationToken).ConfigureAwait(false);
        switch (outcome)
        {
            case MailSendOutcome.Accepted:
                LogSent(logger, who, digest.Week);
                return DeliveryOutcome.Sent;
            case MailSendOutcome.Rejected:
                return DeliveryOutcome.Blocked;
            case MailSendOutcome.SenderNotAllowed:
                LogSenderNotAllowed(logger);
                return DeliveryOutcome.Failed;
            default:
                return DeliveryOutcome.Failed;
        }
    }

    [LoggerMessage(EventId = 6401, Level = LogLevel.Debug, Message = "No digest mail for user {User}: {Reason}")]
    private static partial void LogNoRoute(ILogger logger, string user, string reason);

    [LoggerMessage(EventId = 6402, Level = LogLevel.Information, Message = "Sent the {Week} digest to user {User} as an actionable message")]
    private static partial void LogSent(ILogger logger, string user, string week);

    [LoggerMessage(EventId = 6403, Level = LogLevel.Error, Message = "Graph refused to send as the service mailbox: check ActionableMessages:SenderMailbox and its Exchange RBAC assignment (Application Mail.Send, docs/Deploy.md step 7)")]
    private static partial void LogSenderNotAllowed(ILogger logger);
}
