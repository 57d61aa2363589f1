using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;
using TiesOffice.Application;
using TiesOffice.Application.Ports;
using TiesOffice.Application.Sync;
using TiesOffice.Domain.Metadata;
using DomainShowAs = TiesOffice.Domain.Metadata.ShowAs;
using GraphAttendeeType = Microsoft.Graph.Models.AttendeeType;
using MailFolder = TiesOffice.Domain.Metadata.MailFolder;
using MailMessage = TiesOffice.Domain.Metadata.MailMessage;

namespace TiesOffice.Infrastructure.Graph;

/// <summary>
/// Reads mailbox metadata through the Microsoft.Graph SDK: message delta per folder with a minimal
/// <c>$select</c> (never body or subject), calendarView delta, and the mailbox time zone. Maps Graph models to
/// domain records; skips bad items with a logged reason; translates failures for the sync.
/// </summary>
public sealed partial class GraphMailboxReader : IMailboxGraph
{
    /// <summary>The message properties read: metadata only (no body, no preview, no subject).</summary>
    public static readonly IReadOnlyList<string> MessageSelect =
    [
        "id", "from", "sender", "toRecipients", "ccRecipients", "bccRecipients", "sentDateTime", "receivedDateTime",
        "conversationId", "isDraft", "parentFolderId",
    ];

    private static readonly HashSet<string> KnownAdditional = new(StringComparer.Ordinal) { "@removed" };

    /// <summary>Graph's error bodies as the SDK maps them (its generated request builders use the same mapping).</summary>
    private static readonly Dictionary<string, ParsableFactory<IParsable>> ErrorMapping = new(StringComparer.Ordinal)
    {
        ["XXX"] = ODataError.CreateFromDiscriminatorValue,
    };

    private readonly GraphServiceClient _client;
    private readonly GraphOptions _options;
    private readonly ILogger<GraphMailboxReader> _logger;

    /// <summary>Creates the reader.</summary>
    public GraphMailboxReader(GraphServiceClient client, GraphOptions options, ILogger<GraphMailboxReader> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _client = client;
        _options = options;
        _logger = logger;
    }

    /// <inheritdoc />
    public Task<DeltaPage<MailMessage>> GetMessagesPageAsync(UserKey user, string folder, MailFolder kind, string? link, CancellationToken cancellationToken = default)
    {
        var builder = _client.Users[user.UserId].MailFolders[folder].Messages.Delta;
        var request = link is null
            ? builder.ToGetRequestInformation(rc => Configure(rc, user, _options.MessagePageSize, q => q.QueryParameters.Select = [.. MessageSelect]))
            : builder.WithUrl(link).ToGetRequestInformation(rc => Configure(rc, user, _options.MessagePageSize, null));
        return _options.PageParser == GraphPageParser.SdkModels
            ? ReadMessagesWithModelsAsync(user, kind, request, link is not null, cancellationToken)
            : ReadMessagesAsync(user, kind, request, link is not null, cancellationToken);
    }

    /// <inheritdoc />
    public Task<DeltaPage<Meeting>> GetMeetingsPageAsync(UserKey user, CalendarWindow window, string? link, CancellationToken cancellationToken = default)
    {
        var builder = _client.Users[user.UserId].CalendarView.Delta;
        var request = link is null
            ? builder.ToGetRequestInformation(
                rc => Configure(rc, user, _options.EventPageSize, q =>
                {
                    q.QueryParameters.StartDateTime = window.Start.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
                    q.QueryParameters.EndDateTime = window.End.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
                }))
            : builder.WithUrl(link).ToGetRequestInformation(rc => Configure(rc, user, _options.EventPageSize, null));
        return _options.PageParser == GraphPageParser.SdkModels
            ? ReadMeetingsWithModelsAsync(user, window, request, link is not null, cancellationToken)
            : ReadMeetingsAsync(user, window, request, link is not null, cancellationToken);
    }

