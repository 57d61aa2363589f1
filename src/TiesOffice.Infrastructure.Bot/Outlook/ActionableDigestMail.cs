using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using TiesOffice.Application.Proactive;
using TiesOffice.Infrastructure.Bot.Cards;

namespace TiesOffice.Infrastructure.Bot.Outlook;

/// <summary>The digest mail: its subject and its HTML document.</summary>
/// <param name="Subject">The subject line.</param>
/// <param name="Html">The whole HTML document, the card in its head.</param>
/// <param name="Card">The Adaptive Card it carries.</param>
public sealed record DigestMail(string Subject, string Html, JsonObject Card);

/// <summary>
/// Composes the weekly digest as an Outlook actionable message (protocols.md §3(b); OfficeDev/outlook-dev-docs
/// "Send an actionable message via email"): an HTML document whose <c>&lt;head&gt;</c> holds the Adaptive Card in
/// <c>&lt;script type="application/adaptivecard+json"&gt;</c> (plain-text mail cannot carry one), and whose body says
/// the same in plain HTML (the suggestions as text, links to chat and to the tab) for clients that do not render the
/// card. Names, tiers and dates only: nothing from any mail's subject or body.
/// </summary>
public sealed class ActionableDigestMail(BotCards cards)
{
    /// <summary>The script type Outlook reads the card from.</summary>
    public const string CardScriptType = "application/adaptivecard+json";

    // Escapes <, >, & and quotes as \uXXXX, so no "</script>" can end the element early.
    private static readonly JsonSerializerOptions s_cardJson = new() { Encoder = JavaScriptEncoder.Default };

    /// <summary>Composes the mail for one digest.</summary>
    /// <param name="digest">The digest.</param>
    /// <param name="originator">The provider id (the card's <c>originator</c>).</param>
    public DigestMail Compose(DigestMessage digest, string originator)
    {
        ArgumentNullException.ThrowIfNull(digest);
        var suggestions = digest.Suggestions.Select(DigestContent.From).ToList();
        var summary = DigestContent.SummaryLine(digest.Summary.Tiers, suggestions.Count);
        return Compose(suggestions, summary, originator);
    }

    /// <summary>Composes the mail from card rows (also the DevHost's sample for the renderer test).</summary>
    public DigestMail Compose(IReadOnlyList<ContactSuggestion> suggestions, string summary, string originator)
    {
        ArgumentNullException.ThrowIfNull(suggestions);
        var card = cards.ActionableDigest(originator, suggestions, summary);
        var subject = suggestions.Count switch
        {
            0 => "Your week in ties: your ties look well tended",
            1 => "Your week in ties: 1 person to reconnect with",
            var n => string.Create(CultureInfo.InvariantCulture, $"Your week in ties: {n} people to reconnect with"),
        };
        return new DigestMail(subject, Html(card, suggestions, summary), card);
    }

    private string Html(JsonObject card, IReadOnlyList<ContactSuggestion> suggestions, string summary)
    {
        var h = HtmlEncoder.Default;
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n");
        html.Append("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">\n");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        html.Append("<title>Your week in ties</title>\n");
        html.Append("<script type=\"").Append(CardScriptType).Append("\">").Append(card.ToJsonString(s_cardJson)).Append("</script>\n");
        html.Append("</head>\n<body style=\"font-family: 'Segoe UI', Helvetica, Arial, sans-serif; font-size: 14px; line-height: 1.45; color: #242424; max-width: 640px; margin: 0 auto; padding: 16px;\">\n");
        html.Append("<h1 style=\"font-size: 20px; margin: 0 0 4px;\">Your week in ties</h1>\n");
        html.Append("<p style=\"color: #616161; margin: 0 0 16px;\">").Append(h.Encode(summary)).Append("</p>\n");
        if (suggestions.Count == 0)
        {
            html.Append("<p>No suggestions this week: your ties look well tended.</p>\n");
        }
        else
        {
            html.Append("<ol style=\"padding-left: 20px; margin: 0 0 16px;\">\n");
            foreach (var s in suggestions)
            {
                html.Append("<li style=\"margin-bottom: 14px;\">");
                html.Append("<strong>").Append(h.Encode(s.Name)).Append("</strong><br>");
                html.Append("<span style=\"color: #616161;\">").Append(h.Encode(s.Detail)).Append("</span><br>");
                html.Append(h.Encode(s.Suggestion)).Append("<br>");
                html.Append("<a href=\"").Append(h.Encode(BotCards.ChatLink(s.Address))).Append("\">Chat with ").Append(h.Encode(s.Name)).Append("</a> · ");
                html.Append("<a href=\"").Append(h.Encode(BotCards.MeetingLink(s.Address))).Append("\">Propose a 1:1</a>");
                html.Append("</li>\n");
            }

            html.Append("</ol>\n");
        }

        html.Append("<p><a href=\"").Append(h.Encode(cards.TabLink)).Append("\">Open TiesOffice</a> to mark a suggestion done, snooze it, or change how often you hear from TiesOffice.</p>\n");
        html.Append("<p style=\"color: #616161; font-size: 12px; margin-top: 24px;\">TiesOffice reads metadata only: who wrote to whom and when, and who met. It never reads the subject or body of your mail or meetings. ");
        html.Append("You get this digest once a week; change the day, the number of suggestions or the channel in the TiesOffice settings, or type <strong>delete my data</strong> to the TiesOffice bot to erase everything.</p>\n");
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }
}
