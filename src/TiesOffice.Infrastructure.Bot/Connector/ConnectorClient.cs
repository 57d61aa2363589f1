using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using TiesOffice.Infrastructure.Bot.Protocol;

namespace TiesOffice.Infrastructure.Bot.Connector;

/// <summary>What happened to one outbound call.</summary>
public enum SendOutcome
{
    /// <summary>The Connector accepted it.</summary>
    Sent = 0,

    /// <summary>The <c>serviceUrl</c> is not an allowed Connector host: no request and no token.</summary>
    ServiceUrlRefused,

    /// <summary>The user blocked or uninstalled the bot (403 MessageWritesBlocked); the conversation is now inactive.</summary>
    Blocked,

    /// <summary>The conversation was marked inactive earlier; nothing was sent.</summary>
    Inactive,

    /// <summary>The Connector refused it or kept failing after the retries.</summary>
    Failed,
}

/// <summary>The result of an outbound call.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="Id">The new activity's or conversation's id, when sent.</param>
/// <param name="Status">The last HTTP status, if a request was made.</param>
public sealed record SendResult(SendOutcome Outcome, string? Id = null, int? Status = null);

/// <summary>
/// The Bot Connector REST client (protocols.md §2.3): reply, send, update and create a 1:1 conversation. Every call
/// checks the <c>serviceUrl</c> against <see cref="ServiceUrlPolicy"/> before it gets a token, paces to Teams'
/// limits, and retries 429, 412, 502 and 504 with exponential backoff and jitter, honouring <c>Retry-After</c>.
/// Conversation ids are percent-encoded in the path.
/// </summary>
public sealed partial class ConnectorClient
{
    private static readonly HttpStatusCode[] s_transient = [HttpStatusCode.TooManyRequests, HttpStatusCode.PreconditionFailed, HttpStatusCode.BadGateway, HttpStatusCode.GatewayTimeout];
    private readonly HttpClient _http;
    private readonly BotTokenSource _tokens;
    private readonly ServiceUrlPolicy _policy;
    private readonly TeamsRatePacer? _pacer;
    private readonly ResiliencePipeline<HttpResponseMessage> _retry;
    private readonly ILogger<ConnectorClient> _logger;
    private readonly ConcurrentDictionary<string, bool> _inactive = new(StringComparer.Ordinal);

