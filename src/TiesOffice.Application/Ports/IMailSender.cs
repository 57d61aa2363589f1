namespace TiesOffice.Application.Ports;

/// <summary>One HTML mail from the app's service mailbox to one person.</summary>
/// <param name="From">The service mailbox it is sent from (an address or user id that the app may send as).</param>
/// <param name="To">The one recipient's address.</param>
/// <param name="Subject">The subject.</param>
/// <param name="HtmlBody">The whole HTML document of the body.</param>
public sealed record OutgoingMail(string From, string To, string Subject, string HtmlBody);

/// <summary>What came of sending one mail.</summary>
public enum MailSendOutcome
{
    /// <summary>The mail service accepted the mail for delivery (Graph's 202).</summary>
    Accepted = 0,

    /// <summary>The mail service refused this mail for good (a bad recipient or body, Graph's 400): nothing was sent.</summary>
    Rejected = 1,

    /// <summary>The app may not send as the service mailbox, or it does not exist (401, 403, 404): a configuration problem, nothing was sent.</summary>
    SenderNotAllowed = 2,

    /// <summary>A transient failure that outlasted the retries: nothing is known to have been sent.</summary>
    Failed = 3,
}

/// <summary>Sends mail from the app's one service mailbox (Outlook actionable messages).</summary>
public interface IMailSender
{
    /// <summary>Sends one mail; never throws for a refusal (see <see cref="MailSendOutcome"/>).</summary>
    Task<MailSendOutcome> SendAsync(OutgoingMail mail, CancellationToken cancellationToken = default);
}
