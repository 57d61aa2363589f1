using System.Globalization;
using System.Text.Json;
using TiesOffice.GraphSimulator.Model;

namespace TiesOffice.GraphSimulator.Api;

/// <summary>Writes simulator items as Graph v1.0 JSON (property names and value types from the published metadata).</summary>
internal static class GraphJson
{
    private static readonly (string Name, Action<Utf8JsonWriter, SimItem> Write)[] MessageProps =
    [
        ("createdDateTime", (w, i) => w.WriteStringValue(Time(i.Created))),
        ("lastModifiedDateTime", (w, i) => w.WriteStringValue(Time(i.Modified))),
        ("changeKey", (w, i) => w.WriteStringValue(Ids.ChangeKey(i.Id, i.Seq))),
        ("categories", (w, _) => { w.WriteStartArray(); w.WriteEndArray(); }),
        ("receivedDateTime", (w, i) => w.WriteStringValue(Time(i.Message!.ReceivedAt))),
        ("sentDateTime", (w, i) => w.WriteStringValue(Time(i.Message!.SentAt))),
        ("hasAttachments", (w, _) => w.WriteBooleanValue(false)),
        ("internetMessageId", (w, i) => w.WriteStringValue(i.Message!.InternetMessageId)),
        ("subject", (w, i) => w.WriteStringValue(i.Message!.Subject)),
        ("bodyPreview", (w, _) => w.WriteStringValue("Preview " + SimulatorOptions.BodyCanary)),
        ("importance", (w, _) => w.WriteStringValue("normal")),
        ("parentFolderId", (w, i) => w.WriteStringValue(i.FolderId)),
        ("conversationId", (w, i) => w.WriteStringValue(i.Message!.ConversationId)),
        ("isDeliveryReceiptRequested", (w, _) => w.WriteBooleanValue(false)),
        ("isReadReceiptRequested", (w, _) => w.WriteBooleanValue(false)),
        ("isRead", (w, i) => w.WriteBooleanValue(i.Message!.IsRead)),
        ("isDraft", (w, i) => w.WriteBooleanValue(i.Message!.IsDraft)),
        ("webLink", (w, i) => w.WriteStringValue("https://outlook.office365.com/owa/?ItemID=" + Uri.EscapeDataString(i.Id) + "&exvsurl=1&viewmodel=ReadMessageItem")),
        ("inferenceClassification", (w, _) => w.WriteStringValue("focused")),
        ("body", (w, _) => { w.WriteStartObject(); w.WriteString("contentType", "text"); w.WriteString("content", "Body " + SimulatorOptions.BodyCanary); w.WriteEndObject(); }),
        ("sender", (w, i) => Recipient(w, i.Message!.Sender)),
        ("from", (w, i) => Recipient(w, i.Message!.From)),
        ("toRecipients", (w, i) => Recipients(w, i.Message!.To)),
        ("ccRecipients", (w, i) => Recipients(w, i.Message!.Cc)),
        ("bccRecipients", (w, i) => Recipients(w, i.Message!.Bcc)),
        ("replyTo", (w, _) => { w.WriteStartArray(); w.WriteEndArray(); }),
        ("flag", (w, _) => { w.WriteStartObject(); w.WriteString("flagStatus", "notFlagged"); w.WriteEndObject(); }),
    ];

