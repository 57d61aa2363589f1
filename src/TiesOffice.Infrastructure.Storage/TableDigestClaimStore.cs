using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using TiesOffice.Application;
using TiesOffice.Application.Ports;
using TiesOffice.Application.Proactive;

namespace TiesOffice.Infrastructure.Storage;

/// <summary>
/// The digest claims, in the <c>nudges</c> table beside the user's reminders (so erase takes them too): row
/// <c>c|{ISO week}</c>. A claim is an insert (a second claimant gets 409); a nonce tells our own insert, retried by the
/// SDK after a lost response, from someone else's.
/// </summary>
internal sealed class TableDigestClaimStore(StorageTables tables) : IDigestClaimStore
{
    private const string Prefix = "c|";

    public async Task<DigestClaim?> GetAsync(UserKey user, string week, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableNames.Nudges, cancellationToken).ConfigureAwait(false);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(UserPartition.Of(user), Row(week), cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue && row.Value is not null ? FromEntity(row.Value) : null;
    }

    public async Task<bool> TryClaimAsync(UserKey user, DigestClaim claim, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var table = await tables.GetAsync(TableNames.Nudges, cancellationToken).ConfigureAwait(false);
        var nonce = Guid.NewGuid().ToString("N");
        var entity = ToEntity(user, claim);
        entity["Nonce"] = nonce;
        try
        {
            await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            var existing = await table.GetEntityIfExistsAsync<TableEntity>(entity.PartitionKey, entity.RowKey, select: ["Nonce"], cancellationToken: cancellationToken).ConfigureAwait(false);
            return existing.HasValue && existing.Value?.GetString("Nonce") == nonce;
        }
    }

    public async Task UpdateAsync(UserKey user, DigestClaim claim, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var table = await tables.GetAsync(TableNames.Nudges, cancellationToken).ConfigureAwait(false);

        // The caller holds the user's lease, so no one else writes the row meanwhile (the nonce is needed only while claiming).
        await table.UpsertEntityAsync(ToEntity(user, claim), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<DigestClaim> ReadAsync(UserKey user, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableNames.Nudges, cancellationToken).ConfigureAwait(false);
        await foreach (var row in table.QueryAsync<TableEntity>(TableBatches.PrefixFilter(UserPartition.Of(user), Prefix), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            yield return FromEntity(row);
        }
    }

    private static string Row(string week)
    {
        ArgumentException.ThrowIfNullOrEmpty(week);
        return Prefix + KeyEncoding.Encode(week);
    }

    private static TableEntity ToEntity(UserKey user, DigestClaim claim) => new(UserPartition.Of(user), Row(claim.Week))
    {
        ["Week"] = claim.Week,
        ["ClaimedAt"] = claim.ClaimedAt,
        ["Outcome"] = claim.Outcome?.ToString(),
        ["Channel"] = claim.Channel?.ToString(),
        ["NextReminderAt"] = claim.NextReminderAt,
    };

    private static DigestClaim FromEntity(TableEntity row) => new(
        row.GetString("Week"),
        row.GetDateTimeOffset("ClaimedAt") ?? DateTimeOffset.MinValue,
        Enum.TryParse<DeliveryOutcome>(row.GetString("Outcome"), out var outcome) ? outcome : null,
        Enum.TryParse<ProactiveChannel>(row.GetString("Channel"), out var channel) ? channel : null,
        row.GetDateTimeOffset("NextReminderAt"));
}
