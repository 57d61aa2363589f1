using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Graph.Users.Item.SendMail;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;
using TiesOffice.Application.Ports;

namespace TiesOffice.Infrastructure.Graph;

/// <summary>
/// Sends mail through Graph's <c>POST /users/{id}/sendMail</c> (the SDK's <c>Users[from].SendMail.PostAsync</c>):
/// an HTML body, one recipient, and <c>saveToSentItems: false</c>, so the service mailbox does not keep a copy of every
/// user's digest. Graph answers 202 with no body on success (api-reference/v1.0/api/user-sendmail.md). Retries only
/// 429 (throttled, not served; protocols.md §1.5) and 503 (service unavailable); after a 504 the mail may have gone,
/// so it is not retried: a duplicate digest is worse than a failed send.
/// The call goes through the per-mailbox gate, keyed by the service mailbox, which Outlook's limits apply to.
/// </summary>
public sealed partial class GraphMailSender(GraphServiceClient client, GraphOptions options, ILogger<GraphMailSender> logger) : IMailSender
{
    /// <inheritdoc />
    public async Task<MailSendOutcome> SendAsync(OutgoingMail mail, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mail);
        var body = new SendMailPostRequestBody
        {
            Message = new Message
            {
                Subject = mail.Subject,
                Body = new ItemBody { ContentType = BodyType.Html, Content = mail.HtmlBody },
                ToRecipients = [new Recipient { EmailAddress = new EmailAddress { Address = mail.To } }],
            },
            SaveToSentItems = false,
        };
        try
        {
            await client.Users[mail.From].SendMail.PostAsync(body, rc =>
            {
                rc.Options.Add(new MailboxGateOption(mail.From));
                rc.Options.Add(new RetryHandlerOption
                {
                    MaxRetry = options.MaxRetries,
                    Delay = options.RetryDelaySeconds,
                    ShouldRetry = (_, _, response) => response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable,
                });
            }, cancellationToken).ConfigureAwait(false);
            return MailSendOutcome.Accepted;
        }
        catch (ODataError e)
        {
            return Refused(e.ResponseStatusCode, e.Error?.Code);
        }
        catch (ApiException e)
        {
            return Refused(e.ResponseStatusCode, null);
        }
        catch (Exception e) when (e is HttpRequestException or AggregateException or IOException
            || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // AggregateException: Kiota's "Too many retries performed" (protocols.md §1.8).
            Log.Failed(logger, e.GetType().Name);
            return MailSendOutcome.Failed;
        }
    }

    private MailSendOutcome Refused(int status, string? code)
    {
        var outcome = status switch
        {
            400 => MailSendOutcome.Rejected,
            401 or 403 or 404 => MailSendOutcome.SenderNotAllowed,
            _ => MailSendOutcome.Failed,
        };
        Log.Refused(logger, status, code ?? "(none)", outcome);
        return outcome;
    }

    private static partial class Log
    {
        [LoggerMessage(2101, LogLevel.Warning, "Graph refused a sendMail with {Status} ({Code}): {Outcome}.")]
        public static partial void Refused(ILogger logger, int status, string code, MailSendOutcome outcome);

        [LoggerMessage(2102, LogLevel.Warning, "A sendMail failed in transit ({Reason}).")]
        public static partial void Failed(ILogger logger, string reason);
    }
}
