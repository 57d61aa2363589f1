using Azure.Data.Tables;
using TiesOffice.Application;
using TiesOffice.Application.Ports;
using TiesOffice.Application.Sync;

namespace TiesOffice.Infrastructure.Storage;

/// <summary>
/// The sync's per-user status: row <c>status</c> of the user's partition in the <c>syncstate</c> table (time zone,
/// last sync and outcome). Consent is not kept twice: it is read from, and written to, the user directory, which is
/// the one gate every sync checks. A user the directory does not hold as active reads as needing consent.
/// </summary>
internal sealed class TableUserSyncStatusStore(StorageTables tables, IUserDirectory directory) : IUserSyncStatusStore
{
    internal const string StatusRow = "status";

    public async Task<UserSyncStatus?> GetAsync(UserKey user, CancellationToken cancellationToken = default)
    {
        var enrolled = await directory.GetAsync(user, cancellationToken).ConfigureAwait(false);
        var consent = enrolled is { Consent: ConsentState.Active } ? MailboxConsent.Granted : MailboxConsent.NeedsConsent;
        var table = await tables.GetAsync(TableNames.SyncState, cancellationToken).ConfigureAwait(false);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(UserPartition.Of(user), StatusRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!row.HasValue || row.Value is null)
        {
            return enrolled is null ? null : new UserSyncStatus(consent, enrolled.TimeZone, null, null, null);
        }

        var entity = row.Value;
        SyncOutcome? outcome = Enum.TryParse<SyncOutcome>(entity.GetString("LastOutcome"), out var parsed) ? parsed : null;
        return new UserSyncStatus(
            consent,
            entity.GetString("TimeZone"),
            entity.GetDateTimeOffset("TimeZoneCheckedAt"),
            entity.GetDateTimeOffset("LastSyncAt"),
            outcome);
    }

    public async Task SetAsync(UserKey user, UserSyncStatus status, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(status);
        if (status.Consent == MailboxConsent.NeedsConsent)
        {
            // Graph refused the mailbox (401/403): stop this user's syncs until they consent again.
            await directory.SetConsentAsync(user, ConsentState.NeedsConsent, cancellationToken).ConfigureAwait(false);
        }

        var table = await tables.GetAsync(TableNames.SyncState, cancellationToken).ConfigureAwait(false);
        var entity = new TableEntity(UserPartition.Of(user), StatusRow)
        {
            ["TimeZone"] = status.TimeZone,
            ["TimeZoneCheckedAt"] = status.TimeZoneCheckedAt,
            ["LastSyncAt"] = status.LastSyncAt,
            ["LastOutcome"] = status.LastOutcome?.ToString(),
        };
        await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }
}
