namespace TiesOffice.Application.Ports;

/// <summary>What the bot needs to message a user proactively.</summary>
/// <param name="ServiceUrl">The channel's service URL.</param>
/// <param name="ConversationId">The 1:1 conversation id.</param>
/// <param name="ConversationType">The conversation type (personal).</param>
/// <param name="TenantId">The tenant id from the activity.</param>
/// <param name="BotId">The bot's id in the conversation.</param>
/// <param name="UserId">The user's channel id in the conversation.</param>
/// <param name="AadObjectId">The user's Entra object id.</param>
/// <param name="ChannelId">The channel (msteams).</param>
public sealed record ConversationReference(
    string ServiceUrl,
    string ConversationId,
    string? ConversationType,
    string? TenantId,
    string BotId,
    string UserId,
    string? AadObjectId,
    string ChannelId);

/// <summary>The bot conversation reference of each user (one per user).</summary>
public interface IConversationReferenceStore
{
    /// <summary>Saves (inserts or replaces) the user's conversation reference.</summary>
    Task SaveAsync(UserKey user, ConversationReference reference, CancellationToken cancellationToken = default);

    /// <summary>Reads the user's conversation reference, or null.</summary>
    Task<ConversationReference?> GetAsync(UserKey user, CancellationToken cancellationToken = default);

    /// <summary>Removes the user's conversation reference (for example after a 403 on a proactive send).</summary>
    Task RemoveAsync(UserKey user, CancellationToken cancellationToken = default);
}
