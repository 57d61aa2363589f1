using TiesOffice.Application.Network;

namespace TiesOffice.Application.Proactive;

/// <summary>Where a proactive message goes.</summary>
public enum ProactiveChannel
{
    /// <summary>The bot's 1:1 conversation in Teams.</summary>
    Teams = 0,

    /// <summary>An Outlook actionable message (an HTML mail carrying the card), sent through Graph.</summary>
    Outlook = 1,
}

/// <summary>What came of one delivery attempt.</summary>
public enum DeliveryOutcome
{
    /// <summary>The message was delivered.</summary>
    Sent = 0,

    /// <summary>The channel has no way to reach the user (no conversation reference, the channel is off): nothing was sent.</summary>
    NoRoute = 1,

    /// <summary>The channel refused for good (for example Teams' 403 <c>MessageWritesBlocked</c>): nothing was sent.</summary>
    Blocked = 2,

    /// <summary>A transient failure that outlasted the retries: nothing is known to have been sent.</summary>
    Failed = 3,
}

/// <summary>One user's weekly digest, ready for any channel.</summary>
/// <param name="User">Whose digest.</param>
/// <param name="Week">The ISO week it belongs to, for example <c>2026-W49</c>; one digest per user per week, across channels.</param>
/// <param name="Summary">The user's network as of the send.</param>
/// <param name="Suggestions">This week's suggestions (already within the user's budget, muted and snoozed ties left out).</param>
public sealed record DigestMessage(UserKey User, string Week, NetworkSummary Summary, IReadOnlyList<Suggestion> Suggestions);

/// <summary>A channel that can carry the weekly digest. The proactive use case asks each in turn and stops at the first that sends.</summary>
public interface IDigestChannel
{
    /// <summary>Which channel this is.</summary>
    ProactiveChannel Channel { get; }

    /// <summary>Sends the digest, or answers why it did not. Never throws for an unreachable user.</summary>
    Task<DeliveryOutcome> SendDigestAsync(DigestMessage digest, CancellationToken cancellationToken = default);
}
