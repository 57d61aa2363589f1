using TiesOffice.Domain.Metadata;

namespace TiesOffice.Application.Ports;

/// <summary>
/// The metadata items of one user's mailbox, keyed by item id. Every write is idempotent: storing the same item
/// twice leaves one copy, so a replayed delta page never double counts.
/// </summary>
public interface IMailboxStore
{
    /// <summary>Inserts or replaces messages, keyed by <see cref="MailMessage.Id"/>.</summary>
    Task UpsertMessagesAsync(UserKey user, IReadOnlyCollection<MailMessage> messages, CancellationToken cancellationToken = default);

    /// <summary>Inserts or replaces meetings, keyed by <see cref="Meeting.Id"/>.</summary>
    Task UpsertMeetingsAsync(UserKey user, IReadOnlyCollection<Meeting> meetings, CancellationToken cancellationToken = default);

    /// <summary>Removes items (messages or meetings) by id; unknown ids are ignored.</summary>
    Task RemoveAsync(UserKey user, IReadOnlyCollection<string> itemIds, CancellationToken cancellationToken = default);

    /// <summary>Reads every stored message of the user.</summary>
    IAsyncEnumerable<MailMessage> ReadMessagesAsync(UserKey user, CancellationToken cancellationToken = default);

    /// <summary>Reads every stored meeting of the user.</summary>
    IAsyncEnumerable<Meeting> ReadMeetingsAsync(UserKey user, CancellationToken cancellationToken = default);
}
