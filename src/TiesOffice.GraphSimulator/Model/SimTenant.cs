using System.Collections.Concurrent;
using System.Globalization;
using TiesOffice.Domain.MailLog;
using TiesOffice.Domain.Metadata;

namespace TiesOffice.GraphSimulator.Model;

/// <summary>The simulated tenant: users, their mailboxes and calendars, subscriptions, and the clock.</summary>
public sealed class SimTenant
{
    private readonly Dictionary<string, SimUser> _usersById = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, SimUser> _usersByAddress = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, SimMailbox> _mailboxes = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<SimUser> _users = [];
    private int _nextMessage;

    /// <summary>Creates an empty tenant.</summary>
    public SimTenant(SimulatorOptions options, SimClock clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        Clock = clock;
        Random = new Random(options.Seed);
    }

    /// <summary>The options it was built with.</summary>
    public SimulatorOptions Options { get; }

    /// <summary>The simulator's clock.</summary>
    public SimClock Clock { get; }

    /// <summary>The seeded random used for probabilistic faults.</summary>
    public Random Random { get; }

    /// <summary>The users, in load order.</summary>
    public IReadOnlyList<SimUser> Users => _users;

    /// <summary>Active change-notification subscriptions by id.</summary>
    public ConcurrentDictionary<string, SimSubscription> Subscriptions { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Requests that named no mailbox (users list, subscriptions, $batch envelopes).</summary>
    public SimMailbox TenantCounters { get; } = new(new SimUser("tenant", "tenant", "tenant", string.Empty, string.Empty), "UTC");

    /// <summary>The mail clients sent through <c>sendMail</c>.</summary>
    public SimOutbox Outbox { get; } = new();

    /// <summary>Raised after a message or event changes in a mailbox (for change notifications).</summary>
    public event Action<SimMailbox, SimItem, string>? ItemChanged;

    /// <summary>Loads a tenant from a mail-metadata log folder, with the synthetic calendar when enabled.</summary>
    public static SimTenant Load(SimulatorOptions options, SimClock clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        var tenant = new SimTenant(options, clock);
        if (options.SyntheticMailboxes > 0)
        {
            var (synthPeople, synthMessages) = SyntheticTenant.Generate(options.SyntheticMailboxes, options.SyntheticMessagesPerPerson, options.Seed, clock.GetUtcNow());
            return Populate(tenant, options, clock, synthPeople, [.. synthMessages]);
        }

        if (options.DataPath is null)
        {
            AddServiceMailboxes(tenant, options);
            return tenant;
        }

        var peoplePath = Path.Combine(options.DataPath, "people.tsv");
        IReadOnlyList<Person> people = [];
        if (File.Exists(peoplePath))
        {
            using var peopleReader = new StreamReader(peoplePath);
            people = MailLogReader.ReadPeople(peopleReader, "people.tsv");
        }

        List<MailMessage> messages;
        using (var reader = new StreamReader(Path.Combine(options.DataPath, "messages.tsv")))
        {
            messages = MailLogReader.ReadMessages(reader, "messages.tsv").ToList();
        }

        // Graph names every person by a mail address; a pseudonymised log (ids, see docs/Cli.md) cannot be a tenant.
        if (messages.Count > 0 && !MailAddress.IsPlausible(messages[0].From))
        {
            throw new MailLogException("messages.tsv", 0, $"'{messages[0].From}' is a person id, not a mail address; the simulator serves Graph, which needs mail addresses. Pseudonymised logs work with the tiesoffice CLI.");
        }

        return Populate(tenant, options, clock, people, messages);
    }

    private static SimTenant Populate(SimTenant tenant, SimulatorOptions options, SimClock clock, IReadOnlyList<Person> people, List<MailMessage> messages)
    {
        foreach (var p in people)
        {
            tenant.AddUser(p.Address, p.DisplayName, p.Department, p.JobTitle);
        }

        foreach (var m in messages)
        {
            foreach (var a in m.To.Concat(m.Cc).Append(m.From))
            {
                if (tenant.FindUser(a) is null)
                {
                    tenant.AddUser(a, string.Empty, string.Empty, string.Empty);
                }
            }
        }

        var shift = TimeSpan.Zero;
        if (options.ShiftToNow && messages.Count > 0)
        {
            var newest = messages.Max(m => m.SentAt);
            var today = clock.GetUtcNow();
            shift = TimeSpan.FromDays(Math.Floor((today - newest).TotalDays));
        }

        foreach (var m in messages)
        {
            tenant.Deliver(m.Id, m.From, m.To, m.Cc, [], m.Subject ?? string.Empty, m.SentAt + shift, m.ConversationId, notify: false);
        }

        if (options.GenerateCalendar)
        {
            CalendarGenerator.Generate(tenant, messages, options.Seed);
        }

        // Last, so the log's people keep their places in the user list.
        AddServiceMailboxes(tenant, options);
        return tenant;
    }

    /// <summary>Adds the options' service mailboxes (empty mailboxes an app sends from, such as a digest sender).</summary>
    private static void AddServiceMailboxes(SimTenant tenant, SimulatorOptions options)
    {
        foreach (var address in options.ServiceMailboxes)
        {
            tenant.AddUser(address, string.Empty, string.Empty, string.Empty);
        }
    }

    /// <summary>Adds a user (and mailbox); returns the existing one when the address is known.</summary>
    public SimUser AddUser(string address, string displayName, string department, string jobTitle)
    {
        var normalized = MailAddress.Normalize(address);
        if (_usersByAddress.TryGetValue(normalized, out var existing))
        {
            return existing;
        }

        var name = displayName.Length > 0 ? displayName : NameFromAddress(normalized);
        var user = new SimUser(Ids.UserId(normalized), normalized, name, department, jobTitle);
        _users.Add(user);
        _usersById[user.Id] = user;
        _usersByAddress[normalized] = user;
        var zones = (string[])["Central Standard Time", "Central Standard Time", "Central Standard Time", "Eastern Standard Time", "Pacific Standard Time", "GMT Standard Time"];
        _mailboxes[user.Id] = new SimMailbox(user, zones[(int)((uint)user.Id.GetHashCode(StringComparison.Ordinal) % (uint)zones.Length)]);
        return user;
    }

    /// <summary>Finds a user by id or address (userPrincipalName).</summary>
    public SimUser? FindUser(string idOrAddress) =>
        _usersById.GetValueOrDefault(idOrAddress) ?? _usersByAddress.GetValueOrDefault(MailAddress.Normalize(idOrAddress));

    /// <summary>The mailbox of a user id or address; null when unknown.</summary>
    public SimMailbox? Mailbox(string idOrAddress) =>
        FindUser(idOrAddress) is { } u ? _mailboxes[u.Id] : null;

    /// <summary>Every mailbox.</summary>
    public IEnumerable<SimMailbox> Mailboxes => _mailboxes.Values;

    /// <summary>A display name for an address: "john.arnold@x" becomes "John Arnold".</summary>
    public SimAddress AddressOf(string address)
    {
        var user = FindUser(address);
        return new SimAddress(user?.DisplayName ?? NameFromAddress(address), user?.Address ?? MailAddress.Normalize(address));
    }

    /// <summary>
    /// Delivers a message as Exchange would: a copy in the sender's Sent Items and one in each recipient's Inbox
    /// (for recipients who are users of the tenant). Returns the ids of the copies by user id.
    /// </summary>
    public IReadOnlyDictionary<string, string> Deliver(
        string? key, string from, IReadOnlyList<string> to, IReadOnlyList<string> cc, IReadOnlyList<string> bcc,
        string subject, DateTimeOffset sentAt, string? conversationKey, bool notify = true)
    {
        key ??= "sim-" + Interlocked.Increment(ref _nextMessage).ToString(CultureInfo.InvariantCulture);
        var conversation = Ids.Conversation(string.IsNullOrEmpty(conversationKey)
            ? (Ids.NormalizeSubject(subject) is { Length: > 0 } s ? "s|" + s : "k|" + key)
            : "c|" + conversationKey);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var fromAddress = AddressOf(from);
        void Put(SimMailbox box, string folder, bool withBcc)
        {
            var item = new SimItem
            {
                Id = Ids.Message(box.User.Id, key),
                Kind = SimItemKind.Message,
                FolderId = box.Folders[folder],
                Created = sentAt,
                Message = new MessageData
                {
                    From = fromAddress,
                    Sender = fromAddress,
                    To = to.Select(AddressOf).ToList(),
                    Cc = cc.Select(AddressOf).ToList(),
                    Bcc = withBcc ? bcc.Select(AddressOf).ToList() : [],
                    Subject = subject,
                    SentAt = sentAt,
                    ReceivedAt = sentAt.AddSeconds(withBcc ? 0 : 2),
                    ConversationId = conversation,
                    InternetMessageId = "<" + Ids.Hash(key, 16) + "@" + fromAddress.Address.Split('@')[^1] + ">",
                    IsRead = withBcc,
                },
            };
            lock (box.Gate)
            {
                if (box.Find(item.Id) is { Removed: false })
                {
                    return;
                }

                box.Touch(item, notify ? Clock.GetUtcNow() : sentAt);
            }

            result[box.User.Id] = item.Id;
            if (notify)
            {
                ItemChanged?.Invoke(box, item, "created");
            }
        }

        if (Mailbox(from) is { } senderBox)
        {
            Put(senderBox, "sentitems", withBcc: true);
        }

        foreach (var r in to.Concat(cc).Concat(bcc).Select(MailAddress.Normalize).Distinct(StringComparer.Ordinal))
        {
            if (Mailbox(r) is { } box && !string.Equals(r, MailAddress.Normalize(from), StringComparison.Ordinal))
            {
                Put(box, "inbox", withBcc: false);
            }
        }

        return result;
    }

    /// <summary>Adds an item to one mailbox as is (raw or typed), notifying subscribers.</summary>
    public void AddItem(SimMailbox box, SimItem item)
    {
        ArgumentNullException.ThrowIfNull(box);
        ArgumentNullException.ThrowIfNull(item);
        lock (box.Gate)
        {
            box.Touch(item, Clock.GetUtcNow());
        }

        ItemChanged?.Invoke(box, item, "created");
    }

    /// <summary>Applies a change to an item (under the mailbox lock) and records it as updated.</summary>
    public bool UpdateItem(SimMailbox box, string id, Action<SimItem> change)
    {
        ArgumentNullException.ThrowIfNull(box);
        ArgumentNullException.ThrowIfNull(change);
        SimItem? item;
        lock (box.Gate)
        {
            item = box.Find(id);
            if (item is null || item.Removed)
            {
                return false;
            }

            change(item);
            box.Touch(item, Clock.GetUtcNow());
        }

        ItemChanged?.Invoke(box, item, "updated");
        return true;
    }

    /// <summary>Deletes an item: later delta rounds report it as <c>@removed</c>.</summary>
    public bool DeleteItem(SimMailbox box, string id)
    {
        ArgumentNullException.ThrowIfNull(box);
        SimItem? item;
        lock (box.Gate)
        {
            item = box.Find(id);
            if (item is null || item.Removed)
            {
                return false;
            }

            item.Removed = true;
            box.Touch(item, Clock.GetUtcNow());
        }

        ItemChanged?.Invoke(box, item, "deleted");
        return true;
    }

    /// <summary>Moves a message to another folder: it gets a new id, and the old id is removed.</summary>
    public string? MoveMessage(SimMailbox box, string id, string folderNameOrId)
    {
        ArgumentNullException.ThrowIfNull(box);
        SimItem moved;
        lock (box.Gate)
        {
            var item = box.Find(id);
            var folder = box.ResolveFolder(folderNameOrId);
            if (item is null || item.Removed || item.Kind != SimItemKind.Message || folder is null)
            {
                return null;
            }

            item.Removed = true;
            box.Touch(item, Clock.GetUtcNow());
            moved = new SimItem
            {
                Id = Ids.Message(box.User.Id, item.Id + "|moved|" + box.Seq.ToString(CultureInfo.InvariantCulture)),
                Kind = SimItemKind.Message,
                FolderId = folder,
                Created = item.Created,
                Message = item.Message,
                Overrides = item.Overrides,
            };
            box.Touch(moved, Clock.GetUtcNow());
        }

        ItemChanged?.Invoke(box, moved, "created");
        return moved.Id;
    }

    /// <summary>
    /// Creates a meeting in the organizer's and every attendee's calendar (one copy each), and in the calendars of
    /// <paramref name="listMembers"/> (the members of a distribution list among the attendees). Returns the ids by user id.
    /// </summary>
    public IReadOnlyDictionary<string, string> AddMeeting(string meetingKey, EventData template, bool notify = true, IReadOnlyList<string>? listMembers = null)
    {
        ArgumentNullException.ThrowIfNull(template);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var owners = template.Attendees.Select(a => a.Who.Address).Prepend(template.Organizer.Address).Concat(listMembers ?? [])
            .Distinct(StringComparer.OrdinalIgnoreCase);
        foreach (var owner in owners)
        {
            if (Mailbox(owner) is not { } box)
            {
                continue;
            }

            var isOrganizer = string.Equals(owner, template.Organizer.Address, StringComparison.OrdinalIgnoreCase);
            var data = new EventData
            {
                Subject = template.Subject,
                Organizer = template.Organizer,
                Attendees = template.Attendees,
                Start = template.Start,
                End = template.End,
                IsAllDay = template.IsAllDay,
                IsCancelled = template.IsCancelled,
                IsOnline = template.IsOnline,
                ShowAs = template.ShowAs,
                Type = template.Type,
                SeriesMasterId = template.SeriesMasterId is null ? null : Ids.Event(box.User.Id, template.SeriesMasterId),
                ICalUId = template.ICalUId.Length > 0 ? template.ICalUId : "040000008200E00074C5B7101A82E008" + Ids.Hash(meetingKey, 24),
                MeetingKey = meetingKey,
                IsOrganizer = isOrganizer,
                OwnerResponse = isOrganizer ? "organizer" : template.Attendees.FirstOrDefault(a => string.Equals(a.Who.Address, owner, StringComparison.OrdinalIgnoreCase))?.Response ?? "none",
            };
            if (!isOrganizer && data.OwnerResponse == "declined")
            {
                data.ShowAs = "free";
            }

            var item = new SimItem { Id = Ids.Event(box.User.Id, meetingKey), Kind = SimItemKind.Event, Event = data };
            lock (box.Gate)
            {
                box.Touch(item, notify ? Clock.GetUtcNow() : template.Start.AddDays(-7));
            }

            result[box.User.Id] = item.Id;
            if (notify)
            {
                ItemChanged?.Invoke(box, item, "created");
            }
        }

        return result;
    }

    /// <summary>Changes every copy of a meeting (all attendees' calendars). Returns how many copies changed.</summary>
    public int UpdateMeeting(string meetingKey, Action<EventData> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var count = 0;
        foreach (var box in _mailboxes.Values)
        {
            var id = Ids.Event(box.User.Id, meetingKey);
            if (UpdateItem(box, id, item => change(item.Event!)))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>Deletes every copy of a meeting.</summary>
    public int DeleteMeeting(string meetingKey)
    {
        var count = 0;
        foreach (var box in _mailboxes.Values)
        {
            if (DeleteItem(box, Ids.Event(box.User.Id, meetingKey)))
            {
                count++;
            }
        }

        return count;
    }

    private static string NameFromAddress(string address)
    {
        var local = address.Split('@')[0];
        var parts = local.Split(['.', '_', '-'], StringSplitOptions.RemoveEmptyEntries)
            .Where(p => p.Length > 1)
            .Select(p => char.ToUpperInvariant(p[0]) + p[1..]);
        var name = string.Join(' ', parts);
        return name.Length > 0 ? name : local;
    }
}

/// <summary>A change-notification subscription.</summary>
public sealed class SimSubscription
{
    /// <summary>The id.</summary>
    public required string Id { get; init; }

    /// <summary>The resource path as given.</summary>
    public required string Resource { get; init; }

    /// <summary>The mailbox the resource names.</summary>
    public required string UserId { get; init; }

    /// <summary>messages (with an optional folder id) or events.</summary>
    public required string ResourceKind { get; init; }

    /// <summary>The folder id for folder-scoped message subscriptions.</summary>
    public string? FolderId { get; init; }

    /// <summary>created,updated,deleted.</summary>
    public required string ChangeType { get; init; }

    /// <summary>Where notifications go.</summary>
    public required string NotificationUrl { get; init; }

    /// <summary>Where lifecycle notifications go; fixed at creation.</summary>
    public string? LifecycleNotificationUrl { get; init; }

    /// <summary>The secret echoed in every notification.</summary>
    public string? ClientState { get; init; }

    /// <summary>When it expires.</summary>
    public DateTimeOffset ExpirationDateTime { get; set; }

    /// <summary>The calling application.</summary>
    public string ApplicationId { get; init; } = string.Empty;
}
