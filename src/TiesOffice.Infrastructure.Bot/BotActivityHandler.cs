using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using System.Globalization;
using TiesOffice.Application;
using TiesOffice.Application.Network;
using TiesOffice.Application.Ports;
using TiesOffice.Application.Sync;
using TiesOffice.Infrastructure.Bot.Cards;
using TiesOffice.Infrastructure.Bot.Connector;
using TiesOffice.Infrastructure.Bot.Outlook;
using TiesOffice.Infrastructure.Bot.Protocol;
using TiesOffice.Domain.Ties;

namespace TiesOffice.Infrastructure.Bot;

/// <summary>What <c>/api/messages</c> answers: a status, and for invokes the invoke response body.</summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="Invoke">The invoke response, for <c>invoke</c> activities.</param>
public sealed record BotReply(int Status, AdaptiveCardInvokeResponse? Invoke = null);

/// <summary>
/// The bot's behaviour for one authenticated activity: install enrols the user, stores the conversation reference
/// and sends one welcome card; uninstall erases everything; messages get a short answer with a way forward;
/// <c>adaptiveCard/action</c> invokes get the documented invoke response. Unknown activity types get 200 and do
/// nothing. An activity whose tenant disagrees with itself or with what is stored is ignored and logged.
/// On the Outlook channel (the buttons of the digest mail, channel id <c>outlook</c>) only <c>adaptiveCard/action</c>
/// invokes are handled, by the same verbs; they never replace the stored Teams conversation reference, and the cards
/// they answer with carry the provider's <c>originator</c> and no <c>refresh</c> (<see cref="BotCards.ForOutlook"/>).
/// </summary>
public sealed partial class BotActivityHandler
{
    private readonly ConnectorClient _connector;
    private readonly IUserDirectory _directory;
    private readonly IConversationReferenceStore _references;
    private readonly IPrivacyOperations _privacy;
    private readonly NetworkService _network;
    private readonly ISyncWorkSink _sync;
    private readonly BotCards _cards;
    private readonly TimeProvider _time;
    private readonly ILogger<BotActivityHandler> _logger;
    private readonly string? _originator;

    /// <summary>The channel id of Teams.</summary>
    public const string TeamsChannel = "msteams";

    /// <summary>The channel id of Azure Bot Service's Outlook channel (actionable messages).</summary>
    public const string OutlookChannel = "outlook";
    private readonly ITeamsUserIndex? _index;

    /// <summary>Creates the handler.</summary>
    public BotActivityHandler(
        ConnectorClient connector,
        IUserDirectory directory,
        IConversationReferenceStore references,
        IPrivacyOperations privacy,
        NetworkService network,
        ISyncWorkSink sync,
        BotCards cards,
        TimeProvider time,
        ILogger<BotActivityHandler> logger,
        ActionableMessagesOptions? actionableMessages = null,
        ITeamsUserIndex? index = null)
    {
        _index = index;
        _connector = connector;
        _directory = directory;
        _references = references;
        _privacy = privacy;
        _sync = sync;
        _cards = cards;
        _time = time;
        _logger = logger;
        _network = network;
        _originator = actionableMessages?.OriginatorId;
    }

