using System.Text.Json;
using System.Text.Json.Nodes;

namespace TiesOffice.Infrastructure.Bot.Cards;

/// <summary>The verbs of the bot's <c>Action.Execute</c> buttons.</summary>
public static class CardVerbs
{
    /// <summary>"I reached out": the user contacted the person.</summary>
    public const string Done = "done";

    /// <summary>No nudges about the person for a while.</summary>
    public const string Snooze = "snooze";

    /// <summary>Not a relationship (a list, a system, a shared mailbox): mark the tie pseudo.</summary>
    public const string NotRelationship = "notRelationship";

    /// <summary>The tie comes with the user's position, not the person.</summary>
    public const string PositionBased = "positionBased";

    /// <summary>Erase everything, after the confirmation card.</summary>
    public const string ConfirmDelete = "confirmDelete";

    /// <summary>Keep the data.</summary>
    public const string CancelDelete = "cancelDelete";

    /// <summary>The card's refresh (Universal Actions' automatic or manual refresh).</summary>
    public const string Refresh = "refresh";

    /// <summary>Show the help card.</summary>
    public const string Help = "help";
}

/// <summary>A suggestion about one contact, as a card shows it.</summary>
/// <param name="TieId">The tie's id (the tab's).</param>
/// <param name="Name">The contact's display name.</param>
/// <param name="Address">The contact's address (for chat and meeting links).</param>
/// <param name="Detail">One line about the tie (its tier, the last contact, why it is suggested).</param>
/// <param name="Suggestion">What to do, in words that give before they ask.</param>
public sealed record ContactSuggestion(string TieId, string Name, string Address, string Detail, string Suggestion);

/// <summary>
/// Builds every Adaptive Card the bot sends (version 1.5, <c>Action.Execute</c> with an <c>Action.Submit</c>
/// fallback for old clients, a <c>refresh</c> section naming the user). Cards carry no mail content: names,
/// tiers and dates only.
/// </summary>
public sealed class BotCards
{
    /// <summary>
    /// The version of the cards Outlook gets: 1.4, the version of Outlook's Universal Actions documentation and samples
    /// (and the least that has <c>Action.Execute</c>); no Outlook documentation says it renders 1.5, and the mail's
    /// cards use nothing newer than 1.4.
    /// </summary>
    public const string OutlookVersion = "1.4";

    /// <summary>The Adaptive Card content type.</summary>
    public const string ContentType = "application/vnd.microsoft.card.adaptive";

    private readonly string _tabLink;

    /// <summary>Cards whose "open in the tab" links go to <paramref name="tabLink"/>.</summary>
    public BotCards(string tabLink) => _tabLink = tabLink;

    /// <summary>The tab's deep link.</summary>
    public string TabLink => _tabLink;

    /// <summary>The one welcome card sent on install.</summary>
    public JsonObject Welcome(string? userMri) => Card(
        userMri,
        "welcome",
        [
            Text("Welcome to TiesOffice", size: "Large", weight: "Bolder"),
            Text("TiesOffice helps you keep in touch with the people who matter at work. It notices which ties are fading and suggests a moment to reconnect, in a short weekly digest."),
            Text("It reads metadata only: who wrote to whom and when, and who met. It never reads the subject or body of your mail or meetings.", isSubtle: true),
            Facts(
                ("Change settings", "Type **settings**, or open the TiesOffice tab."),
                ("Delete your data", "Type **delete my data** at any time, or uninstall the app: everything about you is erased."),
                ("Help", "Type **help** for what I can do.")),
        ],
        [OpenUrl("Open TiesOffice", _tabLink), Execute("What can you do?", CardVerbs.Help, [])]);