    /// <summary>Sends a built request through the SDK's pipeline and reads the page with <see cref="DeltaPageJson"/>.</summary>
    private async Task<DeltaPage<MailMessage>> ReadMessagesAsync(UserKey user, MailFolder kind, RequestInformation request, bool isDeltaLink, CancellationToken cancellationToken)
    {
        var who = UserPseudonym.Of(user);
        var collectUnknown = _logger.IsEnabled(LogLevel.Debug);
        var raw = await CallAsync(() => SendAsync(request, json => DeltaPageJson.ReadMessages(json.Span, collectUnknown), cancellationToken), isDeltaLink).ConfigureAwait(false)
            ?? throw new GraphUnavailableException("Graph returned an empty page.") { Reason = "malformed" };

        return Sort(
            who, "message", raw.Items, m => m.Id, m => m.Removed, m => NoteUnknown(who, "message", m.Unknown),
            m => MapMessage(m, kind) is { } mapped ? (mapped, "") : (null, Why(m)), raw.NextLink, raw.DeltaLink);
    }

    /// <summary>Sends a built request through the SDK's pipeline and reads the page with <see cref="DeltaPageJson"/>.</summary>
    private async Task<DeltaPage<Meeting>> ReadMeetingsAsync(UserKey user, CalendarWindow window, RequestInformation request, bool isDeltaLink, CancellationToken cancellationToken)
    {
        var who = UserPseudonym.Of(user);
        var collectUnknown = _logger.IsEnabled(LogLevel.Debug);
        var raw = await CallAsync(() => SendAsync(request, json => DeltaPageJson.ReadEvents(json.Span, collectUnknown), cancellationToken), isDeltaLink).ConfigureAwait(false)
            ?? throw new GraphUnavailableException("Graph returned an empty page.") { Reason = "malformed" };

        return Sort(
            who, "event", raw.Items, e => e.Id, e => e.Removed, e => NoteUnknown(who, "event", e.Unknown),
            e => InWindow(window, MapEvent(e)), raw.NextLink, raw.DeltaLink);
    }

