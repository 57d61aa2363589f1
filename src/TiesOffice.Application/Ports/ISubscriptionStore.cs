namespace TiesOffice.Application.Ports;

/// <summary>A Graph change-notification subscription made for one user.</summary>
/// <param name="Id">Graph's subscription id.</param>
/// <param name="Resource">The subscribed resource (for example <c>users/{id}/messages</c>).</param>
/// <param name="ExpiresAt">When Graph drops it unless renewed.</param>
/// <param name="ClientState">The secret Graph echoes in every notification, compared to authenticate it.</param>
public sealed record GraphSubscription(string Id, string Resource, DateTimeOffset ExpiresAt, string ClientState);

/// <summary>
/// A user's Graph subscriptions. A notification carries the tenant id and the user in its resource, so the
/// receiver finds the user's partition without a global index, then checks <see cref="GraphSubscription.ClientState"/>.
/// </summary>
public interface ISubscriptionStore
{
    /// <summary>Saves (inserts or replaces) a subscription, keyed by its id.</summary>
    Task SaveAsync(UserKey user, GraphSubscription subscription, CancellationToken cancellationToken = default);

    /// <summary>Reads one subscription, or null.</summary>
    Task<GraphSubscription?> GetAsync(UserKey user, string subscriptionId, CancellationToken cancellationToken = default);

    /// <summary>Reads every subscription of the user.</summary>
    IAsyncEnumerable<GraphSubscription> ReadAsync(UserKey user, CancellationToken cancellationToken = default);

    /// <summary>Removes one subscription; an unknown id is ignored.</summary>
    Task RemoveAsync(UserKey user, string subscriptionId, CancellationToken cancellationToken = default);
}
