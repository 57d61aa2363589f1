using TiesOffice.Application.Sync;

namespace TiesOffice.Application.Ports;

/// <summary>Graph's subscription API (create, renew, delete). Failures surface as the sync exceptions.</summary>
public interface IGraphSubscriptions
{
    /// <summary>Creates a subscription; Graph validates both URLs before it answers.</summary>
    /// <returns>The id and the expiry Graph granted.</returns>
    Task<(string Id, DateTimeOffset ExpiresAt)> CreateAsync(SubscriptionRequest request, CancellationToken cancellationToken = default);

    /// <summary>Extends a subscription; returns the expiry Graph granted, or null when the subscription no longer exists.</summary>
    Task<DateTimeOffset?> RenewAsync(string subscriptionId, DateTimeOffset expiresAt, CancellationToken cancellationToken = default);

    /// <summary>Deletes a subscription; a missing one is not an error.</summary>
    Task DeleteAsync(string subscriptionId, CancellationToken cancellationToken = default);
}
