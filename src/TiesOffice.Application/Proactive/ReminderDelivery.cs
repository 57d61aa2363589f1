using TiesOffice.Application.Network;

namespace TiesOffice.Application.Proactive;

/// <summary>One reminder: a suggestion from the week's digest, on its day.</summary>
/// <param name="User">Whose reminder.</param>
/// <param name="Week">The ISO week of the digest it came from.</param>
/// <param name="Suggestion">The suggestion, as the tie stands now.</param>
public sealed record ReminderMessage(UserKey User, string Week, Suggestion Suggestion);

/// <summary>A channel that carries reminders (Teams only: a reminder is a short card in the bot's chat, not a mail).</summary>
public interface IReminderChannel
{
    /// <summary>Sends the reminder, or answers why it did not. Never throws for an unreachable user.</summary>
    Task<DeliveryOutcome> SendReminderAsync(ReminderMessage reminder, CancellationToken cancellationToken = default);
}
