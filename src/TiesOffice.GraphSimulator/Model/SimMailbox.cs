namespace TiesOffice.GraphSimulator.Model;

/// <summary>A fault the control API asked for: the next matching requests of one mailbox get it.</summary>
/// <param name="Kind">429, 503, 504, slow, drop, malformed, 401 or 403.</param>
/// <param name="Remaining">How many more requests get it; -1 for every request until cleared.</param>
/// <param name="RetryAfterSeconds">The Retry-After of a 429/503/504; 0 sends none.</param>
/// <param name="DelayMs">The delay of a slow response.</param>
/// <param name="PathContains">Only requests whose path contains this text (case-insensitive); null for all.</param>
/// <param name="Probability">Chance that a matching request gets it (1 = always), drawn from the seeded random.</param>
public sealed record FaultRule(string Kind, int Remaining, int RetryAfterSeconds, int DelayMs, string? PathContains, double Probability);

/// <summary>One user's mailbox: folders, items with change numbers, limits, faults and statistics.</summary>
public sealed class SimMailbox
{
    private readonly List<(long Seq, SimItem Item)> _log = [];
    private readonly Dictionary<string, SimItem> _items = new(StringComparer.Ordinal);

    internal SimMailbox(SimUser user, string timeZone)
    {
        User = user;
        TimeZone = timeZone;
        Folders = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["inbox"] = Ids.Folder(user.Id, "inbox"),
            ["sentitems"] = Ids.Folder(user.Id, "sentitems"),
            ["deleteditems"] = Ids.Folder(user.Id, "deleteditems"),
            ["drafts"] = Ids.Folder(user.Id, "drafts"),
            ["archive"] = Ids.Folder(user.Id, "archive"),
        };
    }

    /// <summary>The owner.</summary>
    public SimUser User { get; }

    /// <summary>The mailbox time zone (a Windows name, as Graph returns).</summary>
    public string TimeZone { get; set; }

    /// <summary>Well-known folder names to folder ids.</summary>
    public IReadOnlyDictionary<string, string> Folders { get; }

    /// <summary>The lock for every read and write of this mailbox.</summary>
    public object Gate { get; } = new();

    /// <summary>The latest change number.</summary>
    public long Seq { get; private set; }

    /// <summary>Bumped when the control API expires this mailbox's delta tokens.</summary>
    public int TokenGeneration { get; set; }

    /// <summary>The status code answered to expired tokens: 410 (Gone) or 400 (syncStateNotFound).</summary>
    public int ExpiredTokenStatus { get; set; } = 410;

    /// <summary>Faults waiting for requests.</summary>
    public List<FaultRule> Faults { get; } = [];

    /// <summary>Requests currently being served.</summary>
    internal int InFlight;

    /// <summary>The most requests ever served at once.</summary>
    internal int MaxInFlight;

    /// <summary>Requests received.</summary>
    internal long Requests;

    /// <summary>429s sent (by limits or by injected faults).</summary>
    internal long Throttled;

    /// <summary>Response bytes sent.</summary>
    internal long BytesSent;

    /// <summary>Message pages served with body or bodyPreview (no $select, or one that names them).</summary>
    internal long BodyPages;

    /// <summary>Message pages served with body or bodyPreview (a snapshot); the product must keep this at 0.</summary>
    public long BodyPagesServed => Volatile.Read(ref BodyPages);

    /// <summary>Faults injected.</summary>
    internal long FaultsInjected;

    /// <summary>Requests received (a snapshot).</summary>
    public long RequestCount => Volatile.Read(ref Requests);

    /// <summary>The most requests ever served at once (a snapshot).</summary>
    public int MaxConcurrencyObserved => Volatile.Read(ref MaxInFlight);

    /// <summary>429s sent (a snapshot).</summary>
    public long ThrottledCount => Volatile.Read(ref Throttled);

    /// <summary>Response bytes sent (a snapshot).</summary>
    public long BytesSentCount => Volatile.Read(ref BytesSent);

    /// <summary>Request times inside the budget window.</summary>
    public Queue<DateTimeOffset> Window { get; } = new();

    /// <summary>Resolves a well-known folder name or a folder id; null when unknown.</summary>
    public string? ResolveFolder(string nameOrId)
    {
        if (Folders.TryGetValue(nameOrId, out var id))
        {
            return id;
        }

        return Folders.Values.FirstOrDefault(f => string.Equals(f, nameOrId, StringComparison.Ordinal));
    }

    /// <summary>Finds a live or removed item by id. Call under <see cref="Gate"/>.</summary>
    public SimItem? Find(string id) => _items.GetValueOrDefault(id);

    /// <summary>Every item (live and removed). Call under <see cref="Gate"/>.</summary>
    public IEnumerable<SimItem> Items => _items.Values;

    /// <summary>Adds a new item or records a change to one, giving it the next change number. Call under <see cref="Gate"/>.</summary>
    public void Touch(SimItem item, DateTimeOffset now)
    {
        Seq++;
        item.Seq = Seq;
        item.Modified = now;
        if (item.Created == default)
        {
            item.Created = now;
        }

        _items[item.Id] = item;
        _log.Add((Seq, item));
    }

    /// <summary>The current versions of items changed after <paramref name="after"/> up to <paramref name="upTo"/>, oldest change first. Call under <see cref="Gate"/>.</summary>
    public IEnumerable<SimItem> ChangesBetween(long after, long upTo)
    {
        var lo = 0;
        var hi = _log.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (_log[mid].Seq <= after)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        for (var i = lo; i < _log.Count && _log[i].Seq <= upTo; i++)
        {
            var (seq, item) = _log[i];
            if (item.Seq == seq)
            {
                yield return item;
            }
        }
    }
}
