using System.Text.Json;
using System.Text.Json.Serialization;

namespace TiesOffice.Infrastructure.Bot.Protocol;

/// <summary>The activity types the bot acts on (Bot Framework activity spec); any other type is accepted and ignored.</summary>
public static class ActivityTypes
{
    /// <summary>A chat message.</summary>
    public const string Message = "message";

    /// <summary>Members joined or left a conversation (Teams sends it when the bot is added).</summary>
    public const string ConversationUpdate = "conversationUpdate";

    /// <summary>The app was installed or uninstalled (<c>action</c> add/remove).</summary>
    public const string InstallationUpdate = "installationUpdate";

    /// <summary>A request that expects an answer in the HTTP response (for example <c>adaptiveCard/action</c>).</summary>
    public const string Invoke = "invoke";

    /// <summary>The bot's answer to an invoke, when sent as an activity.</summary>
    public const string InvokeResponse = "invokeResponse";

    /// <summary>A typing indicator.</summary>
    public const string Typing = "typing";
}

/// <summary>
/// A protocol object that keeps the fields it does not model: they are read into <see cref="Extra"/> and written back
/// unchanged, as the activity spec asks receivers to ignore (not drop) unknown fields.
/// </summary>
public abstract class ProtocolObject
{
    /// <summary>Fields this type does not model, kept as received.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>What every account in a conversation has: the channel id, a display name and, in Teams, the Entra object id.</summary>
public abstract class AccountBase : ProtocolObject
{
    /// <summary>The channel id (Teams: <c>29:…</c> for users, <c>28:&lt;appId&gt;</c> for bots).</summary>
    [JsonPropertyName("id")]
    public string? Id { get; set; }

    /// <summary>The display name.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    /// <summary>The Entra object id (Teams).</summary>
    [JsonPropertyName("aadObjectId")]
    public string? AadObjectId { get; set; }
}

/// <summary>
/// One Bot Framework activity: the fields Teams sends and the bot sets. Fields not modelled here are kept in
/// <see cref="Extra"/> and written back unchanged, as the spec asks receivers to ignore (not drop) unknown fields.
/// </summary>
public sealed class Activity : ProtocolObject
{
    /// <summary>The activity type (message, conversationUpdate, installationUpdate, invoke, …).</summary>
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    /// <summary>The channel's id for the activity.</summary>
    [JsonPropertyName("id")]
    public string? Id { get; set; }

    /// <summary>When the channel sent it (UTC).</summary>
    [JsonPropertyName("timestamp")]
    public DateTimeOffset? Timestamp { get; set; }

    /// <summary>When the sender sent it, with the sender's offset.</summary>
    [JsonPropertyName("localTimestamp")]
    public DateTimeOffset? LocalTimestamp { get; set; }

    /// <summary>The sender's IANA time zone name, when the channel sends it.</summary>
    [JsonPropertyName("localTimezone")]
    public string? LocalTimezone { get; set; }

    /// <summary>The Connector base URL to answer through.</summary>
    [JsonPropertyName("serviceUrl")]
    public string? ServiceUrl { get; set; }

    /// <summary>The channel (<c>msteams</c>).</summary>
    [JsonPropertyName("channelId")]
    public string? ChannelId { get; set; }

    /// <summary>Who sent it.</summary>
    [JsonPropertyName("from")]
    public ChannelAccount? From { get; set; }

    /// <summary>The conversation it belongs to.</summary>
    [JsonPropertyName("conversation")]
    public ConversationAccount? Conversation { get; set; }

    /// <summary>Who it was sent to (the bot, inbound).</summary>
    [JsonPropertyName("recipient")]
    public ChannelAccount? Recipient { get; set; }

    /// <summary>The text format (plain, markdown, xml).</summary>
    [JsonPropertyName("textFormat")]
    public string? TextFormat { get; set; }

    /// <summary>The message text.</summary>
    [JsonPropertyName("text")]
    public string? Text { get; set; }

    /// <summary>Text for speech or accessibility.</summary>
    [JsonPropertyName("summary")]
    public string? Summary { get; set; }

    /// <summary>How several attachments are shown (list, carousel).</summary>
    [JsonPropertyName("attachmentLayout")]
    public string? AttachmentLayout { get; set; }

    /// <summary>Cards and files.</summary>
    [JsonPropertyName("attachments")]
    public List<Attachment>? Attachments { get; set; }

    /// <summary>Mentions and other entities.</summary>
    [JsonPropertyName("entities")]
    public List<JsonElement>? Entities { get; set; }

