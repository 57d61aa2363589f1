namespace TiesOffice.Application.Ports;

/// <summary>Remembers where each of a user's sync streams (a mail folder, the calendar window) left off.</summary>
public interface ISyncStateStore
{
    /// <summary>Reads the saved delta link of one stream, or null when the stream has never completed a round.</summary>
    Task<string?> GetDeltaLinkAsync(UserKey user, string stream, CancellationToken cancellationToken = default);

    /// <summary>Saves (or, with null, forgets) the delta link of one stream.</summary>
    Task SetDeltaLinkAsync(UserKey user, string stream, string? deltaLink, CancellationToken cancellationToken = default);
}
