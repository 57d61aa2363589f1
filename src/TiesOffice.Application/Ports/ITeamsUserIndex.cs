namespace TiesOffice.Application.Ports;

/// <summary>
/// The bot's users by Entra object id, whatever the tenant: which (tenant, user) holds a conversation reference for an
/// object id. An activity that names a known object id under another tenant is not that user (security.md item 12):
/// the bot ignores it. Kept by the conversation reference store: saving a reference indexes it, removing (or erasing)
/// it removes the entry.
/// </summary>
public interface ITeamsUserIndex
{
    /// <summary>The user who holds a conversation reference for <paramref name="aadObjectId"/>, or null.</summary>
    Task<UserKey?> FindAsync(string aadObjectId, CancellationToken cancellationToken = default);
}
