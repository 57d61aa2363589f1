using CsCheck;
using TiesOffice.Domain.Metadata;

namespace TiesOffice.Domain.Tests;

/// <summary>Generates small random mailboxes for one owner: 1:1 and group mail both ways, co-recipients, broadcasts
/// both ways (so contacts known only from co-presence, and their moving on to a direct exchange), threads.</summary>
internal static class MailboxGen
{
    public const string Owner = "owner@contoso.com";
    public static readonly DateTimeOffset Start = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static string ContactAddress(int i) => $"c{i}@contoso.com";

    /// <summary>One event: (day, minute, kind 0 = out, 1 = in, 2 = co-recipient of another contact's mail, 3 = out to a
    /// group, 4 = a broadcast from the contact, 5 = a broadcast from the owner), contact, subject or -1.</summary>
    public static readonly Gen<(int Day, int Minute, int Kind, int Contact, int Subject)> Event =
        Gen.Select(Gen.Int[0, 500], Gen.Int[0, 1439], Gen.Int[0, 5], Gen.Int[0, 5], Gen.Int[-1, 3]);

    // Everyone on the broadcasts besides the owner and the contact: more than the 15 that make mail a broadcast, and
    // overlapping the six contacts, so that some of them are seen on broadcasts before or after direct mail.
    private static readonly string[] _everyone = [.. Enumerable.Range(2, 20).Select(ContactAddress)];

    public static readonly Gen<MailMessage[]> Mailbox =
        Event.Array[1, 60].Select(events => events.Select((e, i) => ToMessage(e, i)).ToArray());

    /// <summary>Meetings: (day, organised by the owner or by the first attendee, size 1 to 24, first attendee, response
    /// pattern). Attendees overlap the mail contacts and go beyond them, small meetings and large ones alike.</summary>
    public static readonly Gen<Meeting[]> Meetings =
        Gen.Select(Gen.Int[0, 500], Gen.Bool, Gen.Int[1, 24], Gen.Int[0, 30], Gen.Int[0, 3])
            .Array[0, 12]
            .Select(events => events.Select((e, i) => ToMeeting(e, i)).ToArray());

    public static Meeting ToMeeting((int Day, bool ByOwner, int Size, int First, int Responses) e, int index)
    {
        var at = Start.AddDays(e.Day).AddHours(10);
        var attendees = Enumerable.Range(e.First, e.Size)
            .Select((p, k) => new MeetingAttendee(
                ContactAddress(p),
                AttendeeType.Required,
                ((k + e.Responses) % 4) switch
                {
                    0 => AttendeeResponse.Accepted,
                    1 => AttendeeResponse.TentativelyAccepted,
                    2 => AttendeeResponse.Declined,
                    _ => AttendeeResponse.Accepted,
                }))
            .Append(new MeetingAttendee(Owner, AttendeeType.Required, AttendeeResponse.Accepted))
            .ToList();
        var organizer = e.ByOwner ? Owner : ContactAddress(e.First);
        return new Meeting($"e{index}", organizer, attendees, at, at.AddHours(1), false, false, ShowAs.Busy, MeetingKind.SingleInstance, null, false);
    }

    public static MailMessage ToMessage((int Day, int Minute, int Kind, int Contact, int Subject) e, int index)
    {
        var contact = ContactAddress(e.Contact);
        var other = ContactAddress((e.Contact + 1) % 6);
        var at = Start.AddDays(e.Day).AddMinutes(e.Minute);
        var subject = e.Subject < 0 ? null : (index % 2 == 0 ? "Re: topic " : "topic ") + e.Subject;
        return e.Kind switch
        {
            0 => Mail($"m{index}", Owner, [contact], at, subject),
            1 => Mail($"m{index}", contact, [Owner], at, subject),
            2 => Mail($"m{index}", other, [Owner, contact], at, subject),
            3 => Mail($"m{index}", Owner, [contact, other], at, subject),
            4 => Mail($"m{index}", contact, [Owner, .. _everyone], at, subject),
            _ => Mail($"m{index}", Owner, [contact, .. _everyone], at, subject),
        };
    }

    public static MailMessage Mail(string id, string from, string[] to, DateTimeOffset at, string? subject = null, string? conversation = null) =>
        new(id, from, null, to, [], [], at, null, conversation, subject, false, MailFolder.Other);
}