    /// <summary>The help card: every command, with an example.</summary>
    public JsonObject Help(string? userMri) => Card(
        userMri,
        "help",
        [
            Text("What I can do", size: "Medium", weight: "Bolder"),
            Facts(
                ("digest", "This week's digest."),
                ("tend", "This week's suggestions: who to reconnect with."),
                ("how am I with Kim", "Your tie with someone (a name or an address)."),
                ("snooze Kim 2 weeks", "No nudges about someone for a while."),
                ("mute Kim", "Never nudge about someone."),
                ("settings", "Your settings."),
                ("delete my data", "Erase everything TiesOffice holds about you.")),
        ],
        [OpenUrl("Open TiesOffice", _tabLink)]);

    /// <summary>Asks the user to confirm erasing everything.</summary>
    public static JsonObject ConfirmDelete(string? userMri) => Card(
        userMri,
        "confirmDelete",
        [
            Text("Delete everything TiesOffice holds about you?", size: "Medium", weight: "Bolder"),
            Text("Your ties, settings, reminders and the mail and meeting metadata are erased, and syncing stops. This cannot be undone. You can start again later by typing **start**."),
        ],
        [Execute("Delete my data", CardVerbs.ConfirmDelete, [], style: "destructive"), Execute("Keep my data", CardVerbs.CancelDelete, [])]);

    /// <summary>The card shown once the data is erased.</summary>
    public static JsonObject Deleted(string? userMri) => Card(
        userMri,
        "deleted",
        [
            Text("Your data is deleted", size: "Medium", weight: "Bolder"),
            Text("Everything TiesOffice stored about you was erased and syncing has stopped. Type **start** if you want TiesOffice back."),
        ],
        []);

    /// <summary>The card shown when the user keeps the data.</summary>
    public static JsonObject Kept(string? userMri) => Card(userMri, "kept", [Text("Nothing was deleted.", weight: "Bolder"), Text("Type **delete my data** whenever you want.")], []);

    /// <summary>A suggestion about one contact (a reminder, or a row of the digest), with the verbs to act on it.</summary>
    public JsonObject Suggestion(string? userMri, ContactSuggestion suggestion, string? outcome = null)
    {
        ArgumentNullException.ThrowIfNull(suggestion);
        var data = new JsonObject { ["tieId"] = suggestion.TieId };
        var body = new List<JsonObject>
        {
            Text(suggestion.Name, size: "Medium", weight: "Bolder"),
            Text(Describe(suggestion), isSubtle: true),
            Text(suggestion.Suggestion),
        };
        if (outcome is not null)
        {
            body.Add(Text(outcome, weight: "Bolder", color: "Good"));
        }

        return Card(
            userMri,
            "suggestion",
            body,
            [
                Execute("I reached out", CardVerbs.Done, data),
                Execute("Snooze 2 weeks", CardVerbs.Snooze, new JsonObject { ["tieId"] = suggestion.TieId, ["days"] = 14 }),
                ShowMore(
                    Execute("Not a relationship", CardVerbs.NotRelationship, data),
                    Execute("Comes with my role", CardVerbs.PositionBased, data),
                    OpenUrl("Chat", ChatLink(suggestion.Address)),
                    OpenUrl("Propose a 1:1", MeetingLink(suggestion.Address)),
                    OpenUrl("Open in TiesOffice", _tabLink)),
            ],
            refreshData: data);
    }

    /// <summary>The weekly digest: a few suggestions, each with its own actions.</summary>
    public JsonObject Digest(string? userMri, IReadOnlyList<ContactSuggestion> suggestions, string summary)
    {
        ArgumentNullException.ThrowIfNull(suggestions);
        var body = new List<JsonObject>
        {
            Text("Your week in ties", size: "Large", weight: "Bolder"),
            Text(summary, isSubtle: true),
        };
        foreach (var s in suggestions)
        {
            body.Add(new JsonObject
            {
                ["type"] = "Container",
                ["separator"] = true,
                ["items"] = new JsonArray(Text(s.Name, weight: "Bolder"), Text(Describe(s), isSubtle: true), Text(s.Suggestion)),
                ["selectAction"] = OpenUrl("Chat with " + s.Name, ChatLink(s.Address)),
            });
        }

        if (suggestions.Count == 0)
        {
            body.Add(Text("No suggestions this week: your ties look well tended."));
        }

        return Card(userMri, "digest", body, [OpenUrl("Open TiesOffice", _tabLink)]);
    }