    /// <summary>
    /// The SDK's request adapter with its middleware (auth, retry with Retry-After, redirect, telemetry, the mailbox
    /// gate) and its error mapping to <see cref="ODataError"/>; only the success body is read here, as a stream.
    /// </summary>
    private async Task<T?> SendAsync<T>(RequestInformation request, Func<ReadOnlyMemory<byte>, T> read, CancellationToken cancellationToken)
        where T : class
    {
        var stream = await _client.RequestAdapter.SendPrimitiveAsync<Stream>(request, ErrorMapping, cancellationToken).ConfigureAwait(false);
        if (stream is null)
        {
            return null;
        }

        await using (stream.ConfigureAwait(false))
        {
            var (buffer, length) = await DeltaPageJson.ReadAllAsync(stream, cancellationToken).ConfigureAwait(false);
            try
            {
                return read(buffer.AsMemory(0, length));
            }
            finally
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>The SDK-model reading of a message page (<see cref="GraphPageParser.SdkModels"/>): the reference the fast reader is checked against.</summary>
    private async Task<DeltaPage<MailMessage>> ReadMessagesWithModelsAsync(UserKey user, MailFolder kind, RequestInformation request, bool isDeltaLink, CancellationToken cancellationToken)
    {
        var who = UserPseudonym.Of(user);
        var response = await CallAsync(
            () => _client.RequestAdapter.SendAsync(request, Microsoft.Graph.Users.Item.MailFolders.Item.Messages.Delta.DeltaGetResponse.CreateFromDiscriminatorValue, ErrorMapping, cancellationToken),
            isDeltaLink).ConfigureAwait(false);
        if (response is null)
        {
            throw new GraphUnavailableException("Graph returned an empty page.") { Reason = "malformed" };
        }

        return Sort(
            who, "message", response.Value ?? [], m => m.Id, IsRemoved, m => NoteUnknown(who, "message", m.AdditionalData),
            m => MapMessage(m, kind) is { } mapped ? (mapped, "") : (null, Why(m)), response.OdataNextLink, response.OdataDeltaLink);
    }

    /// <summary>The SDK-model reading of a calendarView page (<see cref="GraphPageParser.SdkModels"/>).</summary>
    private async Task<DeltaPage<Meeting>> ReadMeetingsWithModelsAsync(UserKey user, CalendarWindow window, RequestInformation request, bool isDeltaLink, CancellationToken cancellationToken)
    {
        var who = UserPseudonym.Of(user);
        var response = await CallAsync(
            () => _client.RequestAdapter.SendAsync(request, Microsoft.Graph.Users.Item.CalendarView.Delta.DeltaGetResponse.CreateFromDiscriminatorValue, ErrorMapping, cancellationToken),
            isDeltaLink).ConfigureAwait(false);
        if (response is null)
        {
            throw new GraphUnavailableException("Graph returned an empty page.") { Reason = "malformed" };
        }

        return Sort(
            who, "event", response.Value ?? [], e => e.Id, IsRemoved, e => NoteUnknown(who, "event", e.AdditionalData),
            e => InWindow(window, MapEvent(e)), response.OdataNextLink, response.OdataDeltaLink);
    }

    /// <inheritdoc />
    public async Task<string?> GetTimeZoneAsync(UserKey user, CancellationToken cancellationToken = default)
    {
        var settings = await CallAsync(
            () => _client.Users[user.UserId].MailboxSettings.GetAsync(rc => Configure(rc, user, 0, null), cancellationToken),
            isDeltaLink: false).ConfigureAwait(false);
        return settings?.TimeZone;
    }

    /// <summary>Maps a Graph message; null when it lacks what an interaction needs.</summary>
    public static MailMessage? MapMessage(Message m, MailFolder kind)
    {
        ArgumentNullException.ThrowIfNull(m);
        var from = MailAddress.Normalize(m.From?.EmailAddress?.Address ?? m.Sender?.EmailAddress?.Address);
        if (!MailAddress.IsPlausible(from) || m.SentDateTime is null || string.IsNullOrEmpty(m.Id))
        {
            return null;
        }

        var to = Addresses(m.ToRecipients);
        var cc = Addresses(m.CcRecipients);
        var bcc = Addresses(m.BccRecipients);
        if (to.Count + cc.Count + bcc.Count == 0)
        {
            return null;
        }

        var sender = MailAddress.Normalize(m.Sender?.EmailAddress?.Address);
        return new MailMessage(
            m.Id,
            from,
            MailAddress.IsPlausible(sender) ? sender : null,
            to,
            cc,
            bcc,
            m.SentDateTime.Value,
            m.ReceivedDateTime,
            string.IsNullOrEmpty(m.ConversationId) ? null : m.ConversationId,
            Subject: null,
            m.IsDraft ?? false,
            kind)
        {
            Names = NameBook.Of([
                (m.From?.EmailAddress?.Address, m.From?.EmailAddress?.Name),
                (m.Sender?.EmailAddress?.Address, m.Sender?.EmailAddress?.Name),
                .. Pairs(m.ToRecipients), .. Pairs(m.CcRecipients), .. Pairs(m.BccRecipients)]),
        };
    }

    private static IEnumerable<(string?, string?)> Pairs(List<Recipient>? recipients) =>
        (recipients ?? []).Select(r => (r?.EmailAddress?.Address, r?.EmailAddress?.Name));

    private static IEnumerable<(string?, string?)> Pairs(List<string?>? addresses, List<string?>? names) =>
        (addresses ?? []).Select((a, i) => (a, names is not null && i < names.Count ? names[i] : null));

    /// <summary>Maps a Graph event; null with a reason when it lacks what a meeting needs.</summary>
    public static (Meeting? Meeting, string Reason) MapEvent(Event e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var organizer = MailAddress.Normalize(e.Organizer?.EmailAddress?.Address);
        if (!MailAddress.IsPlausible(organizer))
        {
            return (null, "missing organizer");
        }

        if (ToUtc(e.Start) is not { } start || ToUtc(e.End) is not { } end)
        {
            return (null, "missing or unreadable start or end");
        }

        var attendees = new List<MeetingAttendee>();
        foreach (var a in e.Attendees ?? [])
        {
            var address = MailAddress.Normalize(a.EmailAddress?.Address);
            if (!MailAddress.IsPlausible(address))
            {
                continue;
            }

            var type = a.Type switch
            {
                GraphAttendeeType.Optional => Domain.Metadata.AttendeeType.Optional,
                GraphAttendeeType.Resource => Domain.Metadata.AttendeeType.Resource,
                _ => Domain.Metadata.AttendeeType.Required,
            };
            var response = a.Status?.Response switch
            {
                ResponseType.Organizer => AttendeeResponse.Organizer,
                ResponseType.TentativelyAccepted => AttendeeResponse.TentativelyAccepted,
                ResponseType.Accepted => AttendeeResponse.Accepted,
                ResponseType.Declined => AttendeeResponse.Declined,
                ResponseType.NotResponded => AttendeeResponse.NotResponded,
                _ => AttendeeResponse.None,
            };
            attendees.Add(new MeetingAttendee(address, type, response));
        }

        var showAs = e.ShowAs switch
        {
            FreeBusyStatus.Free => DomainShowAs.Free,
            FreeBusyStatus.Tentative => DomainShowAs.Tentative,
            FreeBusyStatus.Busy => DomainShowAs.Busy,
            FreeBusyStatus.Oof => DomainShowAs.Oof,
            FreeBusyStatus.WorkingElsewhere => DomainShowAs.WorkingElsewhere,
            _ => DomainShowAs.Unknown,
        };
        var kind = e.Type switch
        {
            EventType.Occurrence => MeetingKind.Occurrence,
            EventType.Exception => MeetingKind.Exception,
            EventType.SeriesMaster => MeetingKind.SeriesMaster,
            _ => MeetingKind.SingleInstance,
        };
        return (new Meeting(e.Id!, organizer, attendees, start, end, e.IsCancelled ?? false, e.IsAllDay ?? false, showAs, kind,
            string.IsNullOrEmpty(e.SeriesMasterId) ? null : e.SeriesMasterId, e.IsOnlineMeeting ?? false)
        {
            Names = NameBook.Of([
                (e.Organizer?.EmailAddress?.Address, e.Organizer?.EmailAddress?.Name),
                .. (e.Attendees ?? []).Select(a => (a?.EmailAddress?.Address, a?.EmailAddress?.Name))]),
        }, string.Empty);
    }

    /// <summary>Maps the fields a page held for a message, by the same rules as <see cref="MapMessage(Message, MailFolder)"/>.</summary>
    internal static MailMessage? MapMessage(in MessageFields m, MailFolder kind)
    {
        var from = MailAddress.Normalize(m.From ?? m.Sender);
        if (!MailAddress.IsPlausible(from) || m.SentDateTime is null || string.IsNullOrEmpty(m.Id))
        {
            return null;
        }

        var to = Addresses(m.To);
        var cc = Addresses(m.Cc);
        var bcc = Addresses(m.Bcc);
        if (to.Count + cc.Count + bcc.Count == 0)
        {
            return null;
        }

        var sender = MailAddress.Normalize(m.Sender);
        return new MailMessage(
            m.Id,
            from,
            MailAddress.IsPlausible(sender) ? sender : null,
            to,
            cc,
            bcc,
            m.SentDateTime.Value,
            m.ReceivedDateTime,
            string.IsNullOrEmpty(m.ConversationId) ? null : m.ConversationId,
            Subject: null,
            m.IsDraft ?? false,
            kind)
        {
            Names = NameBook.Of([
                (m.From, m.FromName), (m.Sender, m.SenderName),
                .. Pairs(m.To, m.ToNames), .. Pairs(m.Cc, m.CcNames), .. Pairs(m.Bcc, m.BccNames)]),
        };
    }

    /// <summary>Maps the fields a page held for an event, by the same rules as <see cref="MapEvent(Event)"/>.</summary>
    internal static (Meeting? Meeting, string Reason) MapEvent(in EventFields e)
    {
        var organizer = MailAddress.Normalize(e.Organizer);
        if (!MailAddress.IsPlausible(organizer))
        {
            return (null, "missing organizer");
        }

        if (ToUtc(e.StartDateTime, e.StartTimeZone) is not { } start || ToUtc(e.EndDateTime, e.EndTimeZone) is not { } end)
        {
            return (null, "missing or unreadable start or end");
        }

        var attendees = new List<MeetingAttendee>(e.Attendees?.Count ?? 0);
        foreach (var a in e.Attendees ?? [])
        {
            var address = MailAddress.Normalize(a.Address);
            if (!MailAddress.IsPlausible(address))
            {
                continue;
            }

            attendees.Add(new MeetingAttendee(address, Attendee(a.Type), Response(a.Response)));
        }

        return (new Meeting(e.Id!, organizer, attendees, start, end, e.IsCancelled ?? false, e.IsAllDay ?? false, Show(e.ShowAs), Kind(e.Type),
            string.IsNullOrEmpty(e.SeriesMasterId) ? null : e.SeriesMasterId, e.IsOnlineMeeting ?? false)
        {
            Names = NameBook.Of([(e.Organizer, e.OrganizerName), .. (e.Attendees ?? []).Select(a => (a.Address, a.Name))]),
        }, string.Empty);
    }

    private static Domain.Metadata.AttendeeType Attendee(GraphAttendeeType? type) => type switch
    {
        GraphAttendeeType.Optional => Domain.Metadata.AttendeeType.Optional,
        GraphAttendeeType.Resource => Domain.Metadata.AttendeeType.Resource,
        _ => Domain.Metadata.AttendeeType.Required,
    };

    private static AttendeeResponse Response(ResponseType? response) => response switch
    {
        ResponseType.Organizer => AttendeeResponse.Organizer,
        ResponseType.TentativelyAccepted => AttendeeResponse.TentativelyAccepted,
        ResponseType.Accepted => AttendeeResponse.Accepted,
        ResponseType.Declined => AttendeeResponse.Declined,
        ResponseType.NotResponded => AttendeeResponse.NotResponded,
        _ => AttendeeResponse.None,
    };

    private static DomainShowAs Show(FreeBusyStatus? showAs) => showAs switch
    {
        FreeBusyStatus.Free => DomainShowAs.Free,
        FreeBusyStatus.Tentative => DomainShowAs.Tentative,
        FreeBusyStatus.Busy => DomainShowAs.Busy,
        FreeBusyStatus.Oof => DomainShowAs.Oof,
        FreeBusyStatus.WorkingElsewhere => DomainShowAs.WorkingElsewhere,
        _ => DomainShowAs.Unknown,
    };

    private static MeetingKind Kind(EventType? type) => type switch
    {
        EventType.Occurrence => MeetingKind.Occurrence,
        EventType.Exception => MeetingKind.Exception,
        EventType.SeriesMaster => MeetingKind.SeriesMaster,
        _ => MeetingKind.SingleInstance,
    };

    private static DateTimeOffset? ToUtc(string? dateTime, string? zone)
    {
        if (dateTime is not { } text
            || !DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return null;
        }

        if (string.IsNullOrEmpty(zone) || zone is "UTC" or "Etc/UTC" or "Coordinated Universal Time")
        {
            return new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), TimeSpan.Zero);
        }

        try
        {
            var tz = TimeZoneInfo.FindSystemTimeZoneById(zone);
            return new DateTimeOffset(local, tz.GetUtcOffset(local)).ToUniversalTime();
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return null;
        }
    }