    /// <summary>Creates the client.</summary>
    public ConnectorClient(HttpClient http, BotTokenSource tokens, BotOptions options, TimeProvider time, ILogger<ConnectorClient> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _http = http;
        _tokens = tokens;
        _policy = new ServiceUrlPolicy(options.AllowedServiceUrls);
        _pacer = options.PaceToTeamsLimits ? new TeamsRatePacer(time) : null;
        _logger = logger;
        _retry = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = Math.Max(1, options.MaxRetries),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = TimeSpan.FromMinutes(1),
                ShouldHandle = args => ValueTask.FromResult(
                    options.MaxRetries > 0 && (args.Outcome.Exception is HttpRequestException || (args.Outcome.Result is { } r && s_transient.Contains(r.StatusCode)))),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result)),
                OnRetry = args =>
                {
                    LogRetry(_logger, (int?)args.Outcome.Result?.StatusCode ?? 0, args.RetryDelay.TotalMilliseconds, args.AttemptNumber + 1);
                    args.Outcome.Result?.Dispose();
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    /// <summary>How many requests the client has made (attempts included).</summary>
    public int Requests => _requests;

    private int _requests;

    /// <summary>Whether a conversation was marked inactive by a 403 MessageWritesBlocked.</summary>
    public bool IsInactive(string conversationId) => _inactive.ContainsKey(conversationId);

    /// <summary>Lets a conversation receive again (the user reinstalled or wrote to the bot).</summary>
    public void MarkActive(string conversationId) => _inactive.TryRemove(conversationId, out _);

    /// <summary>Sends an activity to a conversation (<c>POST /v3/conversations/{id}/activities</c>).</summary>
    public Task<SendResult> SendAsync(string serviceUrl, string conversationId, string? tenantId, Activity activity, CancellationToken cancellationToken) =>
        CallAsync(HttpMethod.Post, serviceUrl, conversationId, tenantId, $"v3/conversations/{Escape(conversationId)}/activities", activity, BotJsonContext.Default.Activity, cancellationToken);

    /// <summary>Replies to an activity (<c>POST /v3/conversations/{id}/activities/{activityId}</c>).</summary>
    public Task<SendResult> ReplyAsync(string serviceUrl, string conversationId, string? tenantId, string replyToId, Activity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        activity.ReplyToId = replyToId;
        return CallAsync(HttpMethod.Post, serviceUrl, conversationId, tenantId, $"v3/conversations/{Escape(conversationId)}/activities/{Escape(replyToId)}", activity, BotJsonContext.Default.Activity, cancellationToken);
    }

    /// <summary>Replaces an activity (<c>PUT /v3/conversations/{id}/activities/{activityId}</c>), for example a card for everyone.</summary>
    public Task<SendResult> UpdateAsync(string serviceUrl, string conversationId, string? tenantId, string activityId, Activity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        activity.Id = activityId;
        return CallAsync(HttpMethod.Put, serviceUrl, conversationId, tenantId, $"v3/conversations/{Escape(conversationId)}/activities/{Escape(activityId)}", activity, BotJsonContext.Default.Activity, cancellationToken);
    }

    /// <summary>Creates (or finds) the 1:1 conversation with a user (<c>POST /v3/conversations</c>).</summary>
    public Task<SendResult> CreateConversationAsync(string serviceUrl, ConversationParameters parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var pacingKey = "create:" + (parameters.Members?.FirstOrDefault()?.Id ?? string.Empty);
        return CallAsync(HttpMethod.Post, serviceUrl, pacingKey, parameters.TenantId, "v3/conversations", parameters, BotJsonContext.Default.ConversationParameters, cancellationToken);
    }

    /// <summary>Reads one member of a conversation (<c>GET /v3/conversations/{id}/members/{memberId}</c>): Teams adds email and UPN.</summary>
    public async Task<TeamsMember?> GetMemberAsync(string serviceUrl, string conversationId, string? tenantId, string memberId, CancellationToken cancellationToken)
    {
        TeamsMember? member = null;
        var result = await CallAsync(HttpMethod.Get, serviceUrl, conversationId, tenantId, $"v3/conversations/{Escape(conversationId)}/members/{Escape(memberId)}", null, async response =>
        {
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                member = JsonSerializer.Deserialize(bytes, BotJsonContext.Default.TeamsMember);
            }
            catch (JsonException)
            {
                member = null;
            }

            return member?.Id;
        }, cancellationToken).ConfigureAwait(false);
        return result.Outcome == SendOutcome.Sent ? member : null;
    }

    private Task<SendResult> CallAsync<T>(HttpMethod method, string serviceUrl, string conversationId, string? tenantId, string path, T body, JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        CallAsync(method, serviceUrl, conversationId, tenantId, path, JsonSerializer.SerializeToUtf8Bytes(body, type), response => ReadIdAsync(response, cancellationToken), cancellationToken);

    private async Task<SendResult> CallAsync(HttpMethod method, string serviceUrl, string conversationId, string? tenantId, string path, byte[]? payload, Func<HttpResponseMessage, Task<string?>> read, CancellationToken cancellationToken)
    {
        if (!_policy.IsAllowed(serviceUrl, out var baseUri))
        {
            LogServiceUrlRefused(_logger);
            return new SendResult(SendOutcome.ServiceUrlRefused);
        }

        if (_inactive.ContainsKey(conversationId))
        {
            return new SendResult(SendOutcome.Inactive);
        }

        var target = new Uri(new Uri(baseUri!.ToString().TrimEnd('/') + "/"), path);
        var refreshedToken = false;
        while (true)
        {
            using var response = await _retry.ExecuteAsync(
                async ct =>
                {
                    if (_pacer is not null)
                    {
                        await _pacer.WaitAsync(conversationId, tenantId, ct).ConfigureAwait(false);
                    }

                    var token = await _tokens.GetTokenAsync(ct).ConfigureAwait(false);
                    using var request = new HttpRequestMessage(method, target);
                    if (payload is not null)
                    {
                        request.Content = new ByteArrayContent(payload) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" } } };
                    }

                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                    Interlocked.Increment(ref _requests);
                    return await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);

            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                var id = await read(response).ConfigureAwait(false);
                return new SendResult(SendOutcome.Sent, id, status);
            }

            if (response.StatusCode == HttpStatusCode.Unauthorized && !refreshedToken)
            {
                // The cached token may have been revoked or rotated: get a new one once.
                _tokens.Invalidate();
                refreshedToken = true;
                continue;
            }

            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.Forbidden && text.Contains("MessageWritesBlocked", StringComparison.Ordinal))
            {
                _inactive[conversationId] = true;
                LogBlocked(_logger);
                return new SendResult(SendOutcome.Blocked, Status: status);
            }

            LogFailed(_logger, status);
            return new SendResult(SendOutcome.Failed, Status: status);
        }
    }

    private static async Task<string?> ReadIdAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (bytes.Length == 0)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(bytes, BotJsonContext.Default.ResourceResponse)?.Id;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The delay a response asks for (<c>Retry-After</c> in seconds or as a date); null lets the backoff decide.</summary>
    internal static TimeSpan? RetryAfter(HttpResponseMessage? response)
    {
        var header = response?.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    /// <summary>Percent-encodes a path segment (conversation ids contain <c>:</c>, <c>@</c> and <c>;</c>).</summary>
    internal static string Escape(string segment) => Uri.EscapeDataString(segment);

    [LoggerMessage(EventId = 6101, Level = LogLevel.Warning, Message = "Connector answered {Status}; retrying in {DelayMs} ms (attempt {Attempt})")]
    private static partial void LogRetry(ILogger logger, int status, double delayMs, int attempt);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Warning, Message = "A serviceUrl outside the allowed Connector hosts was refused; nothing sent")]
    private static partial void LogServiceUrlRefused(ILogger logger);

    [LoggerMessage(EventId = 6103, Level = LogLevel.Information, Message = "The user blocked or removed the bot (403 MessageWritesBlocked); the conversation is inactive")]
    private static partial void LogBlocked(ILogger logger);

    [LoggerMessage(EventId = 6104, Level = LogLevel.Warning, Message = "Connector refused a call with {Status}")]
    private static partial void LogFailed(ILogger logger, int status);
}