    /// <summary>Handles one activity.</summary>
    public async Task<BotReply> HandleAsync(Activity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var context = Context.From(activity);
        if (context is null)
        {
            // Not a personal conversation with a known user and tenant: nothing for this bot to do.
            LogIgnored(_logger, activity.Type ?? "(none)", "not a personal activity with a user and tenant");
            return Ok(activity);
        }

        if (activity.ChannelData?.Tenant?.Id is { } dataTenant && activity.Conversation?.TenantId is { } conversationTenant
            && !string.Equals(dataTenant, conversationTenant, StringComparison.OrdinalIgnoreCase))
        {
            LogTenantMismatch(_logger, "channelData and conversation disagree");
            return Ok(activity);
        }

        var stored = await _references.GetAsync(context.User, cancellationToken).ConfigureAwait(false);
        if (stored is not null && !string.Equals(stored.TenantId, context.User.TenantId, StringComparison.OrdinalIgnoreCase))
        {
            LogTenantMismatch(_logger, "activity tenant differs from the stored user's");
            return Ok(activity);
        }

        // No reference under this (tenant, object id): is the object id a user of another tenant? Then this is not them.
        if (stored is null && _index is not null
            && await _index.FindAsync(context.User.UserId, cancellationToken).ConfigureAwait(false) is { } owner
            && !string.Equals(owner.TenantId, context.User.TenantId, StringComparison.OrdinalIgnoreCase))
        {
            LogTenantMismatch(_logger, "the user's object id belongs to a user of another tenant");
            return Ok(activity);
        }

        if (!context.IsTeams)
        {
            // Outlook sends only the card's invokes; nothing else from it installs, enrols or gets a reply.
            return activity.Type == ActivityTypes.Invoke ? await InvokeAsync(activity, context, stored, cancellationToken).ConfigureAwait(false) : Ok(activity);
        }

        return activity.Type switch
        {
            ActivityTypes.InstallationUpdate when IsAdd(activity.Action) => await InstallAsync(activity, context, stored, cancellationToken).ConfigureAwait(false),
            ActivityTypes.InstallationUpdate when IsRemove(activity.Action) => await UninstallAsync(context, cancellationToken).ConfigureAwait(false),
            ActivityTypes.ConversationUpdate when activity.MembersAdded?.Any(m => m.Id == activity.Recipient?.Id) == true =>
                await InstallAsync(activity, context, stored, cancellationToken).ConfigureAwait(false),
            ActivityTypes.Message => await MessageAsync(activity, context, stored, cancellationToken).ConfigureAwait(false),
            ActivityTypes.Invoke => await InvokeAsync(activity, context, stored, cancellationToken).ConfigureAwait(false),
            _ => Ok(activity),
        };
    }

    private static BotReply Ok(Activity activity) => new(200);

    private static bool IsAdd(string? action) => action is "add" or "add-upgrade";

    private static bool IsRemove(string? action) => action is "remove" or "remove-upgrade";

    // ── Install and uninstall ──

    private async Task<BotReply> InstallAsync(Activity activity, Context context, ConversationReference? stored, CancellationToken cancellationToken)
    {
        var existing = await _directory.GetAsync(context.User, cancellationToken).ConfigureAwait(false);
        var enrolled = await EnrolAsync(activity, context, existing, cancellationToken).ConfigureAwait(false);
        await SaveReferenceAsync(context, stored, force: true, cancellationToken).ConfigureAwait(false);
        _connector.MarkActive(context.ConversationId);

        // One welcome per install: when no reference was stored before, or the stored one is of another conversation (a
        // user enrolled before, by the demo's enrol-all or the tab, installs now; or installs again after an uninstall).
        // Teams sends both an installationUpdate and a conversationUpdate on install, and may repeat them: the first
        // stores the reference, so the others find it and send nothing.
        if (enrolled && (stored is null || !string.Equals(stored.ConversationId, context.ConversationId, StringComparison.Ordinal)))
        {
            await SendAsync(context, Attach(_cards.Welcome(context.UserMri)), cancellationToken).ConfigureAwait(false);
        }

        return new BotReply(200);
    }

    /// <summary>Enrols the user (address from the Connector's member lookup); false when the address could not be had.</summary>
    private async Task<bool> EnrolAsync(Activity activity, Context context, EnrolledUser? existing, CancellationToken cancellationToken)
    {
        var member = await _connector.GetMemberAsync(context.ServiceUrl, context.ConversationId, context.User.TenantId, context.UserChannelId, cancellationToken).ConfigureAwait(false);
        var address = member?.Email ?? member?.UserPrincipalName ?? existing?.MailAddress;
        if (string.IsNullOrEmpty(address))
        {
            LogNoAddress(_logger);
            return false;
        }

        var now = _time.GetUtcNow();
        var user = new EnrolledUser(context.User, address, member?.Name ?? activity.From?.Name ?? existing?.DisplayName, activity.LocalTimezone ?? existing?.TimeZone,
            existing is { Consent: ConsentState.Active } ? existing.EnrolledAt : now, ConsentState.Active);
        await _directory.EnrolAsync(user, cancellationToken).ConfigureAwait(false);
        if (existing is not { Consent: ConsentState.Active })
        {
            await _sync.EnqueueAsync(new SyncWorkItem(context.User, SyncWorkReason.Missed, null), cancellationToken).ConfigureAwait(false);
            LogEnrolled(_logger);
        }

        return true;
    }

