namespace TiesOffice.Application.Ports;

/// <summary>Whether the product may process a user's mail and calendar.</summary>
public enum ConsentState
{
    /// <summary>Enrolled and consented: the user is synced and scored.</summary>
    Active = 0,

    /// <summary>Consent was revoked or has lapsed (for example Graph answered <c>invalid_grant</c>): do not sync.</summary>
    NeedsConsent = 1,

    /// <summary>The user asked for (or uninstall caused) erasure: do not sync until the user enrols again.</summary>
    Erased = 2,
}

/// <summary>One user's enrolment record.</summary>
/// <param name="User">Who.</param>
/// <param name="MailAddress">The user's own primary address.</param>
/// <param name="DisplayName">The user's display name, if known.</param>
/// <param name="TimeZone">An IANA or Windows time zone id, if known.</param>
/// <param name="EnrolledAt">When the user (last) enrolled.</param>
/// <param name="Consent">Whether the user may be synced.</param>
public sealed record EnrolledUser(
    UserKey User,
    string MailAddress,
    string? DisplayName,
    string? TimeZone,
    DateTimeOffset EnrolledAt,
    ConsentState Consent);

/// <summary>
/// The directory of users who installed the app. It is the gate for every sync: only users whose
/// <see cref="EnrolledUser.Consent"/> is <see cref="ConsentState.Active"/> are synced, so after an erase a later
/// sync cannot bring data back without a new enrolment.
/// </summary>
public interface IUserDirectory
{
    /// <summary>Enrols (or re-enrols) a user; the record is replaced as given.</summary>
    Task EnrolAsync(EnrolledUser user, CancellationToken cancellationToken = default);

    /// <summary>Sets a user's consent state; returns false when the user is not enrolled.</summary>
    Task<bool> SetConsentAsync(UserKey user, ConsentState consent, CancellationToken cancellationToken = default);

    /// <summary>Removes a user's enrolment record entirely; returns false when there was none.</summary>
    Task<bool> UnenrolAsync(UserKey user, CancellationToken cancellationToken = default);

    /// <summary>Reads one user's enrolment record, or null when the user is not enrolled.</summary>
    Task<EnrolledUser?> GetAsync(UserKey user, CancellationToken cancellationToken = default);

    /// <summary>
    /// Whether the user may be synced now: enrolled and <see cref="ConsentState.Active"/>. Every sync checks this
    /// before it reads Graph or writes storage.
    /// </summary>
    Task<bool> IsSyncAllowedAsync(UserKey user, CancellationToken cancellationToken = default);

    /// <summary>Lists every <see cref="ConsentState.Active"/> user across all tenants (the timer's fan-out).</summary>
    IAsyncEnumerable<EnrolledUser> ListActiveAsync(CancellationToken cancellationToken = default);

    /// <summary>Lists every enrolled user of one tenant, whatever the consent state.</summary>
    IAsyncEnumerable<EnrolledUser> ListTenantAsync(string tenantId, CancellationToken cancellationToken = default);
}
