using Azure.Data.Tables;
using TiesOffice.Application;
using TiesOffice.Application.Ports;

namespace TiesOffice.Infrastructure.Storage;

/// <summary>Monthly tier counts in the <c>settings</c> table, rows <c>h|yyyy-MM</c> of the user's partition.</summary>
internal sealed class TableTierHistoryStore(StorageTables tables) : ITierHistoryStore
{
    internal const string Prefix = "h|";

    public async Task SaveAsync(UserKey user, IReadOnlyCollection<MonthlyTierCounts> months, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(months);
        if (months.Count == 0)
        {
            return;
        }

        var table = await tables.GetAsync(TableNames.Settings, cancellationToken).ConfigureAwait(false);
        var partition = UserPartition.Of(user);
        var rows = months.Select(m => (ITableEntity)new TableEntity(partition, Prefix + m.Month)
        {
            ["Strong"] = m.Strong,
            ["Weak"] = m.Weak,
            ["Dormant"] = m.Dormant,
            ["Pseudo"] = m.Pseudo,
        }).ToList();
        await TableBatches.UpsertAsync(table, rows, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<MonthlyTierCounts>> ReadAsync(UserKey user, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableNames.Settings, cancellationToken).ConfigureAwait(false);
        var result = new List<MonthlyTierCounts>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableBatches.PrefixFilter(UserPartition.Of(user), Prefix), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            result.Add(new MonthlyTierCounts(
                row.RowKey[Prefix.Length..],
                row.GetInt32("Strong") ?? 0,
                row.GetInt32("Weak") ?? 0,
                row.GetInt32("Dormant") ?? 0,
                row.GetInt32("Pseudo") ?? 0));
        }

        return result.OrderBy(m => m.Month, StringComparer.Ordinal).ToList();
    }
}

/// <summary>Tie ids: the contact key of (user id, contact), so ids differ per user as well as per tenant.</summary>
internal sealed class KeyedTieIds(ContactKeys keys) : ITieIds
{
    public string IdOf(UserKey user, string contact) =>
        keys.ForId(user, "tie\n" + user.UserId + "\n" + TiesOffice.Domain.Metadata.MailAddress.Normalize(contact));
}
