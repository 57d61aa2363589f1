using TiesOffice.Application.Sync;
using TiesOffice.Domain.Metadata;

namespace TiesOffice.Application.Ports;

/// <summary>
/// Reads one mailbox's metadata from Microsoft Graph, one delta page at a time. The adapter maps Graph items to
/// domain records, skips bad items (with a logged reason), and translates failures into
/// <see cref="DeltaTokenExpiredException"/>, <see cref="MailboxAccessDeniedException"/> or
/// <see cref="GraphUnavailableException"/>.
/// </summary>
public interface IMailboxGraph
{
    /// <summary>Reads one page of a mail folder's message delta.</summary>
    /// <param name="user">The mailbox.</param>
    /// <param name="folder">A well-known folder name (inbox, sentitems) or a folder id.</param>
    /// <param name="kind">How the folder's messages are classified.</param>
    /// <param name="link">The nextLink or deltaLink to follow; null starts an initial round.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The page: items to store, ids to remove, and the next or delta link.</returns>
    Task<DeltaPage<MailMessage>> GetMessagesPageAsync(UserKey user, string folder, MailFolder kind, string? link, CancellationToken cancellationToken = default);

    /// <summary>Reads one page of the calendarView delta over a window.</summary>
    /// <param name="user">The mailbox.</param>
    /// <param name="window">The calendar window (fixed for a round; a new window is a new initial round).</param>
    /// <param name="link">The nextLink or deltaLink to follow; null starts an initial round.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The page.</returns>
    Task<DeltaPage<Meeting>> GetMeetingsPageAsync(UserKey user, CalendarWindow window, string? link, CancellationToken cancellationToken = default);

    /// <summary>Reads the mailbox time zone (a Windows or IANA name, as the mailbox settings hold it).</summary>
    /// <param name="user">The mailbox.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The time zone, or null when the mailbox has none set.</returns>
    Task<string?> GetTimeZoneAsync(UserKey user, CancellationToken cancellationToken = default);
}
