namespace TiesOffice.Application.Ports;

/// <summary>
/// The departments the organisation's directory gives its people (Graph's <c>department</c> on users), for reach.
/// An adapter that cannot read the directory (the permission is not granted, Graph is down) answers an empty map, so
/// reach falls back to organisations; it never fails the request.
/// </summary>
public interface IDirectoryDepartments
{
    /// <summary>The department of each person of a tenant's directory that has one, by normalised mail address.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>Departments by address; empty when unknown.</returns>
    Task<IReadOnlyDictionary<string, string>> GetAsync(string tenantId, CancellationToken cancellationToken = default);
}
