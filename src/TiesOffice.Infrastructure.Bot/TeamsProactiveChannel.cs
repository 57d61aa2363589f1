using System.Globalization;
using TiesOffice.Application;
using TiesOffice.Application.Network;
using TiesOffice.Application.Ports;
using TiesOffice.Application.Proactive;
using TiesOffice.Infrastructure.Bot.Cards;
using TiesOffice.Infrastructure.Bot.Connector;
using TiesOffice.Infrastructure.Bot.Protocol;

namespace TiesOffice.Infrastructure.Bot;

/// <summary>
/// The bot's 1:1 chat as a proactive channel: the weekly digest card and the reminder cards, sent through the
/// Connector to the user's stored conversation reference. No reference: <see cref="DeliveryOutcome.NoRoute"/>, no
/// request. A 403 <c>MessageWritesBlocked</c> removes the reference (<see cref="DeliveryOutcome.Blocked"/>), so no later
/// send tries it again until the user writes to the bot or installs it again.
/// </summary>
public sealed class TeamsProactiveChannel(ConnectorClient connector, IConversationReferenceStore references, BotCards cards) : IDigestChannel, IReminderChannel
{
    /// <inheritdoc />
    public ProactiveChannel Channel => ProactiveChannel.Teams;

    /// <inheritdoc />
    public Task<DeliveryOutcome> SendDigestAsync(DigestMessage digest, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(digest);
        var t = digest.Summary.Tiers;
        var text = string.Create(CultureInfo.InvariantCulture, $"{t.Strong} strong, {t.Weak} weak and {t.Dormant} dormant ties. {digest.Suggestions.Count} suggestion(s) this week.");
        return SendAsync(digest.User, mri => cards.Digest(mri, [.. digest.Suggestions.Select(Suggest)], text), cancellationToken);
    }

    /// <inheritdoc />
    public Task<DeliveryOutcome> SendReminderAsync(ReminderMessage reminder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reminder);
        return SendAsync(reminder.User, mri => cards.Suggestion(mri, Suggest(reminder.Suggestion)), cancellationToken);
    }

    /// <summary>A suggestion as the cards show it.</summary>
    internal static ContactSuggestion Suggest(Suggestion s) => new(s.TieId, s.DisplayName ?? s.Contact, s.Contact, s.Why, s.RouteText);

    private async Task<DeliveryOutcome> SendAsync(UserKey user, Func<string, System.Text.Json.Nodes.JsonObject> card, CancellationToken cancellationToken)
    {
        var reference = await references.GetAsync(user, cancellationToken).ConfigureAwait(false);
        if (reference is null)
        {
            return DeliveryOutcome.NoRoute;
        }

        var tenant = reference.TenantId ?? user.TenantId;
        var message = new Activity
        {
            Type = ActivityTypes.Message,
            From = new ChannelAccount { Id = reference.BotId },
            Recipient = new ChannelAccount { Id = reference.UserId },
            Conversation = new ConversationAccount { Id = reference.ConversationId, ConversationType = "personal", TenantId = tenant },
            ChannelData = new TeamsChannelData { Tenant = new TenantInfo { Id = tenant } },
            Attachments = [new Attachment { ContentType = BotCards.ContentType, Content = BotCards.ToElement(card(reference.UserId)) }],
        };
        var result = await connector.SendAsync(reference.ServiceUrl, reference.ConversationId, tenant, message, cancellationToken).ConfigureAwait(false);
        switch (result.Outcome)
        {
            case SendOutcome.Sent:
                return DeliveryOutcome.Sent;
            case SendOutcome.Blocked:
                await references.RemoveAsync(user, cancellationToken).ConfigureAwait(false);
                return DeliveryOutcome.Blocked;
            case SendOutcome.Inactive:
                return DeliveryOutcome.Blocked;
            case SendOutcome.ServiceUrlRefused:
                return DeliveryOutcome.NoRoute;
            default:
                return DeliveryOutcome.Failed;
        }
    }
}