    /// <summary>
    /// The weekly digest as an Outlook actionable message (the card inside the email, protocols.md §3(b)):
    /// <c>originator</c> is the provider id from the Actionable Email Developer Dashboard, without which Outlook drops
    /// the card for any recipient but the sender; <c>hideOriginalBody</c> hides the HTML body where the card renders
    /// (the body is the fallback for clients that do not). Each suggestion has its own <c>Action.Execute</c> buttons,
    /// which reach the bot over Azure Bot Service's Outlook channel as <c>adaptiveCard/action</c> invokes; their data
    /// says they come from the digest (<c>"from": "digest"</c>), so the answer is the digest again with the outcome.
    /// There is no <c>refresh</c>: Outlook runs it on every opening of the mail (protocols.md §3(b)), and the digest is
    /// the week's, so the mail's card changes only when the user acts on it.
    /// </summary>
    /// <param name="originator">The actionable-message provider id.</param>
    /// <param name="suggestions">This week's suggestions.</param>
    /// <param name="summary">One line about the network.</param>
    /// <param name="outcome">What the last action did, shown at the top; null for the mail as sent.</param>
    public JsonObject ActionableDigest(string originator, IReadOnlyList<ContactSuggestion> suggestions, string summary, string? outcome = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(originator);
        ArgumentNullException.ThrowIfNull(suggestions);
        var body = new List<JsonObject>
        {
            Text("Your week in ties", size: "Large", weight: "Bolder"),
            Text(summary, isSubtle: true),
        };
        if (outcome is not null)
        {
            body.Add(Text(outcome, weight: "Bolder", color: "Good"));
        }

        foreach (var s in suggestions)
        {
            var data = new JsonObject { ["tieId"] = s.TieId, ["from"] = "digest" };
            body.Add(new JsonObject
            {
                ["type"] = "Container",
                ["separator"] = true,
                ["items"] = new JsonArray(
                    Text(s.Name, weight: "Bolder"),
                    Text(Describe(s), isSubtle: true),
                    Text(s.Suggestion),
                    new JsonObject
                    {
                        ["type"] = "ActionSet",
                        ["actions"] = new JsonArray(
                            MailExecute("I reached out", CardVerbs.Done, data),
                            MailExecute("Snooze 2 weeks", CardVerbs.Snooze, new JsonObject { ["tieId"] = s.TieId, ["days"] = 14, ["from"] = "digest" }),
                            OpenUrl("Chat", ChatLink(s.Address))),
                    }),
            });
        }

        if (suggestions.Count == 0)
        {
            body.Add(Text("No suggestions this week: your ties look well tended."));
        }

        return new JsonObject
        {
            ["type"] = "AdaptiveCard",
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["version"] = OutlookVersion,
            ["originator"] = originator,
            ["hideOriginalBody"] = true,
            ["body"] = new JsonArray([.. body]),
            ["actions"] = new JsonArray(OpenUrl("Open TiesOffice", _tabLink)),
        };
    }

    /// <summary>
    /// A card the bot answers with on the Outlook channel: the same card with the provider's <c>originator</c>,
    /// version <see cref="OutlookVersion"/>, and without <c>refresh</c>, which Outlook would run on every opening of
    /// the mail (it ignores <c>userIds</c>).
    /// </summary>
    public static JsonObject ForOutlook(JsonObject card, string? originator)
    {
        ArgumentNullException.ThrowIfNull(card);
        var copy = (JsonObject)card.DeepClone();
        copy.Remove("refresh");
        copy["version"] = OutlookVersion;
        if (originator is { Length: > 0 })
        {
            copy["originator"] = originator;
        }

        return copy;
    }

    /// <summary>The Teams deep link that opens a chat with <paramref name="address"/>.</summary>
    public static string ChatLink(string address) => "https://teams.microsoft.com/l/chat/0/0?users=" + Uri.EscapeDataString(address);

