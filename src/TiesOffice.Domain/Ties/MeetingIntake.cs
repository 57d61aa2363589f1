namespace TiesOffice.Domain.Ties;

/// <summary>What <see cref="TieLedger.Add(Metadata.Meeting)"/> did with a meeting, and why when it refused it.</summary>
public enum MeetingIntake
{
    /// <summary>Taken in: it now counts towards the ties of its people.</summary>
    Added = 0,

    /// <summary>Refused: a meeting with this id was taken in before. The ledger cannot tell a repeat from a change (a
    /// new time, a cancellation, a declined invitation), and it can only add, so whoever knows that the meeting
    /// changed must rebuild the ledger from the stored items.</summary>
    AlreadySeen = 1,

    /// <summary>Refused: a cancelled meeting the ledger never took in; nobody met, so it changes nothing.</summary>
    Cancelled = 2,

    /// <summary>Refused: the series master of a recurring meeting; its occurrences are what count.</summary>
    SeriesMaster = 3,

    /// <summary>Refused: the owner is not among its people or declined it (it was never taken in).</summary>
    OwnerNotAttending = 4,
}
