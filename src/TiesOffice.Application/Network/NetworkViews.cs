using System.Collections.Concurrent;
using TiesOffice.Application.Ports;
using TiesOffice.Application.Scoring;
using TiesOffice.Domain.Metadata;
using TiesOffice.Domain.Ties;
using ContactOverride = TiesOffice.Application.Ports.ContactOverride;

namespace TiesOffice.Application.Network;

/// <summary>
/// One user's network as the views read it: the saved ledger scored as of today, with the user's overrides applied
/// and excluded contacts left out, plus the tie ids. Built from the ledger (no item is read) and kept in memory while
/// the ledger version, the overrides, the exclusions and the day are unchanged; each read checks them with three small
/// storage reads, so a change made through any host shows on the next request.
/// </summary>
public sealed class NetworkView
{
    private readonly Dictionary<string, int> _byId;
    private readonly Dictionary<string, int> _byContact;

    internal NetworkView(
        TieLedger? ledger,
        ContactBook? book,
        IReadOnlyList<Tie> ties,
        IReadOnlyDictionary<string, TieTier> inferred,
        IReadOnlyDictionary<string, ContactOverride> overrides,
        IReadOnlyList<string> ids,
        string ownerDomain,
        DateTimeOffset asOf)
    {
        Ledger = ledger;
        Book = book;
        Ties = ties;
        Inferred = inferred;
        Overrides = overrides;
        Ids = ids;
        OwnerDomain = ownerDomain;
        AsOf = asOf;
        _byId = new Dictionary<string, int>(ties.Count, StringComparer.Ordinal);
        _byContact = new Dictionary<string, int>(ties.Count, StringComparer.Ordinal);
        for (var i = 0; i < ties.Count; i++)
        {
            _byId[ids[i]] = i;
            _byContact[ties[i].Contact] = i;
        }
    }

    /// <summary>The ledger, or null before the first scoring.</summary>
    public TieLedger? Ledger { get; }

    /// <summary>The names and weekly counts kept with the ledger, or null before the first scoring with them.</summary>
    public ContactBook? Book { get; }

    /// <summary>Every shown tie, overrides applied, highest score first.</summary>
    public IReadOnlyList<Tie> Ties { get; }

    /// <summary>The engine's own tier of each contact.</summary>
    public IReadOnlyDictionary<string, TieTier> Inferred { get; }

    /// <summary>The stored overrides by normalised contact.</summary>
    public IReadOnlyDictionary<string, ContactOverride> Overrides { get; }

    /// <summary>The id of each tie, by index.</summary>
    public IReadOnlyList<string> Ids { get; }

    /// <summary>The user's own mail domain.</summary>
    public string OwnerDomain { get; }

    /// <summary>The instant the ties were scored at.</summary>
    public DateTimeOffset AsOf { get; }

    /// <summary>The index of a tie id, or -1.</summary>
    public int IndexOfId(string id) => _byId.TryGetValue(id, out var i) ? i : -1;

    /// <summary>The index of a contact, or -1.</summary>
    public int IndexOfContact(string contact) => _byContact.TryGetValue(MailAddress.Normalize(contact), out var i) ? i : -1;

    /// <summary>A contact's display name (the latest seen on their mail or meetings), or null.</summary>
    public string? NameOf(string contact) => Book?.NameOf(contact);

    /// <summary>Whether a contact is in the user's domain (or a subdomain of it).</summary>
    public TieScope ScopeOf(string contact) => Exclusions.InDomain(contact, OwnerDomain) ? TieScope.Internal : TieScope.External;

    /// <summary>The list form of the tie at an index.</summary>
    public TieSummary Summary(int index)
    {
        var tie = Ties[index];
        Overrides.TryGetValue(tie.Contact, out var o);
        return new TieSummary(
            Ids[index],
            tie.Contact,
            NameOf(tie.Contact),
            tie.Tier,
            Inferred.TryGetValue(tie.Contact, out var inferred) ? inferred : tie.Tier,
            tie.Score,
            TieScoring.ShownLastContact(tie, AsOf),
            tie.Trend,
            ScopeOf(tie.Contact),
            new PortabilityView(tie.Portability.Class, tie.Portability.PersonalShare),
            new ReciprocityView(tie.Reciprocity.Balance, tie.Reciprocity.Owed),
            tie.Why.ToSentence(),
            tie.IsOverridden,
            o?.Muted ?? false,
            o?.SnoozedUntil);
    }
}

/// <summary>Builds and caches <see cref="NetworkView"/>s. A contact the user excluded, or a <see cref="ServiceAddresses"/> entry, is left out.</summary>
public sealed class NetworkViews(IEngineStateStore ledgers, ISettingsStore settings, ITieIds ids, TimeProvider time, ServiceAddresses? service = null)
{
    private readonly ServiceAddresses _service = service ?? ServiceAddresses.None;

    /// <summary>What is excluded for a user: their own entries and the service addresses.</summary>
    /// <param name="userSettings">The user's settings.</param>
    /// <returns>The exclusion list.</returns>
    public Exclusions ExclusionsOf(UserSettings userSettings)
    {
        ArgumentNullException.ThrowIfNull(userSettings);
        return _service.With(userSettings.ExcludedEntries);
    }

    // One entry per user; a few MB each for the largest mailboxes. Entries are replaced, never piled up.
    private readonly ConcurrentDictionary<UserKey, (string Stamp, NetworkView View)> _cache = new();

