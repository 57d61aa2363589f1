using TiesOffice.Application.Sync;

namespace TiesOffice.Application.Ports;

/// <summary>The change-notification subscriptions the app holds, with the secret clientState of each.</summary>
public interface ISubscriptionStore
{
    /// <summary>Finds a subscription by its Graph id; null when unknown.</summary>
    Task<SubscriptionRecord?> FindAsync(string subscriptionId, CancellationToken cancellationToken = default);

    /// <summary>Lists one user's subscriptions.</summary>
    Task<IReadOnlyList<SubscriptionRecord>> ListAsync(UserKey user, CancellationToken cancellationToken = default);

    /// <summary>Saves (inserts or replaces) a subscription, keyed by its id.</summary>
    Task SaveAsync(SubscriptionRecord subscription, CancellationToken cancellationToken = default);

    /// <summary>Forgets a subscription; unknown ids are ignored.</summary>
    Task DeleteAsync(string subscriptionId, CancellationToken cancellationToken = default);
}
