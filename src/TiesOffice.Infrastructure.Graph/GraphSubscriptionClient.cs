using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using TiesOffice.Application.Ports;
using TiesOffice.Application.Sync;

namespace TiesOffice.Infrastructure.Graph;

/// <summary>Graph's subscription API through the SDK.</summary>
public sealed class GraphSubscriptionClient(GraphServiceClient client) : IGraphSubscriptions
{
    /// <inheritdoc />
    public async Task<(string Id, DateTimeOffset ExpiresAt)> CreateAsync(SubscriptionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            var created = await client.Subscriptions.PostAsync(
                new Subscription
                {
                    Resource = request.Resource,
                    ChangeType = request.ChangeType,
                    NotificationUrl = request.NotificationUrl.ToString(),
                    LifecycleNotificationUrl = request.LifecycleNotificationUrl.ToString(),
                    ClientState = request.ClientState,
                    ExpirationDateTime = request.ExpiresAt,
                },
                cancellationToken: cancellationToken).ConfigureAwait(false);
            return (created?.Id ?? throw new GraphUnavailableException("Graph returned no subscription.") { Reason = "malformed" },
                created.ExpirationDateTime ?? request.ExpiresAt);
        }
        catch (ODataError e)
        {
            throw Translate(e);
        }
    }

    /// <inheritdoc />
    public async Task<DateTimeOffset?> RenewAsync(string subscriptionId, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        try
        {
            var renewed = await client.Subscriptions[subscriptionId].PatchAsync(new Subscription { ExpirationDateTime = expiresAt }, cancellationToken: cancellationToken).ConfigureAwait(false);
            return renewed?.ExpirationDateTime ?? expiresAt;
        }
        catch (ODataError e) when (e.ResponseStatusCode == 404)
        {
            return null;
        }
        catch (ODataError e)
        {
            throw Translate(e);
        }
    }

    /// <inheritdoc />
    public async Task DeleteAsync(string subscriptionId, CancellationToken cancellationToken = default)
    {
        try
        {
            await client.Subscriptions[subscriptionId].DeleteAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (ODataError e) when (e.ResponseStatusCode == 404)
        {
            // Already gone.
        }
        catch (ODataError e)
        {
            throw Translate(e);
        }
    }

    private static Exception Translate(ODataError e) => e.ResponseStatusCode is 401 or 403
        ? new MailboxAccessDeniedException("Graph denied the subscription.", e) { StatusCode = e.ResponseStatusCode }
        : new GraphUnavailableException("Graph refused the subscription request.", e) { Reason = "subscription-" + e.Error?.Code };
}
