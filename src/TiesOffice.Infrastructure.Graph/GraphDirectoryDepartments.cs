using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Graph;
using Microsoft.Kiota.Abstractions;
using TiesOffice.Application.Ports;
using TiesOffice.Domain.Metadata;

namespace TiesOffice.Infrastructure.Graph;

/// <summary>
/// Reads the directory's departments with <c>GET /users?$select=mail,userPrincipalName,department</c> (application
/// permission <c>User.Read.All</c>), all pages, and keeps the map in memory for <see cref="Refresh"/>. When Graph
/// refuses (the permission is not granted) or fails, the answer is an empty map, kept for <see cref="RetryAfter"/>,
/// and reach groups by organisation only. Nothing personal is logged.
/// </summary>
public sealed partial class GraphDirectoryDepartments(GraphServiceClient client, TimeProvider time, ILogger<GraphDirectoryDepartments> logger) : IDirectoryDepartments
{
    /// <summary>How long a read directory is kept.</summary>
    public static readonly TimeSpan Refresh = TimeSpan.FromHours(1);

    /// <summary>How long a failed read is kept before Graph is asked again.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromMinutes(10);

    private static readonly IReadOnlyDictionary<string, string> s_none = new Dictionary<string, string>();
    private readonly ConcurrentDictionary<string, Entry> _cache = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, string>> GetAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenantId);
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(tenantId, out var cached) && now < cached.Until)
        {
            return cached.Read.WaitAsync(cancellationToken);
        }

        // One read per tenant at a time; requests in between share it. Not tied to one request's cancellation. A
        // failed read shortens its own entry's life (the entry exists before the read starts, so that always holds).
        var entry = new Entry(now + Refresh);
        entry.Read = ReadAsync(entry);
        _cache[tenantId] = entry;
        return entry.Read.WaitAsync(cancellationToken);

        async Task<IReadOnlyDictionary<string, string>> ReadAsync(Entry mine)
        {
            try
            {
                var departments = new Dictionary<string, string>(StringComparer.Ordinal);
                var page = await client.Users.GetAsync(
                    r =>
                    {
                        r.QueryParameters.Select = ["mail", "userPrincipalName", "department"];
                        r.QueryParameters.Top = 999;
                    },
                    CancellationToken.None).ConfigureAwait(false);
                while (page?.Value is { } users)
                {
                    foreach (var user in users)
                    {
                        var address = MailAddress.Normalize(user.Mail ?? user.UserPrincipalName);
                        if (MailAddress.IsPlausible(address) && !string.IsNullOrWhiteSpace(user.Department))
                        {
                            departments[address] = user.Department.Trim();
                        }
                    }

                    if (page.OdataNextLink is not { } next)
                    {
                        break;
                    }

                    page = await client.Users.WithUrl(next).GetAsync(cancellationToken: CancellationToken.None).ConfigureAwait(false);
                }

                Log.Read(logger, departments.Count);
                return departments;
            }
            catch (Exception e) when (e is ApiException or HttpRequestException or TaskCanceledException)
            {
                Log.Unavailable(logger, e is ApiException api ? api.ResponseStatusCode : 0);
                mine.Until = time.GetUtcNow() + RetryAfter;
                return s_none;
            }
        }
    }

    private sealed class Entry(DateTimeOffset until)
    {
        private long _untilTicks = until.UtcTicks;

        public DateTimeOffset Until
        {
            get => new(Interlocked.Read(ref _untilTicks), TimeSpan.Zero);
            set => Interlocked.Exchange(ref _untilTicks, value.UtcTicks);
        }

        public Task<IReadOnlyDictionary<string, string>> Read { get; set; } = Task.FromResult(s_none);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5301, Level = LogLevel.Information, Message = "Directory departments read: {Count} people with a department")]
        public static partial void Read(ILogger logger, int count);

        [LoggerMessage(EventId = 5302, Level = LogLevel.Warning, Message = "Directory departments unavailable (status {Status}); reach groups by organisation only")]
        public static partial void Unavailable(ILogger logger, int status);
    }
}
