using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using TiesOffice.Application;
using TiesOffice.Application.Ports;

namespace TiesOffice.Infrastructure.Storage;

/// <summary>The <c>users</c> table: partition = encoded tenant, row = encoded user id.</summary>
internal sealed class TableUserDirectory(StorageTables tables, ILogger<TableUserDirectory> logger) : IUserDirectory
{
    public async Task EnrolAsync(EnrolledUser user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        UserPartition.Validate(user.User);
        var table = await tables.GetAsync(TableNames.Users, cancellationToken).ConfigureAwait(false);
        await table.UpsertEntityAsync(ToEntity(user), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        logger.UserEnrolled(new UserRef(user.User), user.Consent);
    }

    public async Task<bool> SetConsentAsync(UserKey user, ConsentState consent, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableNames.Users, cancellationToken).ConfigureAwait(false);
        var entity = new TableEntity(UserPartition.Tenant(user.TenantId), KeyEncoding.Encode(user.UserId)) { ["Consent"] = consent.ToString() };
        try
        {
            // Merge with If-Match * : updates only an existing row, never creates one.
            await table.UpdateEntityAsync(entity, ETag.All, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return false;
        }

        logger.ConsentChanged(new UserRef(user), consent);
        return true;
    }

    public async Task<bool> UnenrolAsync(UserKey user, CancellationToken cancellationToken = default)
    {
        UserPartition.Validate(user);
        var table = await tables.GetAsync(TableNames.Users, cancellationToken).ConfigureAwait(false);
        try
        {
            await table.DeleteEntityAsync(UserPartition.Tenant(user.TenantId), KeyEncoding.Encode(user.UserId), ETag.All, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return false;
        }
    }

    public async Task<EnrolledUser?> GetAsync(UserKey user, CancellationToken cancellationToken = default)
    {
        UserPartition.Validate(user);
        var table = await tables.GetAsync(TableNames.Users, cancellationToken).ConfigureAwait(false);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(UserPartition.Tenant(user.TenantId), KeyEncoding.Encode(user.UserId), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!row.HasValue || row.Value is null)
        {
            return null;
        }

        var found = FromEntity(row.Value);

        // Long ids are hashed in keys; the stored originals must match exactly.
        return found.User == user ? found : null;
    }

    public async Task<bool> IsSyncAllowedAsync(UserKey user, CancellationToken cancellationToken = default) =>
        (await GetAsync(user, cancellationToken).ConfigureAwait(false))?.Consent == ConsentState.Active;

    public async IAsyncEnumerable<EnrolledUser> ListActiveAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableNames.Users, cancellationToken).ConfigureAwait(false);
        var filter = TableClient.CreateQueryFilter($"Consent eq {nameof(ConsentState.Active)}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            yield return FromEntity(row);
        }
    }

    public async IAsyncEnumerable<EnrolledUser> ListTenantAsync(string tenantId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableNames.Users, cancellationToken).ConfigureAwait(false);
        await foreach (var row in table.QueryAsync<TableEntity>(TableBatches.Filter(UserPartition.Tenant(tenantId)), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var user = FromEntity(row);
            if (user.User.TenantId == tenantId)
            {
                yield return user;
            }
        }
    }

    private static TableEntity ToEntity(EnrolledUser user) => new(UserPartition.Tenant(user.User.TenantId), KeyEncoding.Encode(user.User.UserId))
    {
        ["TenantId"] = user.User.TenantId,
        ["UserId"] = user.User.UserId,
        ["MailAddress"] = user.MailAddress,
        ["DisplayName"] = user.DisplayName,
        ["TimeZone"] = user.TimeZone,
        ["EnrolledAt"] = user.EnrolledAt,
        ["Consent"] = user.Consent.ToString(),
    };

    private static EnrolledUser FromEntity(TableEntity row) => new(
        new UserKey(row.GetString("TenantId"), row.GetString("UserId")),
        row.GetString("MailAddress") ?? string.Empty,
        row.GetString("DisplayName"),
        row.GetString("TimeZone"),
        row.GetDateTimeOffset("EnrolledAt") ?? DateTimeOffset.MinValue,
        Enum.TryParse<ConsentState>(row.GetString("Consent"), out var consent) ? consent : ConsentState.NeedsConsent);
}