    private static readonly (string Name, Action<Utf8JsonWriter, SimItem> Write)[] EventProps =
    [
        ("createdDateTime", (w, i) => w.WriteStringValue(Time(i.Created))),
        ("lastModifiedDateTime", (w, i) => w.WriteStringValue(Time(i.Modified))),
        ("changeKey", (w, i) => w.WriteStringValue(Ids.ChangeKey(i.Id, i.Seq))),
        ("categories", (w, _) => { w.WriteStartArray(); w.WriteEndArray(); }),
        ("transactionId", (w, _) => w.WriteNullValue()),
        ("originalStartTimeZone", (w, _) => w.WriteStringValue("UTC")),
        ("originalEndTimeZone", (w, _) => w.WriteStringValue("UTC")),
        ("iCalUId", (w, i) => w.WriteStringValue(i.Event!.ICalUId)),
        ("reminderMinutesBeforeStart", (w, _) => w.WriteNumberValue(15)),
        ("isReminderOn", (w, i) => w.WriteBooleanValue(!i.Event!.IsCancelled)),
        ("hasAttachments", (w, _) => w.WriteBooleanValue(false)),
        ("subject", (w, i) => w.WriteStringValue(i.Event!.Subject)),
        ("bodyPreview", (w, _) => w.WriteStringValue("Agenda " + SimulatorOptions.BodyCanary)),
        ("importance", (w, _) => w.WriteStringValue("normal")),
        ("sensitivity", (w, _) => w.WriteStringValue("normal")),
        ("isAllDay", (w, i) => w.WriteBooleanValue(i.Event!.IsAllDay)),
        ("isCancelled", (w, i) => w.WriteBooleanValue(i.Event!.IsCancelled)),
        ("isOrganizer", (w, i) => w.WriteBooleanValue(i.Event!.IsOrganizer)),
        ("responseRequested", (w, _) => w.WriteBooleanValue(true)),
        ("seriesMasterId", (w, i) => w.WriteStringValue(i.Event!.SeriesMasterId)),
        ("showAs", (w, i) => w.WriteStringValue(i.Event!.ShowAs)),
        ("type", (w, i) => w.WriteStringValue(i.Event!.Type)),
        ("webLink", (w, i) => w.WriteStringValue("https://outlook.office365.com/owa/?itemid=" + Uri.EscapeDataString(i.Id) + "&exvsurl=1&path=/calendar/item")),
        ("onlineMeetingUrl", (w, _) => w.WriteNullValue()),
        ("isOnlineMeeting", (w, i) => w.WriteBooleanValue(i.Event!.IsOnline)),
        ("onlineMeetingProvider", (w, i) => w.WriteStringValue(i.Event!.IsOnline ? "teamsForBusiness" : "unknown")),
        ("allowNewTimeProposals", (w, _) => w.WriteBooleanValue(true)),
        ("isDraft", (w, _) => w.WriteBooleanValue(false)),
        ("hideAttendees", (w, _) => w.WriteBooleanValue(false)),
        ("responseStatus", (w, i) => { w.WriteStartObject(); w.WriteString("response", i.Event!.OwnerResponse); w.WriteString("time", "0001-01-01T00:00:00Z"); w.WriteEndObject(); }),
        ("body", (w, _) => { w.WriteStartObject(); w.WriteString("contentType", "html"); w.WriteString("content", "<html><body>" + SimulatorOptions.BodyCanary + "</body></html>"); w.WriteEndObject(); }),
        ("start", (w, i) => DateTimeTimeZone(w, i.Event!.Start)),
        ("end", (w, i) => DateTimeTimeZone(w, i.Event!.End)),
        ("location", (w, i) => Location(w, i.Event!.IsOnline ? "Microsoft Teams Meeting" : "Conf Room")),
        ("locations", (w, i) => { w.WriteStartArray(); Location(w, i.Event!.IsOnline ? "Microsoft Teams Meeting" : "Conf Room"); w.WriteEndArray(); }),
        ("recurrence", (w, _) => w.WriteNullValue()),
        ("attendees", (w, i) => Attendees(w, i.Event!)),
        ("organizer", (w, i) => Recipient(w, i.Event!.Organizer)),
        ("onlineMeeting", (w, i) =>
        {
            if (!i.Event!.IsOnline)
            {
                w.WriteNullValue();
                return;
            }

            w.WriteStartObject();
            w.WriteString("joinUrl", "https://teams.microsoft.com/l/meetup-join/" + Ids.Hash(i.Event.MeetingKey, 16));
            w.WriteEndObject();
        }),
    ];

    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The names of every property a message can have, for $select validation.</summary>
    public static IEnumerable<string> MessagePropertyNames => MessageProps.Select(p => p.Name);

    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static void WriteMessage(Utf8JsonWriter w, SimItem item, HashSet<string>? select)
    {
        w.WriteStartObject();
        w.WriteString("@odata.type", "#microsoft.graph.message");
        w.WriteString("@odata.etag", "W/\"" + Ids.ChangeKey(item.Id, item.Seq) + "\"");
        WriteProps(w, item, MessageProps, select);
        w.WriteEndObject();
    }

    public static void WriteEvent(Utf8JsonWriter w, SimItem item)
    {
        w.WriteStartObject();
        w.WriteString("@odata.type", "#microsoft.graph.event");
        w.WriteString("@odata.etag", "W/\"" + Ids.ChangeKey(item.Id, item.Seq) + "\"");
        WriteProps(w, item, EventProps, null);
        w.WriteEndObject();
    }

