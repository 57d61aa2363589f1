using System.Buffers;
using System.Collections.Frozen;
using System.Globalization;
using System.Reflection;
using System.Runtime.Serialization;
using System.Text;
using System.Text.Json;
using Microsoft.Graph.Models;
using Microsoft.Kiota.Abstractions.Helpers;

namespace TiesOffice.Infrastructure.Graph;

/// <summary>The fields of a delta message that the sync reads, as a page holds them (before mapping).</summary>
internal struct MessageFields
{
    public string? Id;
    public bool Removed;
    public string? From;
    public string? FromName;
    public string? Sender;
    public string? SenderName;
    public List<string?>? To;
    public List<string?>? ToNames;
    public List<string?>? Cc;
    public List<string?>? CcNames;
    public List<string?>? Bcc;
    public List<string?>? BccNames;
    public DateTimeOffset? SentDateTime;
    public DateTimeOffset? ReceivedDateTime;
    public string? ConversationId;
    public bool? IsDraft;
    public List<string>? Unknown;
}

/// <summary>The fields of a calendarView delta event that the sync reads.</summary>
internal struct EventFields
{
    public string? Id;
    public bool Removed;
    public string? Organizer;
    public string? OrganizerName;
    public bool HasStart;
    public string? StartDateTime;
    public string? StartTimeZone;
    public bool HasEnd;
    public string? EndDateTime;
    public string? EndTimeZone;
    public List<AttendeeFields>? Attendees;
    public bool? IsCancelled;
    public bool? IsAllDay;
    public bool? IsOnlineMeeting;
    public FreeBusyStatus? ShowAs;
    public EventType? Type;
    public string? SeriesMasterId;
    public List<string>? Unknown;
}

/// <summary>One attendee of an event: address, display name, type and response.</summary>
internal struct AttendeeFields
{
    public string? Address;
    public string? Name;
    public AttendeeType? Type;
    public ResponseType? Response;
}

/// <summary>A delta page as read: its items (in page order) and links.</summary>
/// <typeparam name="T">The item fields.</typeparam>
internal sealed class RawDeltaPage<T>
    where T : struct
{
    public List<T> Items { get; } = [];

    public string? NextLink;
    public string? DeltaLink;
}