    /// <summary>The Teams deep link that opens a new meeting with <paramref name="address"/>.</summary>
    public static string MeetingLink(string address) =>
        "https://teams.microsoft.com/l/meeting/new?attendees=" + Uri.EscapeDataString(address) + "&subject=" + Uri.EscapeDataString("Catch-up");

    /// <summary>Wraps a card as an attachment value (<see cref="JsonElement"/>).</summary>
    public static JsonElement ToElement(JsonObject card)
    {
        ArgumentNullException.ThrowIfNull(card);
        using var document = JsonDocument.Parse(card.ToJsonString());
        return document.RootElement.Clone();
    }

    private static string Describe(ContactSuggestion s) => s.Detail;

    private static JsonObject Card(string? userMri, string kind, IEnumerable<JsonObject> body, IEnumerable<JsonObject> actions, JsonObject? refreshData = null)
    {
        var refreshAction = new JsonObject
        {
            ["type"] = "Action.Execute",
            ["verb"] = CardVerbs.Refresh,
            ["data"] = new JsonObject { ["card"] = kind, ["args"] = refreshData?.DeepClone() ?? new JsonObject() },
        };
        var card = new JsonObject
        {
            ["type"] = "AdaptiveCard",
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["version"] = "1.5",
            ["body"] = new JsonArray([.. body]),
            ["refresh"] = new JsonObject
            {
                ["action"] = refreshAction,
                ["userIds"] = userMri is null ? new JsonArray() : new JsonArray(userMri),
            },
        };
        var actionArray = new JsonArray([.. actions]);
        if (actionArray.Count > 0)
        {
            card["actions"] = actionArray;
        }

        return card;
    }

    private static JsonObject Text(string text, string? size = null, string? weight = null, bool isSubtle = false, string? color = null)
    {
        var block = new JsonObject { ["type"] = "TextBlock", ["text"] = text, ["wrap"] = true };
        if (size is not null)
        {
            block["size"] = size;
        }

        if (weight is not null)
        {
            block["weight"] = weight;
        }

        if (isSubtle)
        {
            block["isSubtle"] = true;
        }

        if (color is not null)
        {
            block["color"] = color;
        }

        return block;
    }

    private static JsonObject Facts(params (string Title, string Value)[] facts) => new()
    {
        ["type"] = "FactSet",
        ["facts"] = new JsonArray([.. facts.Select(f => (JsonNode)new JsonObject { ["title"] = f.Title, ["value"] = f.Value })]),
    };

    private static JsonObject Execute(string title, string verb, JsonObject data, string? style = null)
    {
        var action = new JsonObject
        {
            ["type"] = "Action.Execute",
            ["title"] = title,
            ["verb"] = verb,
            ["data"] = data.DeepClone(),
            ["fallback"] = new JsonObject
            {
                ["type"] = "Action.Submit",
                ["title"] = title,
                ["data"] = new JsonObject { ["verb"] = verb, ["args"] = data.DeepClone() },
            },
        };
        if (style is not null)
        {
            action["style"] = style;
        }

        return action;
    }

    /// <summary>An <c>Action.Execute</c> for Outlook: no <c>Action.Submit</c> fallback, which actionable messages do not support.</summary>
    private static JsonObject MailExecute(string title, string verb, JsonObject data) => new()
    {
        ["type"] = "Action.Execute",
        ["title"] = title,
        ["verb"] = verb,
        ["data"] = data.DeepClone(),
    };

    private static JsonObject OpenUrl(string title, string url) => new() { ["type"] = "Action.OpenUrl", ["title"] = title, ["url"] = url };

    private static JsonObject ShowMore(params JsonObject[] actions) => new()
    {
        ["type"] = "Action.ShowCard",
        ["title"] = "More",
        ["card"] = new JsonObject
        {
            ["type"] = "AdaptiveCard",
            ["version"] = "1.5",
            ["body"] = new JsonArray(),
            ["actions"] = new JsonArray([.. actions]),
        },
    };
}
