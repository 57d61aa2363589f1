using System.Collections.Concurrent;

namespace TiesOffice.GraphSimulator.Model;

/// <summary>One mail a client sent through <c>POST /users/{id}/sendMail</c>, as the simulator accepted it.</summary>
/// <param name="Id">The simulator's id for it (its order of arrival).</param>
/// <param name="SenderId">The id of the mailbox it was sent from.</param>
/// <param name="Sender">The address of that mailbox.</param>
/// <param name="To">The <c>toRecipients</c> addresses.</param>
/// <param name="Cc">The <c>ccRecipients</c> addresses.</param>
/// <param name="Bcc">The <c>bccRecipients</c> addresses.</param>
/// <param name="Subject">The subject.</param>
/// <param name="ContentType">The body's <c>contentType</c> (<c>html</c> or <c>text</c>), or <c>mime</c> for a MIME send.</param>
/// <param name="Content">The body's content (the base64 MIME for a MIME send).</param>
/// <param name="SaveToSentItems">The request's <c>saveToSentItems</c> (true when absent, Graph's default).</param>
/// <param name="SentAt">When it arrived, by the simulator's clock.</param>
public sealed record SimSentMail(
    int Id,
    string SenderId,
    string Sender,
    IReadOnlyList<string> To,
    IReadOnlyList<string> Cc,
    IReadOnlyList<string> Bcc,
    string Subject,
    string ContentType,
    string Content,
    bool SaveToSentItems,
    DateTimeOffset SentAt);

/// <summary>The mail sent through the simulator, in arrival order; tests and the demo read it back through <c>/_sim/sent-mail</c>.</summary>
public sealed class SimOutbox
{
    private readonly ConcurrentQueue<SimSentMail> _sent = new();
    private int _next;

    /// <summary>Everything sent, oldest first.</summary>
    public IReadOnlyList<SimSentMail> Sent => [.. _sent];

    /// <summary>Records one mail and gives it the next id.</summary>
    internal SimSentMail Add(Func<int, SimSentMail> create)
    {
        var mail = create(Interlocked.Increment(ref _next));
        _sent.Enqueue(mail);
        return mail;
    }

    /// <summary>Forgets everything sent.</summary>
    public void Clear() => _sent.Clear();
}
