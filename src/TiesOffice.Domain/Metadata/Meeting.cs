namespace TiesOffice.Domain.Metadata;

/// <summary>An attendee's role in a meeting, as Graph's <c>attendee.type</c>.</summary>
public enum AttendeeType
{
    /// <summary>A required attendee.</summary>
    Required = 0,

    /// <summary>An optional attendee.</summary>
    Optional = 1,

    /// <summary>A room or piece of equipment; never a person.</summary>
    Resource = 2,
}

/// <summary>An attendee's answer, as Graph's <c>responseStatus.response</c>.</summary>
public enum AttendeeResponse
{
    /// <summary>No response recorded.</summary>
    None = 0,

    /// <summary>The attendee is the organizer.</summary>
    Organizer = 1,

    /// <summary>Tentatively accepted.</summary>
    TentativelyAccepted = 2,

    /// <summary>Accepted.</summary>
    Accepted = 3,

    /// <summary>Declined.</summary>
    Declined = 4,

    /// <summary>Invited but has not responded.</summary>
    NotResponded = 5,
}

/// <summary>How the event shows on the calendar (<c>showAs</c>).</summary>
public enum ShowAs
{
    /// <summary>Unknown.</summary>
    Unknown = 0,

    /// <summary>Free.</summary>
    Free = 1,

    /// <summary>Tentative.</summary>
    Tentative = 2,

    /// <summary>Busy.</summary>
    Busy = 3,

    /// <summary>Out of office.</summary>
    Oof = 4,

    /// <summary>Working elsewhere.</summary>
    WorkingElsewhere = 5,
}

/// <summary>Graph's <c>event.type</c>.</summary>
public enum MeetingKind
{
    /// <summary>A one-off event.</summary>
    SingleInstance = 0,

    /// <summary>One occurrence of a recurring series.</summary>
    Occurrence = 1,

    /// <summary>An occurrence that was changed from the series.</summary>
    Exception = 2,

    /// <summary>The series itself; calendarView returns occurrences instead.</summary>
    SeriesMaster = 3,
}

/// <summary>One attendee of a meeting.</summary>
/// <param name="Address">The attendee's address.</param>
/// <param name="Type">Required, optional or resource.</param>
/// <param name="Response">The attendee's response.</param>
public sealed record MeetingAttendee(string Address, AttendeeType Type, AttendeeResponse Response);

/// <summary>The metadata of one calendar event (an occurrence, when the event recurs). No body, no subject.</summary>
/// <param name="Id">The event id, unique within the mailbox.</param>
/// <param name="Organizer">The organizer's address.</param>
/// <param name="Attendees">Everyone invited, with their type and response. The organizer may or may not be listed.</param>
/// <param name="Start">Start, in UTC.</param>
/// <param name="End">End, in UTC.</param>
/// <param name="IsCancelled">Cancelled meetings are not interactions.</param>
/// <param name="IsAllDay">All-day events are context (out of office, holidays) rather than time spent together.</param>
/// <param name="ShowAs">Free, busy and so on.</param>
/// <param name="Kind">Single, occurrence, exception or series master.</param>
/// <param name="SeriesMasterId">The series an occurrence belongs to, if any.</param>
/// <param name="IsOnline">Whether it is an online meeting.</param>
public sealed record Meeting(
    string Id,
    string Organizer,
    IReadOnlyList<MeetingAttendee> Attendees,
    DateTimeOffset Start,
    DateTimeOffset End,
    bool IsCancelled,
    bool IsAllDay,
    ShowAs ShowAs,
    MeetingKind Kind,
    string? SeriesMasterId,
    bool IsOnline)
{
    /// <summary>Whether this meeting belongs to a recurring series.</summary>
    public bool IsRecurring => Kind is MeetingKind.Occurrence or MeetingKind.Exception or MeetingKind.SeriesMaster
        || !string.IsNullOrEmpty(SeriesMasterId);

    /// <summary>
    /// Display names the event carried (its organizer's and attendees' <c>emailAddress/name</c>), by normalised
    /// address; null or empty when it carried none. Metadata for showing a contact, never read by the tie engine.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Names { get; init; }
}