    private static List<string> Addresses(List<string?>? recipients)
    {
        var result = new List<string>(recipients?.Count ?? 0);
        foreach (var r in recipients ?? [])
        {
            var a = MailAddress.Normalize(r);
            if (MailAddress.IsPlausible(a) && !result.Contains(a, StringComparer.Ordinal))
            {
                result.Add(a);
            }
        }

        return result;
    }

    private static string Why(in MessageFields m)
    {
        if (!MailAddress.IsPlausible(MailAddress.Normalize(m.From ?? m.Sender)))
        {
            return "missing from";
        }

        return m.SentDateTime is null ? "missing sentDateTime" : "no recipients";
    }

    /// <summary>
    /// Sorts one delta page's items the same way on every path (fast reader or SDK models, messages or events): an item
    /// without an id is skipped, an <c>@removed</c> item's id goes to the removed ids, and the rest is mapped; an item
    /// that does not map is skipped with its reason. Skips are logged with the user's pseudonym only.
    /// </summary>
    private DeltaPage<T> Sort<TRaw, T>(
        string who,
        string kind,
        IReadOnlyCollection<TRaw> raw,
        Func<TRaw, string?> id,
        Func<TRaw, bool> isRemoved,
        Action<TRaw> noteUnknown,
        Func<TRaw, (T? Item, string Reason)> map,
        string? nextLink,
        string? deltaLink)
        where T : class
    {
        var items = new List<T>(raw.Count);
        var removed = new List<string>();
        var skipped = 0;
        foreach (var r in raw)
        {
            if (id(r) is not { Length: > 0 } itemId)
            {
                skipped++;
                Log.Skipped(_logger, who, kind, "missing id");
                continue;
            }

            if (isRemoved(r))
            {
                removed.Add(itemId);
                continue;
            }

            noteUnknown(r);
            var (item, reason) = map(r);
            if (item is null)
            {
                skipped++;
                Log.Skipped(_logger, who, kind, reason);
            }
            else
            {
                items.Add(item);
            }
        }

        return new DeltaPage<T>(items, removed, skipped, nextLink, deltaLink);
    }