    /// <summary>Channel-specific data (Teams: tenant, team, channel, eventType).</summary>
    [JsonPropertyName("channelData")]
    public TeamsChannelData? ChannelData { get; set; }

    /// <summary>The activity this one answers.</summary>
    [JsonPropertyName("replyToId")]
    public string? ReplyToId { get; set; }

    /// <summary>The invoke's or event's name (<c>adaptiveCard/action</c>).</summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    /// <summary>The invoke's or submit's payload.</summary>
    [JsonPropertyName("value")]
    public JsonElement? Value { get; set; }

    /// <summary>installationUpdate: <c>add</c>, <c>remove</c> (or their <c>-upgrade</c> forms).</summary>
    [JsonPropertyName("action")]
    public string? Action { get; set; }

    /// <summary>conversationUpdate: who joined.</summary>
    [JsonPropertyName("membersAdded")]
    public List<ChannelAccount>? MembersAdded { get; set; }

    /// <summary>conversationUpdate: who left.</summary>
    [JsonPropertyName("membersRemoved")]
    public List<ChannelAccount>? MembersRemoved { get; set; }

    /// <summary>The locale of the sender (for example en-US).</summary>
    [JsonPropertyName("locale")]
    public string? Locale { get; set; }

    /// <summary>The tenant of the activity: <c>channelData.tenant.id</c>, else <c>conversation.tenantId</c>.</summary>
    [JsonIgnore]
    public string? TenantId => ChannelData?.Tenant?.Id ?? Conversation?.TenantId;
}

/// <summary>A user or bot in a channel.</summary>
public sealed class ChannelAccount : AccountBase
{
    /// <summary>user or bot.</summary>
    [JsonPropertyName("role")]
    public string? Role { get; set; }
}

/// <summary>A conversation.</summary>
public sealed class ConversationAccount : ProtocolObject
{
    /// <summary>The conversation id (Teams: <c>a:…</c>, <c>19:…@thread.v2</c>, possibly with <c>;messageid=…</c>).</summary>
    [JsonPropertyName("id")]
    public string? Id { get; set; }

    /// <summary>Its name, for group conversations.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    /// <summary>Whether it has more than two members.</summary>
    [JsonPropertyName("isGroup")]
    public bool? IsGroup { get; set; }

    /// <summary>Teams: personal, groupChat or channel.</summary>
    [JsonPropertyName("conversationType")]
    public string? ConversationType { get; set; }

    /// <summary>Teams: the tenant.</summary>
    [JsonPropertyName("tenantId")]
    public string? TenantId { get; set; }
}

/// <summary>A card or file attached to an activity.</summary>
public sealed class Attachment : ProtocolObject
{
    /// <summary>The MIME type (<c>application/vnd.microsoft.card.adaptive</c> for Adaptive Cards).</summary>
    [JsonPropertyName("contentType")]
    public string? ContentType { get; set; }

    /// <summary>A URL to the content, for files.</summary>
    [JsonPropertyName("contentUrl")]
    public string? ContentUrl { get; set; }

    /// <summary>The card itself.</summary>
    [JsonPropertyName("content")]
    public JsonElement? Content { get; set; }

    /// <summary>A name, for files.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }
}

/// <summary>Teams' <c>channelData</c>.</summary>
public sealed class TeamsChannelData : ProtocolObject
{
    /// <summary>The tenant the activity comes from.</summary>
    [JsonPropertyName("tenant")]
    public TenantInfo? Tenant { get; set; }

    /// <summary>For conversationUpdate: teamMemberAdded, channelCreated, ….</summary>
    [JsonPropertyName("eventType")]
    public string? EventType { get; set; }
}

/// <summary>A tenant reference.</summary>
public sealed class TenantInfo : ProtocolObject
{
    /// <summary>The Entra tenant id.</summary>
    [JsonPropertyName("id")]
    public string? Id { get; set; }
}

/// <summary>A conversation member as Teams returns it (<c>TeamsChannelAccount</c>).</summary>
public sealed class TeamsMember : AccountBase
{
    /// <summary>The primary address.</summary>
    [JsonPropertyName("email")]
    public string? Email { get; set; }

    /// <summary>The user principal name.</summary>
    [JsonPropertyName("userPrincipalName")]
    public string? UserPrincipalName { get; set; }

