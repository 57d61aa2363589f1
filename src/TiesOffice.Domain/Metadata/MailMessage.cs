namespace TiesOffice.Domain.Metadata;

/// <summary>Which mailbox folder a message was read from.</summary>
public enum MailFolder
{
    /// <summary>A folder the product does not treat specially (a custom folder, archive).</summary>
    Other = 0,

    /// <summary>The owner's Inbox: mail the owner received.</summary>
    Inbox = 1,

    /// <summary>The owner's Sent Items: mail the owner sent.</summary>
    SentItems = 2,
}

/// <summary>
/// The metadata of one mail message, exactly what Microsoft Graph returns with a minimal <c>$select</c>.
/// </summary>
/// <remarks>
/// There is no body and no preview, ever. <see cref="Subject"/> is kept only for threading when Graph (or a
/// log) has no conversation id; the engine reduces it to a normalised thread key and a reply flag and never
/// stores it. Addresses are compared case-insensitively; <see cref="MailAddress.Normalize"/> is the one place
/// that decides how.
/// </remarks>
/// <param name="Id">The item's id, unique within the mailbox (Graph's <c>id</c>, or a log's id column).</param>
/// <param name="From">The author (<c>from</c>); may differ from <see cref="Sender"/> for delegates.</param>
/// <param name="Sender">The mailbox that actually sent it (<c>sender</c>), when known.</param>
/// <param name="To">Primary recipients.</param>
/// <param name="Cc">Carbon-copy recipients.</param>
/// <param name="Bcc">Blind-copy recipients (visible only in the sender's own Sent Items).</param>
/// <param name="SentAt">When it was sent (<c>sentDateTime</c>).</param>
/// <param name="ReceivedAt">When it arrived (<c>receivedDateTime</c>), if known.</param>
/// <param name="ConversationId">Graph's <c>conversationId</c> or a log's conversation column; null or empty when absent.</param>
/// <param name="Subject">Only for threading when there is no conversation id; may be null.</param>
/// <param name="IsDraft">Drafts are never interactions.</param>
/// <param name="Folder">The folder it was read from.</param>
public sealed record MailMessage(
    string Id,
    string From,
    string? Sender,
    IReadOnlyList<string> To,
    IReadOnlyList<string> Cc,
    IReadOnlyList<string> Bcc,
    DateTimeOffset SentAt,
    DateTimeOffset? ReceivedAt,
    string? ConversationId,
    string? Subject,
    bool IsDraft,
    MailFolder Folder)
{
    /// <summary>The number of distinct recipients across To, Cc and Bcc.</summary>
    public int RecipientCount => To.Count + Cc.Count + Bcc.Count;

    /// <summary>
    /// Display names the message carried (Graph's <c>emailAddress/name</c> of its author, sender and recipients), by
    /// normalised address; null or empty when it carried none (a log has none). Metadata for showing a contact, never
    /// read by the tie engine.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Names { get; init; }
}