    private static bool IsRemoved(Microsoft.Kiota.Abstractions.Serialization.IAdditionalDataHolder item) =>
        item.AdditionalData?.ContainsKey("@removed") == true;

    /// <summary>A mapped event kept only when it overlaps the calendar window.</summary>
    private static (Meeting? Meeting, string Reason) InWindow(CalendarWindow window, (Meeting? Meeting, string Reason) mapped) =>
        mapped.Meeting is { } meeting && !window.Overlaps(meeting.Start, meeting.End) ? (null, "outside the calendar window") : mapped;

    private void NoteUnknown(string who, string kind, List<string>? unknown)
    {
        foreach (var key in unknown ?? [])
        {
            if (!KnownAdditional.Contains(key))
            {
                Log.UnknownProperty(_logger, who, kind, key);
            }
        }
    }

    private static DateTimeOffset? ToUtc(DateTimeTimeZone? value)
    {
        if (value?.DateTime is not { } text
            || !DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return null;
        }

        var zone = value.TimeZone;
        if (string.IsNullOrEmpty(zone) || zone is "UTC" or "Etc/UTC" or "Coordinated Universal Time")
        {
            return new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), TimeSpan.Zero);
        }

        try
        {
            var tz = TimeZoneInfo.FindSystemTimeZoneById(zone);
            return new DateTimeOffset(local, tz.GetUtcOffset(local)).ToUniversalTime();
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return null;
        }
    }

    private static List<string> Addresses(List<Recipient>? recipients)
    {
        var result = new List<string>();
        foreach (var r in recipients ?? [])
        {
            var a = MailAddress.Normalize(r?.EmailAddress?.Address);
            if (MailAddress.IsPlausible(a) && !result.Contains(a, StringComparer.Ordinal))
            {
                result.Add(a);
            }
        }

        return result;
    }

    private static string Why(Message m)
    {
        if (!MailAddress.IsPlausible(MailAddress.Normalize(m.From?.EmailAddress?.Address ?? m.Sender?.EmailAddress?.Address)))
        {
            return "missing from";
        }

        return m.SentDateTime is null ? "missing sentDateTime" : "no recipients";
    }

    private void NoteUnknown(string who, string kind, IDictionary<string, object>? additional)
    {
        if (additional is null)
        {
            return;
        }

        foreach (var key in additional.Keys)
        {
            if (!key.StartsWith("@odata.", StringComparison.Ordinal) && !KnownAdditional.Contains(key))
            {
                // Property names are schema, not personal data; values are never logged.
                Log.UnknownProperty(_logger, who, kind, key);
            }
        }
    }

    private void Configure<T>(RequestConfiguration<T> rc, UserKey user, int pageSize, Action<RequestConfiguration<T>>? extra)
        where T : class, new()
    {
        if (pageSize > 0)
        {
            // On every page: the SDK does not carry the Prefer header to the nextLink by itself.
            rc.Headers.Add("Prefer", "odata.maxpagesize=" + pageSize.ToString(CultureInfo.InvariantCulture));
        }

        rc.Options.Add(new MailboxGateOption(user.UserId));
        rc.Options.Add(new RetryHandlerOption { MaxRetry = _options.MaxRetries, Delay = _options.RetryDelaySeconds });
        extra?.Invoke(rc);
    }

    private static async Task<T?> CallAsync<T>(Func<Task<T?>> call, bool isDeltaLink)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (ODataError e)
        {
            throw Translate(e.ResponseStatusCode, e.Error?.Code, e, isDeltaLink);
        }
        catch (ApiException e)
        {
            throw Translate(e.ResponseStatusCode, null, e, isDeltaLink);
        }
        catch (AggregateException e)
        {
            // Kiota's RetryHandler: "Too many retries performed" after its retries of 429/503/504.
            throw new GraphUnavailableException("Graph kept throttling or failing after the SDK's retries.", e) { Reason = "throttled" };
        }
        catch (HttpRequestException e)
        {
            throw new GraphUnavailableException("The connection to Graph failed.", e) { Reason = "network" };
        }
        catch (IOException e)
        {
            throw new GraphUnavailableException("The connection to Graph broke.", e) { Reason = "network" };
        }
        catch (SocketException e)
        {
            throw new GraphUnavailableException("The connection to Graph broke.", e) { Reason = "network" };
        }
        catch (JsonException e)
        {
            throw new GraphUnavailableException("Graph sent a page that is not valid JSON.", e) { Reason = "malformed" };
        }
        catch (InvalidOperationException e) when (e is not ObjectDisposedException)
        {
            throw new GraphUnavailableException("Graph sent a page that could not be read.", e) { Reason = "malformed" };
        }
        catch (TaskCanceledException e) when (e.InnerException is TimeoutException)
        {
            throw new GraphUnavailableException("Graph did not answer in time.", e) { Reason = "timeout" };
        }
    }

    private static Exception Translate(int status, string? code, Exception e, bool isDeltaLink)
    {
        var syncState = code is not null && (code.Equals("syncStateNotFound", StringComparison.OrdinalIgnoreCase)
            || code.Equals("resyncRequired", StringComparison.OrdinalIgnoreCase)
            || code.Equals("syncStateInvalid", StringComparison.OrdinalIgnoreCase));
        if (status == 410 || (isDeltaLink && syncState && status is >= 400 and < 500))
        {
            return new DeltaTokenExpiredException("Graph lost the delta state; a full round is needed.", e);
        }

        if (status is 401 or 403 or 404)
        {
            return new MailboxAccessDeniedException("Graph denied access to the mailbox.", e) { StatusCode = status };
        }

        return new GraphUnavailableException("Graph answered " + status.ToString(CultureInfo.InvariantCulture) + ".", e)
        {
            Reason = status == 429 ? "throttled" : status >= 500 ? "server" : "client-" + status.ToString(CultureInfo.InvariantCulture),
        };
    }

    private static partial class Log
    {
        [LoggerMessage(2001, LogLevel.Warning, "Mailbox {User}: skipped a {Kind}: {Reason}.")]
        public static partial void Skipped(ILogger logger, string user, string kind, string reason);

        [LoggerMessage(2002, LogLevel.Debug, "Mailbox {User}: a {Kind} carries an unknown property '{Property}'; ignored.")]
        public static partial void UnknownProperty(ILogger logger, string user, string kind, string property);
    }
}
