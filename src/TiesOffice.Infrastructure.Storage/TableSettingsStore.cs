using System.Runtime.CompilerServices;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using TiesOffice.Application;
using TiesOffice.Application.Ports;

namespace TiesOffice.Infrastructure.Storage;

/// <summary>
/// The <c>settings</c> table, partitioned by user: row <c>settings</c> holds <see cref="UserSettings"/>, rows
/// <c>o|&lt;contact key&gt;</c> (see <see cref="ContactKeys"/>) hold <see cref="ContactOverride"/>s.
/// </summary>
internal sealed class TableSettingsStore(StorageTables tables, ContactKeys keys, ILogger<TableSettingsStore> logger) : ISettingsStore
{
    internal const string SettingsRow = "settings";
    private const string OverridePrefix = "o|";
    private const int MaxConcurrencyAttempts = 50;

    public async Task<UserSettings> GetSettingsAsync(UserKey user, CancellationToken cancellationToken = default) =>
        (await ReadSettingsAsync(user, cancellationToken).ConfigureAwait(false)).Settings;

    public async Task SaveSettingsAsync(UserKey user, UserSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var table = await tables.GetAsync(TableNames.Settings, cancellationToken).ConfigureAwait(false);
        await table.UpsertEntityAsync(ToEntity(user, settings), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    public async Task<UserSettings> UpdateSettingsAsync(UserKey user, Func<UserSettings, UserSettings> update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        var table = await tables.GetAsync(TableNames.Settings, cancellationToken).ConfigureAwait(false);
        string? pendingWrite = null;
        UserSettings? pendingValue = null;
        for (var attempt = 1; ; attempt++)
        {
            var (current, etag, writeId) = await ReadSettingsAsync(user, cancellationToken).ConfigureAwait(false);
            if (pendingWrite is not null && writeId == pendingWrite)
            {
                // The previous attempt did land (its response was lost and the SDK's retry conflicted with it).
                return pendingValue!;
            }

            var next = update(current);
            pendingWrite = Guid.NewGuid().ToString("N");
            pendingValue = next;
            var entity = ToEntity(user, next);
            entity["WriteId"] = pendingWrite;
            try
            {
                if (etag is null)
                {
                    await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await table.UpdateEntityAsync(entity, etag.Value, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                }

                return next;
            }
            catch (RequestFailedException ex) when ((ex.Status is 412 or 409) && attempt < MaxConcurrencyAttempts)
            {
                logger.ConcurrencyRetry("settings", new UserRef(user), attempt);
                await Task.Delay(Random.Shared.Next(5, 20 * Math.Min(attempt, 10)), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public async Task SaveOverrideAsync(UserKey user, ContactOverride contactOverride, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(contactOverride);
        var table = await tables.GetAsync(TableNames.Settings, cancellationToken).ConfigureAwait(false);
        var entity = new TableEntity(UserPartition.Of(user), OverrideRow(user, contactOverride.Contact))
        {
            ["Contact"] = contactOverride.Contact,
            ["Muted"] = contactOverride.Muted,
            ["SnoozedUntil"] = contactOverride.SnoozedUntil,
            ["ManualTier"] = contactOverride.ManualTier,
            ["CadenceDays"] = contactOverride.CadenceDays,
            ["PositionBased"] = contactOverride.PositionBased,
            ["Note"] = contactOverride.Note,
        };
        await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    public async Task RemoveOverrideAsync(UserKey user, string contact, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableNames.Settings, cancellationToken).ConfigureAwait(false);
        await TableBatches.DeleteAsync(table, UserPartition.Of(user), [OverrideRow(user, contact)], cancellationToken).ConfigureAwait(false);
    }

    public async Task<ContactOverride?> GetOverrideAsync(UserKey user, string contact, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableNames.Settings, cancellationToken).ConfigureAwait(false);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(UserPartition.Of(user), OverrideRow(user, contact), cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue && row.Value is not null ? FromOverride(row.Value) : null;
    }

    public async IAsyncEnumerable<ContactOverride> ReadOverridesAsync(UserKey user, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableNames.Settings, cancellationToken).ConfigureAwait(false);
        await foreach (var row in table.QueryAsync<TableEntity>(TableBatches.PrefixFilter(UserPartition.Of(user), OverridePrefix), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            yield return FromOverride(row);
        }
    }

    private async Task<(UserSettings Settings, ETag? ETag, string? WriteId)> ReadSettingsAsync(UserKey user, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableNames.Settings, cancellationToken).ConfigureAwait(false);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(UserPartition.Of(user), SettingsRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!row.HasValue || row.Value is null)
        {
            return (new UserSettings(), null, null);
        }

        var value = row.Value;
        var settings = new UserSettings(
            value.GetInt32("WeeklyNudgeBudget") ?? new UserSettings().WeeklyNudgeBudget,
            value.GetString("TimeZone"),
            Enum.TryParse<DayOfWeek>(value.GetString("DigestDay"), out var day) ? day : DayOfWeek.Monday,
            TimeOnly.TryParseExact(value.GetString("DigestTime"), "HH:mm", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var time) ? time : null,
            value.GetString("Exclusions") is { Length: > 0 } json ? JsonSerializer.Deserialize<string[]>(json) : null);
        return (settings, value.ETag, value.GetString("WriteId"));
    }

    private string OverrideRow(UserKey user, string contact) => OverridePrefix + keys.ForContact(user, contact);

    private static TableEntity ToEntity(UserKey user, UserSettings settings) => new(UserPartition.Of(user), SettingsRow)
    {
        ["WeeklyNudgeBudget"] = settings.WeeklyNudgeBudget,
        ["TimeZone"] = settings.TimeZone,
        ["DigestDay"] = settings.DigestDay.ToString(),
        ["DigestTime"] = settings.DigestTime?.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture),

        // At most 500 entries of at most 320 characters: well inside the 64 KiB of a string property.
        ["Exclusions"] = settings.Exclusions is { Count: > 0 } exclusions ? JsonSerializer.Serialize(exclusions) : null,
    };

    private static ContactOverride FromOverride(TableEntity row) => new(
        row.GetString("Contact"),
        row.GetBoolean("Muted") ?? false,
        row.GetDateTimeOffset("SnoozedUntil"),
        row.GetString("ManualTier"),
        row.GetDouble("CadenceDays"),
        row.GetBoolean("PositionBased"),
        row.GetString("Note"));
}
