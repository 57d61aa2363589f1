namespace TiesOffice.Domain.Ties;

/// <summary>The four kinds of tie of the product's model (see docs/Engine.md).</summary>
public enum TieTier
{
    /// <summary>No real two-way exchange, ever: an address, not a relationship.</summary>
    Pseudo = 0,

    /// <summary>Past reciprocal contact that is alive but not close: the ties most worth tending.</summary>
    Weak = 1,

    /// <summary>A reciprocal tie that has gone quiet far beyond its own rhythm: a reactivation chance.</summary>
    Dormant = 2,

    /// <summary>Frequent, recent, balanced two-way contact, capped per owner.</summary>
    Strong = 3,
}

/// <summary>How the tie moves: recent weeks compared with the same span 90 days earlier.</summary>
public enum TieTrend
{
    /// <summary>No contact in either span.</summary>
    Silent = 0,

    /// <summary>About as active as before.</summary>
    Steady = 1,

    /// <summary>More active than before.</summary>
    Rising = 2,

    /// <summary>Less active than before.</summary>
    Cooling = 3,
}

/// <summary>Who owes whom a reply, judged from the last direct message.</summary>
public enum ReplyOwed
{
    /// <summary>Nobody: the last exchange was answered, or it is too old to matter.</summary>
    Nobody = 0,

    /// <summary>The contact wrote last and the owner has not answered.</summary>
    Owner = 1,

    /// <summary>The owner wrote last and the contact has not answered.</summary>
    Contact = 2,
}

/// <summary>Whether a tie would survive a change of role.</summary>
public enum PortabilityClass
{
    /// <summary>No direct contact to judge by.</summary>
    Unknown = 0,

    /// <summary>Carried only by role channels (group threads, large or recurring meetings).</summary>
    PositionBased = 1,

    /// <summary>Both personal and role channels.</summary>
    Mixed = 2,

    /// <summary>Mostly direct, personal contact (1:1 threads and 1:1 meetings).</summary>
    Personal = 3,
}