    public static void WriteRemoved(Utf8JsonWriter w, SimItem item, string reason)
    {
        w.WriteStartObject();
        w.WriteString("@odata.type", item.Kind == SimItemKind.Message ? "#microsoft.graph.message" : "#microsoft.graph.event");
        w.WriteString("id", item.Id);
        w.WriteStartObject("@removed");
        w.WriteString("reason", reason);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    public static void WriteUser(Utf8JsonWriter w, SimUser u, HashSet<string>? select)
    {
        w.WriteStartObject();
        WriteUserProperties(w, u, select);
        w.WriteEndObject();
    }

    public static void WriteUserProperties(Utf8JsonWriter w, SimUser u, HashSet<string>? select)
    {
        void Prop(string name, Action write, bool byDefault = true)
        {
            if (select is null ? byDefault : select.Contains(name))
            {
                w.WritePropertyName(name);
                write();
            }
        }

        var parts = u.DisplayName.Split(' ', 2);
        Prop("businessPhones", () => { w.WriteStartArray(); w.WriteEndArray(); });
        Prop("displayName", () => w.WriteStringValue(u.DisplayName));
        Prop("givenName", () => w.WriteStringValue(parts[0]));
        Prop("jobTitle", () => w.WriteStringValue(u.JobTitle.Length > 0 ? u.JobTitle : null));
        Prop("mail", () => w.WriteStringValue(u.Address));
        Prop("mobilePhone", w.WriteNullValue);
        Prop("officeLocation", w.WriteNullValue);
        Prop("preferredLanguage", () => w.WriteStringValue("en-US"));
        Prop("surname", () => w.WriteStringValue(parts.Length > 1 ? parts[1] : null));
        Prop("userPrincipalName", () => w.WriteStringValue(u.Address));
        Prop("department", () => w.WriteStringValue(u.Department.Length > 0 ? u.Department : null), byDefault: false);
        w.WriteString("id", u.Id);
    }

    public static byte[] Error(string code, string message, string requestId, DateTimeOffset now)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, GraphJson.WriterOptions))
        {
            w.WriteStartObject();
            w.WriteStartObject("error");
            w.WriteString("code", code);
            w.WriteString("message", message);
            w.WriteStartObject("innerError");
            w.WriteString("date", Time(now));
            w.WriteString("request-id", requestId);
            w.WriteString("client-request-id", requestId);
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return stream.ToArray();
    }

    private static void WriteProps(Utf8JsonWriter w, SimItem item, (string Name, Action<Utf8JsonWriter, SimItem> Write)[] props, HashSet<string>? select)
    {
        foreach (var (name, write) in props)
        {
            if (select is not null && !select.Contains(name))
            {
                continue;
            }

            w.WritePropertyName(name);
            if (item.Overrides is { } o && o.TryGetPropertyValue(name, out var node))
            {
                WriteNode(w, node);
            }
            else
            {
                write(w, item);
            }
        }

        if (item.Overrides is { } extra)
        {
            // Properties Graph may add in the future: always present, whatever $select says.
            foreach (var (name, node) in extra)
            {
                if (name != "id" && !props.Any(p => p.Name == name))
                {
                    w.WritePropertyName(name);
                    WriteNode(w, node);
                }
            }
        }

        w.WriteString("id", item.Id);
    }

    private static void WriteNode(Utf8JsonWriter w, System.Text.Json.Nodes.JsonNode? node)
    {
        if (node is null)
        {
            w.WriteNullValue();
        }
        else
        {
            node.WriteTo(w);
        }
    }

    private static void Recipient(Utf8JsonWriter w, SimAddress? a)
    {
        if (a is null)
        {
            w.WriteNullValue();
            return;
        }

        w.WriteStartObject();
        w.WriteStartObject("emailAddress");
        w.WriteString("name", a.Name);
        w.WriteString("address", a.Address);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void Recipients(Utf8JsonWriter w, List<SimAddress> list)
    {
        w.WriteStartArray();
        foreach (var a in list)
        {
            Recipient(w, a);
        }

        w.WriteEndArray();
    }

    private static void Attendees(Utf8JsonWriter w, EventData e)
    {
        w.WriteStartArray();
        foreach (var a in e.Attendees)
        {
            w.WriteStartObject();
            w.WriteString("type", a.Type);
            w.WriteStartObject("status");
            w.WriteString("response", a.Response);
            w.WriteString("time", a.Response == "none" ? "0001-01-01T00:00:00Z" : Time(e.Start.AddDays(-3)));
            w.WriteEndObject();
            w.WriteStartObject("emailAddress");
            w.WriteString("name", a.Who.Name);
            w.WriteString("address", a.Who.Address);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void DateTimeTimeZone(Utf8JsonWriter w, DateTimeOffset t)
    {
        w.WriteStartObject();
        w.WriteString("dateTime", t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture));
        w.WriteString("timeZone", "UTC");
        w.WriteEndObject();
    }

    private static void Location(Utf8JsonWriter w, string name)
    {
        w.WriteStartObject();
        w.WriteString("displayName", name);
        w.WriteString("locationType", "default");
        w.WriteString("uniqueId", name);
        w.WriteString("uniqueIdType", "private");
        w.WriteEndObject();
    }
}