/// <summary>
/// Reads Graph delta pages (messages and calendarView events) with a <see cref="Utf8JsonReader"/> that touches
/// only the properties the sync maps and skips the rest (bodies included) without materialising them. It follows
/// the SDK's reading rules (Kiota's <c>JsonParseNode</c>) for the properties it reads, so that both produce the
/// same items: a JSON <c>null</c> leaves a property as it was, a value of another JSON type reads as absent
/// (an empty object or list for object and collection properties), enum values match the SDK's
/// <c>EnumMember</c> names first and then <see cref="EnumHelpers"/>, and a non-string enum value makes the page
/// unreadable. Invalid JSON throws <see cref="JsonException"/>.
/// </summary>
internal static class DeltaPageJson
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64 };

    private static readonly Lazy<FrozenSet<string>> MessageProperties = new(() => Known(
        new Message(), new EventMessage(), new EventMessageRequest(), new EventMessageResponse()));

    private static readonly Lazy<FrozenSet<string>> EventProperties = new(() => Known(new Event()));

    /// <summary>Reads a whole response body into a buffer rented from the shared pool (return it with <see cref="ArrayPool{T}.Return"/>).</summary>
    public static async Task<(byte[] Buffer, int Length)> ReadAllAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(stream.CanSeek ? (int)Math.Max(stream.Length - stream.Position + 1, 256) : 64 * 1024);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return (buffer, length);
                }

                length += read;
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    /// <summary>Reads a message delta page.</summary>
    public static RawDeltaPage<MessageFields> ReadMessages(ReadOnlySpan<byte> json, bool collectUnknown)
    {
        var page = new RawDeltaPage<MessageFields>();
        var reader = new Utf8JsonReader(json, ReaderOptions);
        ReadPage(ref reader, page, collectUnknown, static (ref Utf8JsonReader r, bool unknown) => ReadMessage(ref r, unknown));
        return page;
    }

    /// <summary>Reads a calendarView delta page.</summary>
    public static RawDeltaPage<EventFields> ReadEvents(ReadOnlySpan<byte> json, bool collectUnknown)
    {
        var page = new RawDeltaPage<EventFields>();
        var reader = new Utf8JsonReader(json, ReaderOptions);
        ReadPage(ref reader, page, collectUnknown, static (ref Utf8JsonReader r, bool unknown) => ReadEvent(ref r, unknown));
        return page;
    }

    private delegate T ItemReader<T>(ref Utf8JsonReader reader, bool collectUnknown);

    private static void ReadPage<T>(ref Utf8JsonReader reader, RawDeltaPage<T> page, bool collectUnknown, ItemReader<T> readItem)
        where T : struct
    {
        if (!reader.Read())
        {
            throw new JsonException("The page is empty.");
        }

        if (reader.TokenType == JsonTokenType.StartObject)
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("value"u8))
                {
                    Next(ref reader);
                    if (reader.TokenType == JsonTokenType.Null)
                    {
                        continue;
                    }

                    // A repeated "value" replaces the earlier one, as it does for the SDK.
                    page.Items.Clear();
                    if (reader.TokenType != JsonTokenType.StartArray)
                    {
                        reader.Skip();
                        continue;
                    }

                    while (Next(ref reader) != JsonTokenType.EndArray)
                    {
                        if (reader.TokenType == JsonTokenType.StartObject)
                        {
                            page.Items.Add(readItem(ref reader, collectUnknown));
                        }
                        else
                        {
                            // Not an object: the SDK makes an item with no properties (skipped for its missing id).
                            reader.Skip();
                            page.Items.Add(default);
                        }
                    }
                }
                else if (reader.ValueTextEquals("@odata.nextLink"u8))
                {
                    ReadString(ref reader, ref page.NextLink);
                }
                else if (reader.ValueTextEquals("@odata.deltaLink"u8))
                {
                    ReadString(ref reader, ref page.DeltaLink);
                }
                else
                {
                    reader.Skip();
                }
            }
        }
        else
        {
            reader.Skip();
        }

        // Anything after the root value is invalid JSON (the reader throws on it).
        if (reader.Read())
        {
            throw new JsonException("The page has content after its root value.");
        }
    }

    private static MessageFields ReadMessage(ref Utf8JsonReader reader, bool collectUnknown)
    {
        var m = default(MessageFields);
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8))
            {
                ReadString(ref reader, ref m.Id);
            }
            else if (reader.ValueTextEquals("toRecipients"u8))
            {
                ReadRecipients(ref reader, ref m.To, ref m.ToNames);
            }
            else if (reader.ValueTextEquals("ccRecipients"u8))
            {
                ReadRecipients(ref reader, ref m.Cc, ref m.CcNames);
            }
            else if (reader.ValueTextEquals("bccRecipients"u8))
            {
                ReadRecipients(ref reader, ref m.Bcc, ref m.BccNames);
            }
            else if (reader.ValueTextEquals("from"u8))
            {
                ReadRecipient(ref reader, ref m.From, ref m.FromName);
            }
            else if (reader.ValueTextEquals("sender"u8))
            {
                ReadRecipient(ref reader, ref m.Sender, ref m.SenderName);
            }
            else if (reader.ValueTextEquals("sentDateTime"u8))
            {
                ReadDateTimeOffset(ref reader, ref m.SentDateTime);
            }
            else if (reader.ValueTextEquals("receivedDateTime"u8))
            {
                ReadDateTimeOffset(ref reader, ref m.ReceivedDateTime);
            }
            else if (reader.ValueTextEquals("conversationId"u8))
            {
                ReadString(ref reader, ref m.ConversationId);
            }
            else if (reader.ValueTextEquals("isDraft"u8))
            {
                ReadBool(ref reader, ref m.IsDraft);
            }
            else if (reader.ValueTextEquals("@removed"u8))
            {
                m.Removed = true;
                reader.Skip();
            }
            else
            {
                NoteOther(ref reader, collectUnknown, MessageProperties, ref m.Unknown);
            }
        }

        return m;
    }

    private static EventFields ReadEvent(ref Utf8JsonReader reader, bool collectUnknown)
    {
        var e = default(EventFields);
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8))
            {
                ReadString(ref reader, ref e.Id);
            }
            else if (reader.ValueTextEquals("attendees"u8))
            {
                ReadAttendees(ref reader, ref e.Attendees);
            }
            else if (reader.ValueTextEquals("organizer"u8))
            {
                ReadRecipient(ref reader, ref e.Organizer, ref e.OrganizerName);
            }
            else if (reader.ValueTextEquals("start"u8))
            {
                ReadDateTimeTimeZone(ref reader, ref e.HasStart, ref e.StartDateTime, ref e.StartTimeZone);
            }
            else if (reader.ValueTextEquals("end"u8))
            {
                ReadDateTimeTimeZone(ref reader, ref e.HasEnd, ref e.EndDateTime, ref e.EndTimeZone);
            }
            else if (reader.ValueTextEquals("isCancelled"u8))
            {
                ReadBool(ref reader, ref e.IsCancelled);
            }
            else if (reader.ValueTextEquals("isAllDay"u8))
            {
                ReadBool(ref reader, ref e.IsAllDay);
            }
            else if (reader.ValueTextEquals("isOnlineMeeting"u8))
            {
                ReadBool(ref reader, ref e.IsOnlineMeeting);
            }
            else if (reader.ValueTextEquals("showAs"u8))
            {
                ReadEnum(ref reader, ref e.ShowAs);
            }
            else if (reader.ValueTextEquals("type"u8))
            {
                ReadEnum(ref reader, ref e.Type);
            }
            else if (reader.ValueTextEquals("seriesMasterId"u8))
            {
                ReadString(ref reader, ref e.SeriesMasterId);
            }
            else if (reader.ValueTextEquals("@removed"u8))
            {
                e.Removed = true;
                reader.Skip();
            }
            else
            {
                NoteOther(ref reader, collectUnknown, EventProperties, ref e.Unknown);
            }
        }

        return e;
    }

    private static void ReadAttendees(ref Utf8JsonReader reader, ref List<AttendeeFields>? target)
    {
        if (Next(ref reader) == JsonTokenType.Null)
        {
            return;
        }

        var list = new List<AttendeeFields>();
        target = list;
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return;
        }

        while (Next(ref reader) != JsonTokenType.EndArray)
        {
            var a = default(AttendeeFields);
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                list.Add(a);
                continue;
            }

            while (Next(ref reader) == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("emailAddress"u8))
                {
                    ReadEmailAddress(ref reader, ref a.Address, ref a.Name);
                }
                else if (reader.ValueTextEquals("type"u8))
                {
                    ReadEnum(ref reader, ref a.Type);
                }
                else if (reader.ValueTextEquals("status"u8))
                {
                    if (Next(ref reader) == JsonTokenType.Null)
                    {
                        continue;
                    }

                    a.Response = null;
                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        reader.Skip();
                        continue;
                    }

                    while (Next(ref reader) == JsonTokenType.PropertyName)
                    {
                        if (reader.ValueTextEquals("response"u8))
                        {
                            ReadEnum(ref reader, ref a.Response);
                        }
                        else
                        {
                            reader.Skip();
                        }
                    }
                }
                else
                {
                    reader.Skip();
                }
            }

            list.Add(a);
        }
    }

    /// <summary>A recipient object (<c>{"emailAddress":{"address":…,"name":…}}</c>): its address and name, replacing the earlier values.</summary>
    private static void ReadRecipient(ref Utf8JsonReader reader, ref string? address, ref string? name)
    {
        if (Next(ref reader) == JsonTokenType.Null)
        {
            return;
        }

        (address, name) = ReadRecipientBody(ref reader);
    }

    private static (string? Address, string? Name) ReadRecipientBody(ref Utf8JsonReader reader)
    {
        string? address = null;
        string? name = null;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return (null, null);
        }

        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("emailAddress"u8))
            {
                ReadEmailAddress(ref reader, ref address, ref name);
            }
            else
            {
                reader.Skip();
            }
        }

        return (address, name);
    }

    /// <summary>An emailAddress object: a new object replaces the earlier one, so its address and name start absent.</summary>
    private static void ReadEmailAddress(ref Utf8JsonReader reader, ref string? address, ref string? name)
    {
        if (Next(ref reader) == JsonTokenType.Null)
        {
            return;
        }

        address = null;
        name = null;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("address"u8))
            {
                ReadString(ref reader, ref address);
            }
            else if (reader.ValueTextEquals("name"u8))
            {
                ReadString(ref reader, ref name);
            }
            else
            {
                reader.Skip();
            }
        }
    }

    private static void ReadRecipients(ref Utf8JsonReader reader, ref List<string?>? target, ref List<string?>? names)
    {
        if (Next(ref reader) == JsonTokenType.Null)
        {
            return;
        }

        var list = new List<string?>();
        var nameList = new List<string?>();
        target = list;
        names = nameList;
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return;
        }

        while (Next(ref reader) != JsonTokenType.EndArray)
        {
            var (address, name) = ReadRecipientBody(ref reader);
            list.Add(address);
            nameList.Add(name);
        }
    }

    private static void ReadDateTimeTimeZone(ref Utf8JsonReader reader, ref bool present, ref string? dateTime, ref string? timeZone)
    {
        if (Next(ref reader) == JsonTokenType.Null)
        {
            return;
        }

        present = true;
        dateTime = null;
        timeZone = null;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("dateTime"u8))
            {
                ReadString(ref reader, ref dateTime);
            }
            else if (reader.ValueTextEquals("timeZone"u8))
            {
                ReadString(ref reader, ref timeZone);
            }
            else
            {
                reader.Skip();
            }
        }
    }

    private static void ReadString(ref Utf8JsonReader reader, ref string? target)
    {
        switch (Next(ref reader))
        {
            case JsonTokenType.Null:
                return;
            case JsonTokenType.String:
                target = reader.GetString();
                return;
            default:
                target = null;
                reader.Skip();
                return;
        }
    }

    private static void ReadBool(ref Utf8JsonReader reader, ref bool? target)
    {
        switch (Next(ref reader))
        {
            case JsonTokenType.Null:
                return;
            case JsonTokenType.True:
                target = true;
                return;
            case JsonTokenType.False:
                target = false;
                return;
            default:
                target = null;
                reader.Skip();
                return;
        }
    }

    private static void ReadDateTimeOffset(ref Utf8JsonReader reader, ref DateTimeOffset? target)
    {
        switch (Next(ref reader))
        {
            case JsonTokenType.Null:
                return;
            case JsonTokenType.String:
                if (reader.TryGetDateTimeOffset(out var value))
                {
                    target = value;
                }
                else
                {
                    target = DateTimeOffset.TryParse(reader.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed) ? parsed : null;
                }

                return;
            default:
                target = null;
                reader.Skip();
                return;
        }
    }

    private static void ReadEnum<T>(ref Utf8JsonReader reader, ref T? target)
        where T : struct, Enum
    {
        switch (Next(ref reader))
        {
            case JsonTokenType.Null:
                return;
            case JsonTokenType.String:
                foreach (var (name, value) in EnumNames<T>.Members)
                {
                    if (reader.ValueTextEquals(name))
                    {
                        target = value;
                        return;
                    }
                }

                target = EnumHelpers.GetEnumValue<T>(reader.GetString()!);
                return;
            default:
                // The SDK reads enum values as strings and fails the whole page on anything else.
                throw new JsonException("An enum property holds a " + reader.TokenType.ToString() + ".");
        }
    }

    private static void NoteOther(ref Utf8JsonReader reader, bool collectUnknown, Lazy<FrozenSet<string>> known, ref List<string>? unknown)
    {
        if (collectUnknown)
        {
            var name = reader.GetString()!;
            if (!name.StartsWith("@odata.", StringComparison.Ordinal) && !known.Value.Contains(name) && (unknown is null || !unknown.Contains(name)))
            {
                (unknown ??= []).Add(name);
            }
        }

        reader.Skip();
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new JsonException("The page ends early.");
        }

        return reader.TokenType;
    }

    private static FrozenSet<string> Known(params Microsoft.Kiota.Abstractions.Serialization.IParsable[] models) =>
        models.SelectMany(m => m.GetFieldDeserializers().Keys).ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The SDK's wire names of an enum's members (<see cref="EnumMemberAttribute"/>), as UTF-8.</summary>
    private static class EnumNames<T>
        where T : struct, Enum
    {
        public static readonly (byte[] Name, T Value)[] Members =
        [
            .. typeof(T).GetFields(BindingFlags.Public | BindingFlags.Static)
                .Select(f => (Attribute: f.GetCustomAttribute<EnumMemberAttribute>(), Field: f))
                .Where(x => x.Attribute?.Value is not null)
                .Select(x => (Encoding.UTF8.GetBytes(x.Attribute!.Value!), (T)x.Field.GetValue(null)!)),
        ];
    }
}
