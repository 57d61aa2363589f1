using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using TiesOffice.Infrastructure.Bot.Auth;
using TiesOffice.Infrastructure.Bot.Protocol;

namespace TiesOffice.Infrastructure.Bot;

/// <summary>
/// <c>POST /api/messages</c>: the Bot Connector's calls into the bot. The order keeps unauthenticated callers from
/// doing anything: no Bearer header is 401 before the body is read; a body that is not JSON, too large or not an
/// activity is 400/413/415; a token that fails any check is 401; only then is the activity handled. Every refusal is a
/// problem+json body with no detail about the token.
/// </summary>
public sealed partial class BotMessagesEndpoint
{
    /// <summary>The largest activity accepted (Teams' own messages are far smaller).</summary>
    public const int MaxBodyBytes = 256 * 1024;

    private readonly BotAuthenticator _authenticator;
    private readonly BotActivityHandler _handler;
    private readonly ILogger<BotMessagesEndpoint> _logger;

    /// <summary>Creates the endpoint.</summary>
    public BotMessagesEndpoint(BotAuthenticator authenticator, BotActivityHandler handler, ILogger<BotMessagesEndpoint> logger)
    {
        _authenticator = authenticator;
        _handler = handler;
        _logger = logger;
    }

    /// <summary>Handles one request.</summary>
    public async Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        string? authorization = request.Headers.Authorization;
        if (string.IsNullOrEmpty(authorization) || !authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Unauthorized();
        }

        if (!request.HasJsonContentType())
        {
            return Results.Problem(title: "The body must be a JSON activity (application/json).", statusCode: StatusCodes.Status415UnsupportedMediaType);
        }

        if (request.ContentLength > MaxBodyBytes)
        {
            return TooLarge();
        }

        using var body = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (body.Length + read > MaxBodyBytes)
            {
                return TooLarge();
            }

            body.Write(buffer, 0, read);
        }

        Activity? activity;
        try
        {
            activity = JsonSerializer.Deserialize(body.GetBuffer().AsSpan(0, (int)body.Length), BotJsonContext.Default.Activity);
        }
        catch (JsonException)
        {
            activity = null;
        }

        if (activity is null || string.IsNullOrEmpty(activity.Type))
        {
            return Results.Problem(title: "The body is not a Bot Framework activity (it needs at least a type).", statusCode: StatusCodes.Status400BadRequest);
        }

        var failure = await _authenticator.AuthenticateAsync(authorization, activity, cancellationToken).ConfigureAwait(false);
        if (failure != BotAuthFailure.None)
        {
            return Unauthorized();
        }

        var reply = await _handler.HandleAsync(activity, cancellationToken).ConfigureAwait(false);
        LogHandled(_logger, activity.Type, reply.Status);
        return reply.Invoke is { } invoke
            ? Results.Json(invoke, BotJsonContext.Default.AdaptiveCardInvokeResponse, statusCode: reply.Status)
            : Results.StatusCode(reply.Status);
    }

    private static IResult Unauthorized() =>
        Results.Problem(title: "The request is not from the Bot Connector.", statusCode: StatusCodes.Status401Unauthorized);

    private static IResult TooLarge() =>
        Results.Problem(title: "The activity is larger than the bot accepts.", statusCode: StatusCodes.Status413PayloadTooLarge);

    [LoggerMessage(EventId = 6301, Level = LogLevel.Debug, Message = "Handled a {Type} activity with {Status}")]
    private static partial void LogHandled(ILogger logger, string type, int status);
}
