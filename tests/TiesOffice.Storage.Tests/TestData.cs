using System.Text.Json;
using TiesOffice.Application;
using TiesOffice.Application.Ports;
using TiesOffice.Domain.Metadata;

namespace TiesOffice.Storage.Tests;

internal static class TestData
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    /// <summary>Ids that are invalid or awkward in table keys.</summary>
    public static readonly string[] NastyIds =
    [
        "plain",
        "a/b\\c#d?e",
        "pipe|in|id",
        "bang!tilde~percent%",
        "quote'double\"plus+amp&",
        "tab\tnewline\ncr\rnul\0del\u007f c1\u0085",
        "unicode: Ünïcødé 名前 🙂",
        "lone surrogate \ud800 here",
        "",
        "~starts-with-tilde",
        "!0041",
        new string('x', 2000),
        string.Concat(Enumerable.Repeat("/#?\\", 300)),
    ];

    public static UserKey NewUser(string tenant = "tenant") => new(tenant + "-" + Guid.NewGuid().ToString("N")[..8], "user-" + Guid.NewGuid().ToString("N")[..8]);

    public static MailMessage Message(string id, DateTimeOffset sentAt, int recipients = 3, string? subject = "Secret subject") => new(
        id,
        "boss@contoso.example",
        null,
        Enumerable.Range(0, recipients).Select(i => $"person{i}@contoso.example").ToList(),
        ["cc@contoso.example"],
        [],
        sentAt,
        sentAt.AddMinutes(1),
        "conv-" + id,
        subject,
        false,
        MailFolder.Inbox);

    public static Meeting Meeting(string id, DateTimeOffset start, int attendees = 3) => new(
        id,
        "organizer@contoso.example",
        Enumerable.Range(0, attendees).Select(i => new MeetingAttendee($"attendee{i}@fabrikam.example", AttendeeType.Required, AttendeeResponse.Accepted)).ToList(),
        start,
        start.AddHours(1),
        false,
        false,
        ShowAs.Busy,
        MeetingKind.SingleInstance,
        null,
        true);

    public static TieSnapshot Tie(string contact, double score = 0.5, DateTimeOffset? at = null) => new(
        contact, "Display " + contact, "weak", score, 0.6, 0.7, at ?? DateTimeOffset.UnixEpoch.AddDays(20000), 30, -0.1, "6 two-way exchanges", at ?? DateTimeOffset.UnixEpoch.AddDays(20001));

    /// <summary>Records hold lists, which compare by reference; compare their JSON instead.</summary>
    public static string Json<T>(T value) => JsonSerializer.Serialize(value, s_json);

    public static async Task<List<T>> ToListAsync<T>(this IAsyncEnumerable<T> source)
    {
        var list = new List<T>();
        await foreach (var item in source)
        {
            list.Add(item);
        }

        return list;
    }
}
