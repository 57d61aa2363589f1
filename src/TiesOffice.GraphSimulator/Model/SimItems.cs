using System.Text.Json.Nodes;

namespace TiesOffice.GraphSimulator.Model;

/// <summary>A directory user with a mailbox.</summary>
public sealed record SimUser(string Id, string Address, string DisplayName, string Department, string JobTitle);

/// <summary>A name and an address, as Graph's <c>emailAddress</c>.</summary>
public sealed record SimAddress(string Name, string Address);

/// <summary>The typed metadata of a message copy in one mailbox.</summary>
public sealed class MessageData
{
    /// <summary>The author; null simulates bad data.</summary>
    public SimAddress? From { get; set; }

    /// <summary>The sending mailbox.</summary>
    public SimAddress? Sender { get; set; }

    /// <summary>To recipients.</summary>
    public List<SimAddress> To { get; set; } = [];

    /// <summary>Cc recipients.</summary>
    public List<SimAddress> Cc { get; set; } = [];

    /// <summary>Bcc recipients (only in the sender's copy).</summary>
    public List<SimAddress> Bcc { get; set; } = [];

    /// <summary>The subject.</summary>
    public string Subject { get; set; } = string.Empty;

    /// <summary>Sent time.</summary>
    public DateTimeOffset SentAt { get; set; }

    /// <summary>Received time.</summary>
    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>Exchange's conversation id.</summary>
    public string ConversationId { get; set; } = string.Empty;

    /// <summary>The RFC 5322 Message-ID.</summary>
    public string InternetMessageId { get; set; } = string.Empty;

    /// <summary>Draft flag.</summary>
    public bool IsDraft { get; set; }

    /// <summary>Read flag.</summary>
    public bool IsRead { get; set; }
}

/// <summary>One attendee of a simulated event.</summary>
public sealed record SimAttendee(SimAddress Who, string Type, string Response);

/// <summary>The typed data of an event (an occurrence or single instance) in one calendar.</summary>
public sealed class EventData
{
    /// <summary>The subject.</summary>
    public string Subject { get; set; } = string.Empty;

    /// <summary>The organizer.</summary>
    public SimAddress Organizer { get; set; } = new(string.Empty, string.Empty);

    /// <summary>The attendees (the organizer not included).</summary>
    public List<SimAttendee> Attendees { get; set; } = [];

    /// <summary>Start (UTC).</summary>
    public DateTimeOffset Start { get; set; }

    /// <summary>End (UTC).</summary>
    public DateTimeOffset End { get; set; }

    /// <summary>All day.</summary>
    public bool IsAllDay { get; set; }

    /// <summary>Cancelled.</summary>
    public bool IsCancelled { get; set; }

    /// <summary>Online meeting.</summary>
    public bool IsOnline { get; set; }

    /// <summary>Graph's <c>showAs</c>.</summary>
    public string ShowAs { get; set; } = "busy";

    /// <summary>Graph's <c>type</c>: singleInstance, occurrence or exception.</summary>
    public string Type { get; set; } = "singleInstance";

    /// <summary>The series this occurrence belongs to (an id in the owner's calendar).</summary>
    public string? SeriesMasterId { get; set; }

    /// <summary>The iCalendar UID shared by every copy of the meeting.</summary>
    public string ICalUId { get; set; } = string.Empty;

    /// <summary>The tenant-wide key that links every attendee's copy.</summary>
    public string MeetingKey { get; set; } = string.Empty;

    /// <summary>Whether the calendar owner organises it.</summary>
    public bool IsOrganizer { get; set; }

    /// <summary>The owner's own response.</summary>
    public string OwnerResponse { get; set; } = "none";
}

/// <summary>The kind of a mailbox item.</summary>
public enum SimItemKind
{
    /// <summary>A message.</summary>
    Message,

    /// <summary>A calendar event.</summary>
    Event,
}

/// <summary>
/// One item in one mailbox, with its change sequence number. Typed data is written as Graph JSON; raw
/// <see cref="Overrides"/> replace or add properties (the control API uses them to inject bad data).
/// </summary>
public sealed class SimItem
{
    /// <summary>The item id (changes when a message moves).</summary>
    public required string Id { get; init; }

    /// <summary>Message or event.</summary>
    public required SimItemKind Kind { get; init; }

    /// <summary>The folder id of a message.</summary>
    public string FolderId { get; set; } = string.Empty;

    /// <summary>The mailbox change number of the latest version.</summary>
    public long Seq { get; set; }

    /// <summary>Deleted or moved out: delta reports it as <c>@removed</c>.</summary>
    public bool Removed { get; set; }

    /// <summary>Created time.</summary>
    public DateTimeOffset Created { get; set; }

    /// <summary>Last modified time.</summary>
    public DateTimeOffset Modified { get; set; }

    /// <summary>Message data.</summary>
    public MessageData? Message { get; set; }

    /// <summary>Event data.</summary>
    public EventData? Event { get; set; }

    /// <summary>Bad data on purpose: an event returned by calendarView delta even when it lies outside the window.</summary>
    public bool IgnoreWindow { get; set; }

    /// <summary>Raw JSON properties that replace or add to the typed ones.</summary>
    public JsonObject? Overrides { get; set; }
}