    /// <summary>The tenant.</summary>
    [JsonPropertyName("tenantId")]
    public string? TenantId { get; set; }
}

/// <summary>The Connector's answer to a send or reply.</summary>
public sealed class ResourceResponse
{
    /// <summary>The new activity's (or conversation's) id.</summary>
    [JsonPropertyName("id")]
    public string? Id { get; set; }
}

/// <summary>The body of <c>POST /v3/conversations</c> (create a 1:1 conversation).</summary>
public sealed class ConversationParameters
{
    /// <summary>The bot (<c>28:&lt;appId&gt;</c>).</summary>
    [JsonPropertyName("bot")]
    public ChannelAccount? Bot { get; set; }

    /// <summary>The one member (the user's <c>29:…</c> id or Entra object id).</summary>
    [JsonPropertyName("members")]
    public List<ChannelAccount>? Members { get; set; }

    /// <summary>False: a 1:1 conversation.</summary>
    [JsonPropertyName("isGroup")]
    public bool IsGroup { get; set; }

    /// <summary>The tenant.</summary>
    [JsonPropertyName("tenantId")]
    public string? TenantId { get; set; }

    /// <summary>Teams: <c>{"tenant":{"id":…}}</c>.</summary>
    [JsonPropertyName("channelData")]
    public TeamsChannelData? ChannelData { get; set; }

    /// <summary>An activity to send as the first message.</summary>
    [JsonPropertyName("activity")]
    public Activity? Activity { get; set; }
}

/// <summary>The Connector's answer to a create-conversation request.</summary>
public sealed class ConversationResourceResponse
{
    /// <summary>The conversation id.</summary>
    [JsonPropertyName("id")]
    public string? Id { get; set; }

    /// <summary>The service URL to use for it.</summary>
    [JsonPropertyName("serviceUrl")]
    public string? ServiceUrl { get; set; }

    /// <summary>The first activity's id.</summary>
    [JsonPropertyName("activityId")]
    public string? ActivityId { get; set; }
}

/// <summary>
/// The body of an invoke response (<c>adaptiveCard/action</c>): <c>{statusCode, type, value}</c> where type is
/// <c>application/vnd.microsoft.card.adaptive</c> (value: the card), <c>application/vnd.microsoft.activity.message</c>
/// (value: a string) or <c>application/vnd.microsoft.error</c> (value: <c>{code, message}</c>).
/// </summary>
public sealed class AdaptiveCardInvokeResponse
{
    /// <summary>The media type of the card.</summary>
    public const string CardType = "application/vnd.microsoft.card.adaptive";

    /// <summary>The media type of a plain message.</summary>
    public const string MessageType = "application/vnd.microsoft.activity.message";

    /// <summary>The media type of an error.</summary>
    public const string ErrorType = "application/vnd.microsoft.error";

    /// <summary>The HTTP status the body describes.</summary>
    [JsonPropertyName("statusCode")]
    public int StatusCode { get; set; }

    /// <summary>One of the three media types above.</summary>
    [JsonPropertyName("type")]
    public string Type { get; set; } = CardType;

    /// <summary>The card, the message or the error.</summary>
    [JsonPropertyName("value")]
    public JsonElement Value { get; set; }
}

/// <summary>The Connector's error body: <c>{"error":{"code","message"}}</c>.</summary>
public sealed class ErrorResponse
{
    /// <summary>The error.</summary>
    [JsonPropertyName("error")]
    public ErrorBody? Error { get; set; }

    /// <summary>Teams' numeric error code (209 for blocked writes), when present at the top level.</summary>
    [JsonPropertyName("errorCode")]
    public int? ErrorCode { get; set; }

    /// <summary>Teams' message (it may itself be JSON naming a <c>subCode</c>).</summary>
    [JsonPropertyName("message")]
    public string? Message { get; set; }
}

/// <summary>An error code and message.</summary>
public sealed class ErrorBody
{
    /// <summary>The code (for example <c>MessageWritesBlocked</c>, <c>BadArgument</c>).</summary>
    [JsonPropertyName("code")]
    public string? Code { get; set; }

    /// <summary>The message.</summary>
    [JsonPropertyName("message")]
    public string? Message { get; set; }
}

/// <summary>
/// The source-generated serializer for every protocol type: no reflection, and the Web defaults (camelCase, nulls
/// left out on write, case-insensitive on read).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Activity))]
[JsonSerializable(typeof(ResourceResponse))]
[JsonSerializable(typeof(ConversationParameters))]
[JsonSerializable(typeof(ConversationResourceResponse))]
[JsonSerializable(typeof(AdaptiveCardInvokeResponse))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(TeamsMember))]
public sealed partial class BotJsonContext : JsonSerializerContext;
