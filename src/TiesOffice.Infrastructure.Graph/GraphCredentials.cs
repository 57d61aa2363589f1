using Azure.Core;
using Azure.Identity;

namespace TiesOffice.Infrastructure.Graph;

/// <summary>Builds the Azure.Identity credential the options ask for.</summary>
public static class GraphCredentials
{
    /// <summary>Creates the credential.</summary>
    /// <param name="options">The Graph options.</param>
    /// <returns>A client-secret, managed-identity or workload-identity credential.</returns>
    public static TokenCredential Create(GraphOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return options.Credential switch
        {
            GraphCredentialKind.ClientSecret => new ClientSecretCredential(options.TenantId, options.ClientId, options.ClientSecret),
            GraphCredentialKind.WorkloadIdentity => new WorkloadIdentityCredential(new WorkloadIdentityCredentialOptions
            {
                TenantId = options.TenantId,
                ClientId = options.ClientId,
            }),
            _ => string.IsNullOrEmpty(options.ClientId)
                ? new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned)
                : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(options.ClientId)),
        };
    }
}
