using System.Globalization;
using TiesOffice.Application.Network;

namespace TiesOffice.Infrastructure.Bot.Cards;

/// <summary>What the digest says, the same in Teams and in the Outlook mail.</summary>
public static class DigestContent
{
    /// <summary>The one line about the network under the digest's title.</summary>
    public static string SummaryLine(TierCounts tiers, int suggestions)
    {
        ArgumentNullException.ThrowIfNull(tiers);
        return string.Create(CultureInfo.InvariantCulture, $"{tiers.Strong} strong, {tiers.Weak} weak and {tiers.Dormant} dormant ties. {suggestions} suggestion(s) this week.");
    }

    /// <summary>A suggestion of the tab's use cases as a card row.</summary>
    public static ContactSuggestion From(Suggestion suggestion)
    {
        ArgumentNullException.ThrowIfNull(suggestion);
        return new(suggestion.TieId, suggestion.DisplayName ?? suggestion.Contact, suggestion.Contact, suggestion.Why, suggestion.RouteText);
    }
}
