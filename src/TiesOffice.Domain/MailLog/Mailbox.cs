using TiesOffice.Domain.Metadata;

namespace TiesOffice.Domain.MailLog;

/// <summary>Cuts one owner's mailbox out of a whole-organisation log, as <c>shared/data/README.md</c> defines it.</summary>
public static class Mailbox
{
    /// <summary>
    /// Whether the message belongs to the owner's mailbox: the owner sent it, or the owner is in To, Cc or Bcc.
    /// </summary>
    /// <param name="message">A message from the log.</param>
    /// <param name="owner">The normalised owner address.</param>
    /// <returns>True when it is in the owner's mailbox.</returns>
    public static bool Contains(MailMessage message, string owner)
    {
        ArgumentNullException.ThrowIfNull(message);
        return string.Equals(message.From, owner, StringComparison.Ordinal)
            || message.To.Contains(owner, StringComparer.Ordinal)
            || message.Cc.Contains(owner, StringComparer.Ordinal)
            || message.Bcc.Contains(owner, StringComparer.Ordinal);
    }

    /// <summary>
    /// The owner's view of a log message: in Sent Items when the owner sent it, otherwise in the Inbox.
    /// </summary>
    /// <param name="message">A message from the log that <see cref="Contains"/> the owner.</param>
    /// <param name="owner">The normalised owner address.</param>
    /// <returns>The message as it sits in the owner's mailbox.</returns>
    public static MailMessage AsSeenBy(MailMessage message, string owner)
    {
        ArgumentNullException.ThrowIfNull(message);
        var folder = string.Equals(message.From, owner, StringComparison.Ordinal) ? MailFolder.SentItems : MailFolder.Inbox;
        return message with { Folder = folder, ReceivedAt = message.ReceivedAt ?? message.SentAt };
    }
}