    /// <summary>The user's current view.</summary>
    /// <param name="user">The user.</param>
    /// <param name="ownerAddress">The user's own address (its domain is "internal").</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The view (empty before the first scoring).</returns>
    public async Task<NetworkView> GetAsync(UserKey user, string ownerAddress, CancellationToken cancellationToken = default)
    {
        var versionTask = ledgers.GetVersionAsync(user, cancellationToken);
        var settingsTask = settings.GetSettingsAsync(user, cancellationToken);
        var overrides = new Dictionary<string, ContactOverride>(StringComparer.Ordinal);
        await foreach (var o in settings.ReadOverridesAsync(user, cancellationToken).ConfigureAwait(false))
        {
            overrides[MailAddress.Normalize(o.Contact)] = o;
        }

        var version = await versionTask.ConfigureAwait(false);
        var userSettings = await settingsTask.ConfigureAwait(false);
        var now = time.GetUtcNow();
        var stamp = string.Join(
            '\u001f',
            [version ?? "-", now.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
             .. overrides.Values.Where(o => o.AffectsScoring).Select(o => o.ToString()).Order(StringComparer.Ordinal),
             "x", .. userSettings.ExcludedEntries]);
        if (_cache.TryGetValue(user, out var cached) && cached.Stamp == stamp)
        {
            return WithOverrides(cached.View, overrides);
        }

        var view = await BuildAsync(user, ownerAddress, overrides, userSettings, now, cancellationToken).ConfigureAwait(false);
        _cache[user] = (stamp, view);
        return view;
    }

    /// <summary>Forgets the user's cached view (after an erase).</summary>
    /// <param name="user">The user.</param>
    public void Forget(UserKey user) => _cache.TryRemove(user, out _);

    // Notes do not change scores: a cached view gets the current overrides (with their notes) without re-scoring.
    private static NetworkView WithOverrides(NetworkView view, Dictionary<string, ContactOverride> overrides) =>
        new(view.Ledger, view.Book, view.Ties, view.Inferred, overrides, view.Ids, view.OwnerDomain, view.AsOf);

    private async Task<NetworkView> BuildAsync(UserKey user, string ownerAddress, Dictionary<string, ContactOverride> overrides, UserSettings userSettings, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ownerDomain = Exclusions.DomainOf(ownerAddress);
        var saved = await ledgers.ReadAsync(user, cancellationToken).ConfigureAwait(false);
        TieLedger? ledger = null;
        ContactBook? book = null;
        if (saved is not null)
        {
            try
            {
                (ledger, book) = EngineBlob.Read(saved.Data);
            }
            catch (ArgumentException)
            {
                // Another format version: the next sync rebuilds it; until then the user sees no ties.
                ledger = null;
            }
        }

        if (ledger is null)
        {
            return new NetworkView(null, null, [], new Dictionary<string, TieTier>(), overrides, [], ownerDomain, now);
        }

        var excluded = ExclusionsOf(userSettings);
        var domainOverrides = overrides.Values.Select(TieScoring.ToDomain).ToList();
        var scored = ledger.Score(now, domainOverrides).Where(t => !excluded.Matches(t.Contact)).ToList();
        var inferred = new Dictionary<string, TieTier>(scored.Count, StringComparer.Ordinal);
        if (domainOverrides.Any(o => o.Tier is not null))
        {
            foreach (var t in ledger.Score(now))
            {
                inferred[t.Contact] = t.Tier;
            }
        }

        var tieIds = scored.Select(t => ids.IdOf(user, t.Contact)).ToList();
        return new NetworkView(ledger, book, scored, inferred, overrides, tieIds, ownerDomain, now);
    }
}

/// <summary>An exclusion list: addresses, and domains that also cover their subdomains.</summary>
public sealed class Exclusions
{
    private readonly HashSet<string> _addresses = new(StringComparer.Ordinal);
    private readonly HashSet<string> _domains = new(StringComparer.Ordinal);

    /// <summary>Creates the list from its entries (addresses or domains).</summary>
    /// <param name="entries">The entries.</param>
    public Exclusions(IEnumerable<string> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var entry in entries)
        {
            var e = entry.Trim().ToLowerInvariant();
            if (e.Contains('@', StringComparison.Ordinal))
            {
                _addresses.Add(MailAddress.Normalize(e));
            }
            else if (e.Length > 0)
            {
                _domains.Add(e.TrimStart('@'));
            }
        }
    }

    /// <summary>Whether the list is empty.</summary>
    public bool IsEmpty => _addresses.Count == 0 && _domains.Count == 0;

    /// <summary>Whether an address is excluded.</summary>
    public bool Matches(string address)
    {
        if (IsEmpty || string.IsNullOrEmpty(address))
        {
            return false;
        }

        var normalized = MailAddress.Normalize(address);
        if (_addresses.Contains(normalized))
        {
            return true;
        }

        foreach (var domain in _domains)
        {
            if (InDomain(normalized, domain))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The domain part of an address (lower case), or empty.</summary>
    public static string DomainOf(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var at = address.LastIndexOf('@');
        return at < 0 ? string.Empty : address[(at + 1)..].Trim().ToLowerInvariant();
    }

    /// <summary>Whether an address is in a domain or one of its subdomains.</summary>
    public static bool InDomain(string address, string domain)
    {
        if (string.IsNullOrEmpty(domain))
        {
            return false;
        }

        var own = DomainOf(address);
        return own == domain || own.EndsWith("." + domain, StringComparison.Ordinal);
    }
}
