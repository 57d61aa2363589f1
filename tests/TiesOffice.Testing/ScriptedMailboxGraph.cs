using System.Collections.Concurrent;
using System.Globalization;
using TiesOffice.Application;
using TiesOffice.Application.Ports;
using TiesOffice.Application.Sync;
using TiesOffice.Domain.Metadata;

namespace TiesOffice.Testing;

/// <summary>
/// A scripted <see cref="IMailboxGraph"/> for unit tests of the use cases: each user's streams (<c>inbox</c>,
/// <c>sentitems</c>, <c>calendar</c>) are logs of changes; a delta link remembers how far a round read, so the next
/// round returns only what was added since. One page per round. A user can be made to answer 401/403.
/// </summary>
public sealed class ScriptedMailboxGraph : IMailboxGraph
{
    private readonly ConcurrentDictionary<(UserKey User, string Stream), List<(object? Item, string? Removed)>> _logs = new();
    private readonly ConcurrentDictionary<UserKey, int> _denied = new();
    private readonly ConcurrentDictionary<UserKey, int> _requests = new();

    /// <summary>Adds a message to the user's folder (its <see cref="MailMessage.Folder"/>).</summary>
    public void Add(UserKey user, MailMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        Append(user, message.Folder == MailFolder.SentItems ? "sentitems" : "inbox", message, null);
    }

    /// <summary>Adds (or changes) a meeting in the user's calendar.</summary>
    public void Add(UserKey user, Meeting meeting) => Append(user, "calendar", meeting, null);

    /// <summary>Reports an item of a stream as removed.</summary>
    public void Remove(UserKey user, string stream, string id) => Append(user, stream, null, id);

    /// <summary>From now on the user's mailbox answers <paramref name="status"/> (401 or 403).</summary>
    public void Deny(UserKey user, int status = 403) => _denied[user] = status;

    /// <summary>How many requests the user's mailbox answered or refused.</summary>
    public int Requests(UserKey user) => _requests.GetValueOrDefault(user);

    /// <inheritdoc />
    public Task<DeltaPage<MailMessage>> GetMessagesPageAsync(UserKey user, string folder, MailFolder kind, string? link, CancellationToken cancellationToken = default) =>
        Task.FromResult(Page<MailMessage>(user, folder.ToLowerInvariant(), link));

    /// <inheritdoc />
    public Task<DeltaPage<Meeting>> GetMeetingsPageAsync(UserKey user, CalendarWindow window, string? link, CancellationToken cancellationToken = default) =>
        Task.FromResult(Page<Meeting>(user, "calendar", link));

    /// <inheritdoc />
    public Task<string?> GetTimeZoneAsync(UserKey user, CancellationToken cancellationToken = default)
    {
        Enter(user);
        return Task.FromResult<string?>("UTC");
    }

    private void Append(UserKey user, string stream, object? item, string? removed)
    {
        var log = _logs.GetOrAdd((user, stream), _ => []);
        lock (log)
        {
            log.Add((item, removed));
        }
    }

    private DeltaPage<T> Page<T>(UserKey user, string stream, string? link)
    {
        Enter(user);
        var log = _logs.GetOrAdd((user, stream), _ => []);
        var from = link is null ? 0 : int.Parse(link[(link.LastIndexOf('=') + 1)..], CultureInfo.InvariantCulture);
        lock (log)
        {
            var changes = log.Skip(from).ToList();
            return new DeltaPage<T>(
                changes.Where(c => c.Item is T).Select(c => (T)c.Item!).ToList(),
                changes.Where(c => c.Removed is not null).Select(c => c.Removed!).ToList(),
                0,
                null,
                $"https://graph.test/{stream}/delta?n={log.Count}");
        }
    }

    private void Enter(UserKey user)
    {
        _requests.AddOrUpdate(user, 1, (_, n) => n + 1);
        if (_denied.TryGetValue(user, out var status))
        {
            throw new MailboxAccessDeniedException("The mailbox refused access.") { StatusCode = status };
        }
    }
}