    private async Task<BotReply> UninstallAsync(Context context, CancellationToken cancellationToken)
    {
        await EraseAsync(context, cancellationToken).ConfigureAwait(false);
        _connector.MarkActive(context.ConversationId);
        return new BotReply(200);
    }

    /// <summary>Erases the user as the tab's delete does (<see cref="NetworkService.EraseAsync"/>), or, for a user who is not enrolled, whatever rows are left.</summary>
    private async Task EraseAsync(Context context, CancellationToken cancellationToken)
    {
        var me = await _directory.GetAsync(context.User, cancellationToken).ConfigureAwait(false);
        if (me is not null)
        {
            await _network.EraseAsync(me, NetworkService.EraseConfirmation, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await _privacy.EraseAsync(context.User, cancellationToken).ConfigureAwait(false);
        }

        await _references.RemoveAsync(context.User, cancellationToken).ConfigureAwait(false);
        LogErased(_logger);
    }

    private async Task SaveReferenceAsync(Context context, ConversationReference? stored, bool force, CancellationToken cancellationToken)
    {
        var reference = context.Reference;
        if (force || stored is null || stored != reference)
        {
            await _references.SaveAsync(context.User, reference, cancellationToken).ConfigureAwait(false);
        }
    }

    // ── Messages ──

    private async Task<BotReply> MessageAsync(Activity activity, Context context, ConversationReference? stored, CancellationToken cancellationToken)
    {
        if (activity.Value is { ValueKind: JsonValueKind.Object } submit && activity.Text is null or { Length: 0 })
        {
            // An Action.Submit from an old client (the fallback of our Action.Execute buttons).
            var verb = submit.TryGetProperty("verb", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            var card = await ActAsync(verb, submit.TryGetProperty("args", out var args) ? args : default, context, cancellationToken).ConfigureAwait(false);
            await ReplyAsync(activity, context, card is null ? Text(UnknownAction) : Attach(card), cancellationToken).ConfigureAwait(false);
            return new BotReply(200);
        }

        var enrolment = await _directory.GetAsync(context.User, cancellationToken).ConfigureAwait(false);
        var active = enrolment is { Consent: ConsentState.Active };
        if (active)
        {
            await SaveReferenceAsync(context, stored, force: false, cancellationToken).ConfigureAwait(false);
            _connector.MarkActive(context.ConversationId);
        }

        var command = Command.Parse(activity.Text);
        Activity reply = command.Kind switch
        {
            CommandKind.Help => Attach(_cards.Help(context.UserMri)),
            CommandKind.Start when active => Text("You're all set: TiesOffice is on. Type **help** for what I can do."),
            CommandKind.Start => await StartAsync(activity, context, cancellationToken).ConfigureAwait(false),
            _ when !active => Text("TiesOffice holds no data about you. Type **start** to turn it on, or **help** for what it does."),
            CommandKind.Delete => Attach(BotCards.ConfirmDelete(context.UserMri)),
            CommandKind.Empty => Text("Say **help** to see what I can do, or **digest** for this week's digest."),
            CommandKind.Unknown => Text("Sorry, I didn't get that. Try **help**, **digest**, **tend**, or **how am I with** and a name."),
            _ => await AnswerAsync(command, enrolment!, context, cancellationToken).ConfigureAwait(false),
        };
        await ReplyAsync(activity, context, reply, cancellationToken).ConfigureAwait(false);
        return new BotReply(200);
    }

    /// <summary>The commands answered from the tab's use cases (<see cref="NetworkService"/>).</summary>
    private async Task<Activity> AnswerAsync(Command command, EnrolledUser me, Context context, CancellationToken cancellationToken)
    {
        try
        {
            switch (command.Kind)
            {
                case CommandKind.Digest:
                    {
                        var summary = await _network.GetSummaryAsync(me, cancellationToken).ConfigureAwait(false);
                        var text = DigestContent.SummaryLine(summary.Tiers, summary.Suggestions.Count);
                        return Attach(_cards.Digest(context.UserMri, [.. summary.Suggestions.Select(Suggest)], text));
                    }

                case CommandKind.Tend:
                    {
                        var summary = await _network.GetSummaryAsync(me, cancellationToken).ConfigureAwait(false);
                        if (summary.Suggestions.Count == 0)
                        {
                            return Text("Nothing to tend this week: your ties look well kept. Type **digest** for the overview.");
                        }

                        return Attach([.. summary.Suggestions.Take(3).Select(x => _cards.Suggestion(context.UserMri, Suggest(x)))]);
                    }

                case CommandKind.HowAmI:
                    {
                        var tie = await FindTieAsync(me, command.Argument, cancellationToken).ConfigureAwait(false);
                        return tie is null
                            ? Text($"I couldn't find **{command.Argument}** among your ties. Try a full name or an address, or open the TiesOffice tab.")
                            : Attach(_cards.Suggestion(context.UserMri, Suggest(tie)));
                    }

                case CommandKind.Snooze or CommandKind.Mute:
                    {
                        var tie = await FindTieAsync(me, command.Argument, cancellationToken).ConfigureAwait(false);
                        if (tie is null)
                        {
                            return Text($"I couldn't find **{command.Argument}** among your ties, so nothing changed.");
                        }

                        if (command.Kind == CommandKind.Mute)
                        {
                            await _network.ChangeOverridesAsync(me, tie.Id, new OverrideChange(Muted: true), cancellationToken).ConfigureAwait(false);
                            return Text($"Muted: no more nudges about **{Name(tie)}**. Unmute in the TiesOffice tab.");
                        }

                        var days = Days(command.Period);
                        if (days is null)
                        {
                            return Text("How long? For example **snooze Kim 2 weeks** (days, weeks or months, up to a year).");
                        }

                        var until = _time.GetUtcNow().AddDays(days.Value);
                        await _network.ChangeOverridesAsync(me, tie.Id, new OverrideChange(SnoozedUntil: new Patch<DateTimeOffset>(until, true)), cancellationToken).ConfigureAwait(false);
                        return Text($"Snoozed: no nudges about **{Name(tie)}** until {until.ToString("d MMM yyyy", CultureInfo.InvariantCulture)}.");
                    }

                case CommandKind.Settings:
                    {
                        var settings = await _network.GetSettingsAsync(me, cancellationToken).ConfigureAwait(false);
                        return Text(string.Create(CultureInfo.InvariantCulture,
                            $"Your digest comes on {settings.DigestDay} at {settings.DigestTime:HH\\:mm} ({settings.TimeZone ?? "your mailbox's time zone"}), with at most {settings.WeeklyBudget} nudges a week; {settings.Exclusions.Count} addresses or domains are excluded. Change them in the TiesOffice tab: {_cards.TabLink}"));
                    }

                default:
                    return Text("Type **help** for what I can do.");
            }
        }
        catch (NetworkRequestException ex)
        {
            LogRefused(_logger, ex.Field);
            return Text(ex.Message + " Type **help** for what I can do.");
        }
    }

    private async Task<TieSummary?> FindTieAsync(EnrolledUser me, string? who, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(who))
        {
            return null;
        }

        var page = await _network.ListTiesAsync(me, new TieQuery([], null, null, null, who, TieSort.Score, 5, null), cancellationToken).ConfigureAwait(false);
        return page.Items.FirstOrDefault(t => string.Equals(t.Contact, who, StringComparison.OrdinalIgnoreCase)
                || string.Equals(t.DisplayName, who, StringComparison.OrdinalIgnoreCase))
            ?? (page.Items.Count > 0 ? page.Items[0] : null);
    }

    private static string Name(TieSummary tie) => tie.DisplayName ?? tie.Contact;

    private static ContactSuggestion Suggest(Suggestion s) => DigestContent.From(s);

    private static ContactSuggestion Suggest(TieSummary t)
    {
        var last = t.LastContact is { } at ? "last contact " + at.ToString("d MMM yyyy", CultureInfo.InvariantCulture) : "no recent contact";
        return new(t.Id, Name(t), t.Contact, $"{t.Tier} tie · {last}", t.Why);
    }

    /// <summary>A period such as "2 weeks", "10 days", "1 month", as days (1 to 365), or null.</summary>
    internal static int? Days(string? period)
    {
        var digits = new string((period ?? string.Empty).TakeWhile(char.IsDigit).ToArray());
        if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0)
        {
            return null;
        }

        var unit = (period ?? string.Empty)[digits.Length..].Trim().ToLowerInvariant();
        var days = unit.StartsWith('w') ? n * 7 : unit.StartsWith('m') ? n * 30 : n;
        return days is >= 1 and <= 365 ? days : null;
    }

    private async Task<Activity> StartAsync(Activity activity, Context context, CancellationToken cancellationToken)
    {
        var stored = await _references.GetAsync(context.User, cancellationToken).ConfigureAwait(false);
        var existing = await _directory.GetAsync(context.User, cancellationToken).ConfigureAwait(false);
        if (!await EnrolAsync(activity, context, existing, cancellationToken).ConfigureAwait(false))
        {
            return Text("I couldn't find your address in Teams, so I can't start. Please try again later.");
        }

        await SaveReferenceAsync(context, stored, force: true, cancellationToken).ConfigureAwait(false);
        return Attach(_cards.Welcome(context.UserMri));
    }

    // ── Invokes ──

    private async Task<BotReply> InvokeAsync(Activity activity, Context context, ConversationReference? stored, CancellationToken cancellationToken)
    {
        if (activity.Name != "adaptiveCard/action")
        {
            return Ok(activity);
        }

        if (activity.Value is not { ValueKind: JsonValueKind.Object } value
            || !value.TryGetProperty("action", out var action) || action.ValueKind != JsonValueKind.Object
            || !action.TryGetProperty("type", out var type) || type.GetString() != "Action.Execute"
            || !action.TryGetProperty("verb", out var verbElement) || verbElement.ValueKind != JsonValueKind.String)
        {
            return new BotReply(400, Error(400, "BadRequest", UnknownAction));
        }

        var enrolment = await _directory.GetAsync(context.User, cancellationToken).ConfigureAwait(false);
        if (enrolment is { Consent: ConsentState.Active } && context.IsTeams)
        {
            // Only Teams' activities name the conversation proactive messages go to; Outlook's would overwrite it.
            await SaveReferenceAsync(context, stored, force: false, cancellationToken).ConfigureAwait(false);
        }

        var data = action.TryGetProperty("data", out var d) ? d : default;
        var card = await ActAsync(verbElement.GetString(), data, context, cancellationToken).ConfigureAwait(false);
        if (card is not null && !context.IsTeams)
        {
            card = BotCards.ForOutlook(card, _originator);
        }

        return card is null
            ? new BotReply(400, Error(400, "BadRequest", UnknownAction))
            : new BotReply(200, new AdaptiveCardInvokeResponse { StatusCode = 200, Type = AdaptiveCardInvokeResponse.CardType, Value = BotCards.ToElement(card) });
    }

    /// <summary>Carries out a card verb; returns the card that replaces the clicked one, or null for an unknown verb.</summary>
    private async Task<JsonObject?> ActAsync(string? verb, JsonElement data, Context context, CancellationToken cancellationToken)
    {
        switch (verb)
        {
            case CardVerbs.Help:
                return _cards.Help(context.UserMri);
            case CardVerbs.ConfirmDelete:
                {
                    await EraseAsync(context, cancellationToken).ConfigureAwait(false);
                    return BotCards.Deleted(context.UserMri);
                }

            case CardVerbs.CancelDelete:
                return BotCards.Kept(context.UserMri);
            case CardVerbs.Done or CardVerbs.Snooze or CardVerbs.NotRelationship or CardVerbs.PositionBased:
                return await ActOnTieAsync(verb, data, context, cancellationToken).ConfigureAwait(false);
            case CardVerbs.Refresh when data.ValueKind == JsonValueKind.Object && data.TryGetProperty("card", out var kind) && kind.ValueKind == JsonValueKind.String:
                return kind.GetString() switch
                {
                    "welcome" => _cards.Welcome(context.UserMri),
                    "digest" => await DigestCardAsync(context, null, cancellationToken).ConfigureAwait(false) ?? _cards.Help(context.UserMri),
                    _ => _cards.Help(context.UserMri),
                };
            case CardVerbs.Refresh:
                return _cards.Help(context.UserMri);
            default:
                return null;
        }
    }

    /// <summary>A verb of a suggestion card, through the tab's overrides use case; the card comes back with the outcome.</summary>
    private async Task<JsonObject?> ActOnTieAsync(string verb, JsonElement data, Context context, CancellationToken cancellationToken)
    {
        var me = await _directory.GetAsync(context.User, cancellationToken).ConfigureAwait(false);
        if (me is not { Consent: ConsentState.Active } || data.ValueKind != JsonValueKind.Object
            || !data.TryGetProperty("tieId", out var idElement) || idElement.GetString() is not { Length: > 0 } tieId)
        {
            return null;
        }

        var now = _time.GetUtcNow();
        var days = data.TryGetProperty("days", out var d) && d.TryGetInt32(out var n) && n is >= 1 and <= 365 ? n : 14;
        var (change, outcome) = verb switch
        {
            CardVerbs.Done => (new OverrideChange(SnoozedUntil: new Patch<DateTimeOffset>(now.AddDays(14), true)), "Noted: you reached out. No nudges about them for two weeks."),
            CardVerbs.Snooze => (new OverrideChange(SnoozedUntil: new Patch<DateTimeOffset>(now.AddDays(days), true)), $"Snoozed for {days} days."),
            CardVerbs.NotRelationship => (new OverrideChange(Tier: new Patch<TieTier>(TieTier.Pseudo, true)), "Marked as not a relationship: no more nudges about it."),
            _ => (new OverrideChange(PositionBased: new Patch<bool>(true, true)), "Marked as coming with your role."),
        };
        try
        {
            var detail = await _network.ChangeOverridesAsync(me, tieId, change, cancellationToken).ConfigureAwait(false);
            if (detail is null)
            {
                return null;
            }

            // A button of the digest answers with the digest, so the other suggestions stay in place.
            var fromDigest = data.TryGetProperty("from", out var from) && from.ValueKind == JsonValueKind.String && from.GetString() == "digest";
            return fromDigest
                ? await DigestCardAsync(context, $"{Name(detail.Summary)}: {outcome}", cancellationToken).ConfigureAwait(false)
                : _cards.Suggestion(context.UserMri, Suggest(detail.Summary), outcome);
        }
        catch (NetworkRequestException ex)
        {
            LogRefused(_logger, ex.Field);
            return null;
        }
    }

    /// <summary>
    /// The digest as of now, for the user of <paramref name="context"/>: the actionable-message card on Outlook (when
    /// the provider is configured), the Teams digest card otherwise; null when the user is not enrolled.
    /// </summary>
    private async Task<JsonObject?> DigestCardAsync(Context context, string? outcome, CancellationToken cancellationToken)
    {
        var me = await _directory.GetAsync(context.User, cancellationToken).ConfigureAwait(false);
        if (me is not { Consent: ConsentState.Active })
        {
            return null;
        }

        var summary = await _network.GetSummaryAsync(me, cancellationToken).ConfigureAwait(false);
        var suggestions = summary.Suggestions.Select(Suggest).ToList();
        var line = DigestContent.SummaryLine(summary.Tiers, suggestions.Count);
        if (!context.IsTeams && _originator is { Length: > 0 } originator)
        {
            return _cards.ActionableDigest(originator, suggestions, line, outcome);
        }

        var card = _cards.Digest(context.UserMri, suggestions, line);
        if (outcome is not null && card["body"] is JsonArray body)
        {
            body.Insert(2, new JsonObject { ["type"] = "TextBlock", ["text"] = outcome, ["wrap"] = true, ["weight"] = "Bolder", ["color"] = "Good" });
        }

        return card;
    }

    private const string UnknownAction = "That button isn't something I recognise any more. Type **help** to see what I can do.";

    private static AdaptiveCardInvokeResponse Error(int status, string code, string message) => new()
    {
        StatusCode = status,
        Type = AdaptiveCardInvokeResponse.ErrorType,
        Value = BotCards.ToElement(new JsonObject { ["code"] = code, ["message"] = message }),
    };

    // ── Sending ──

    private static Activity Text(string text) => new() { Type = ActivityTypes.Message, Text = text, TextFormat = "markdown" };

    private static Activity Attach(params JsonObject[] cards) => new()
    {
        Type = ActivityTypes.Message,
        AttachmentLayout = cards.Length > 1 ? "list" : null,
        Attachments = [.. cards.Select(card => new Attachment { ContentType = BotCards.ContentType, Content = BotCards.ToElement(card) })],
    };

    private async Task ReplyAsync(Activity incoming, Context context, Activity reply, CancellationToken cancellationToken)
    {
        Address(reply, context);
        var result = incoming.Id is { Length: > 0 } id
            ? await _connector.ReplyAsync(context.ServiceUrl, context.ConversationId, context.User.TenantId, id, reply, cancellationToken).ConfigureAwait(false)
            : await _connector.SendAsync(context.ServiceUrl, context.ConversationId, context.User.TenantId, reply, cancellationToken).ConfigureAwait(false);
        await AfterSendAsync(context, result, cancellationToken).ConfigureAwait(false);
    }

    private async Task SendAsync(Context context, Activity message, CancellationToken cancellationToken)
    {
        Address(message, context);
        var result = await _connector.SendAsync(context.ServiceUrl, context.ConversationId, context.User.TenantId, message, cancellationToken).ConfigureAwait(false);
        await AfterSendAsync(context, result, cancellationToken).ConfigureAwait(false);
    }

    private async Task AfterSendAsync(Context context, SendResult result, CancellationToken cancellationToken)
    {
        if (result.Outcome == SendOutcome.Blocked)
        {
            // The user blocked the bot: forget the conversation so no proactive send tries it again.
            await _references.RemoveAsync(context.User, cancellationToken).ConfigureAwait(false);
        }
    }

    private static void Address(Activity message, Context context)
    {
        message.From = new ChannelAccount { Id = context.BotId };
        message.Recipient = new ChannelAccount { Id = context.UserChannelId };
        message.Conversation = new ConversationAccount { Id = context.ConversationId, ConversationType = "personal", TenantId = context.User.TenantId };
        message.ChannelData = new TeamsChannelData { Tenant = new TenantInfo { Id = context.User.TenantId } };
    }

    // ── Logging ──

    [LoggerMessage(EventId = 6201, Level = LogLevel.Debug, Message = "Ignored a {Type} activity: {Reason}")]
    private static partial void LogIgnored(ILogger logger, string type, string reason);

    [LoggerMessage(EventId = 6202, Level = LogLevel.Warning, Message = "Ignored an activity whose tenant does not match: {Reason}")]
    private static partial void LogTenantMismatch(ILogger logger, string reason);

    [LoggerMessage(EventId = 6203, Level = LogLevel.Information, Message = "A user installed the bot and was enrolled")]
    private static partial void LogEnrolled(ILogger logger);

    [LoggerMessage(EventId = 6204, Level = LogLevel.Information, Message = "A user's data was erased by the bot")]
    private static partial void LogErased(ILogger logger);

    [LoggerMessage(EventId = 6205, Level = LogLevel.Warning, Message = "The Connector gave no address for an installing user; not enrolled")]
    private static partial void LogNoAddress(ILogger logger);

    [LoggerMessage(EventId = 6206, Level = LogLevel.Information, Message = "A request from the bot was refused by the use case ({Field})")]
    private static partial void LogRefused(ILogger logger, string field);

    /// <summary>Who and where an activity is about: the user key, the conversation and the bot.</summary>
    private sealed record Context(UserKey User, string ServiceUrl, string ConversationId, string BotId, string UserChannelId, string ChannelId)
    {
        public string UserMri => UserChannelId;

        public bool IsTeams => string.Equals(ChannelId, TeamsChannel, StringComparison.OrdinalIgnoreCase);

        public ConversationReference Reference => new(ServiceUrl, ConversationId, "personal", User.TenantId, BotId, UserChannelId, User.UserId, ChannelId);

        public static Context? From(Activity activity)
        {
            // Teams: personal chats only. Outlook's invokes come from a mail, not a chat, and are not held to it.
            if (string.Equals(activity.ChannelId, TeamsChannel, StringComparison.OrdinalIgnoreCase)
                && activity.Conversation?.ConversationType is { } type && !string.Equals(type, "personal", StringComparison.Ordinal))
            {
                return null;
            }

            if (activity.TenantId is not { Length: > 0 } tenant || activity.From?.AadObjectId is not { Length: > 0 } oid
                || activity.From.Id is not { Length: > 0 } userId || activity.Conversation?.Id is not { Length: > 0 } conversation
                || activity.Recipient?.Id is not { Length: > 0 } botId || activity.ServiceUrl is not { Length: > 0 } serviceUrl
                || activity.ChannelId is not { Length: > 0 } channel)
            {
                return null;
            }

            return new Context(new UserKey(tenant, oid), serviceUrl, conversation, botId, userId, channel);
        }
    }
}

/// <summary>The commands the bot understands.</summary>
internal enum CommandKind
{
    Empty,
    Unknown,
    Help,
    Start,
    Digest,
    Tend,
    HowAmI,
    Snooze,
    Mute,
    Settings,
    Delete,
}

/// <summary>A parsed message: forgiving about case, punctuation, mentions and extra words.</summary>
/// <param name="Kind">The command.</param>
/// <param name="Argument">The name or address after it, if any.</param>
/// <param name="Period">For snooze, the period text.</param>
internal sealed partial record Command(CommandKind Kind, string? Argument = null, string? Period = null)
{
    public static Command Parse(string? text)
    {
        // Commands are short; a long text is not one (and the patterns run in linear time anyway).
        var input = text ?? string.Empty;
        if (input.Length > 500)
        {
            return new Command(CommandKind.Unknown);
        }

        var clean = Mention().Replace(input, " ");
        clean = Spaces().Replace(clean.Trim().TrimEnd('.', '!', '?'), " ").Trim();
        var lower = clean.ToLowerInvariant();
        if (lower.Length == 0)
        {
            return new Command(CommandKind.Empty);
        }

        if (lower is "help" or "?" or "hi" or "hello" or "what can you do")
        {
            return new Command(CommandKind.Help);
        }

        if (lower is "start" or "enrol" or "enroll")
        {
            return new Command(CommandKind.Start);
        }

        if (lower is "digest" or "my digest" or "weekly digest")
        {
            return new Command(CommandKind.Digest);
        }

        if (lower is "tend" or "suggestions" or "who should i contact")
        {
            return new Command(CommandKind.Tend);
        }

        if (lower is "settings" or "my settings")
        {
            return new Command(CommandKind.Settings);
        }

        if (lower is "delete my data" or "delete my data please" or "erase my data" or "forget me")
        {
            return new Command(CommandKind.Delete);
        }

        if (HowAmI().Match(clean) is { Success: true } how)
        {
            return new Command(CommandKind.HowAmI, how.Groups["who"].Value.Trim());
        }

        if (SnoozeCommand().Match(clean) is { Success: true } snooze)
        {
            return new Command(CommandKind.Snooze, snooze.Groups["who"].Value.Trim(), snooze.Groups["period"].Value.Trim());
        }

        if (MuteCommand().Match(clean) is { Success: true } mute)
        {
            return new Command(CommandKind.Mute, mute.Groups["who"].Value.Trim());
        }

        return new Command(CommandKind.Unknown);
    }

    [GeneratedRegex("<at>.*?</at>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex Mention();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex Spaces();

    [GeneratedRegex(@"^how\s+am\s+i\s+(?:doing\s+)?with\s+(?<who>.+)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex HowAmI();

    [GeneratedRegex(@"^snooze\s+(?<who>.+?)\s+(?:for\s+)?(?<period>\d+\s*(?:d|day|days|w|wk|week|weeks|m|month|months))$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex SnoozeCommand();

    [GeneratedRegex(@"^mute\s+(?<who>.+)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex MuteCommand();
}
