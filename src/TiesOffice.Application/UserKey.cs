namespace TiesOffice.Application;

/// <summary>
/// Identifies one user in one tenant. Every stored row and every read is keyed by it, so tenants and users
/// stay isolated by construction.
/// </summary>
/// <param name="TenantId">The Entra tenant id (or the demo tenant's name).</param>
/// <param name="UserId">The user's id within the tenant (Entra object id, or the address in the demo).</param>
public readonly record struct UserKey(string TenantId, string UserId)
{
    /// <inheritdoc />
    public override string ToString() => $"{TenantId}/{UserId}";
}
