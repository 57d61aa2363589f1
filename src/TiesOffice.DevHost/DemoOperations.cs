using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Graph;
using TiesOffice.Application;
using TiesOffice.Application.Ports;
using TiesOffice.Application.Proactive;
using TiesOffice.Application.Scoring;
using TiesOffice.Infrastructure.Storage;

namespace TiesOffice.DevHost;

/// <summary>The demo tenant's operations: enrol every Graph user, report progress, and show one user's network.</summary>
internal sealed class DemoOperations(
    GraphServiceClient graph,
    IUserDirectory directory,
    IJobQueue queue,
    IJobProcessor processor,
    ITieStore ties,
    IConfiguration configuration,
    IHttpClientFactory http,
    TieScoring scoring,
    StorageRequestCounter storageRequests,
    ISettingsStore settings,
    ISyncStateStore syncState,
    ProactiveOptions proactive,
    TimeProvider time)
{
    private const string ProgressPurpose = "progress";
    private readonly ConcurrentDictionary<(UserKey User, DateTimeOffset EnrolledAt), byte> _scored = new();
    private static readonly string[] s_tiers = ["strong", "weak", "dormant", "pseudo"];

    /// <summary>The demo tenant's id when <c>Demo:TenantId</c> is not set: a GUID, as Entra's tenant ids are, so demo users can sign in.</summary>
    public const string DefaultTenantId = "de770000-0000-4000-8000-000000000001";

    /// <summary>The tenant the demo enrols users into (<c>Demo:TenantId</c>, default <see cref="DefaultTenantId"/>).</summary>
    public string TenantId => configuration["Demo:TenantId"] is { Length: > 0 } tenant ? tenant : DefaultTenantId;

    /// <summary>Enrols every user Graph lists and queues a first sync for each.</summary>
    public async Task<int> EnrolAllAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var count = 0;
        var page = await graph.Users.GetAsync(
            r =>
            {
                r.QueryParameters.Select = ["id", "mail", "displayName", "userPrincipalName"];
                r.QueryParameters.Top = 999;
            },
            cancellationToken).ConfigureAwait(false);
        while (page?.Value is { } users)
        {
            foreach (var user in users)
            {
                var address = user.Mail ?? user.UserPrincipalName;
                if (user.Id is null || string.IsNullOrEmpty(address))
                {
                    continue;
                }

                await EnrolAndQueueAsync(user.Id, address, user.DisplayName, now, cancellationToken).ConfigureAwait(false);
                count++;
            }

            if (page.OdataNextLink is not { } next)
            {
                break;
            }

            page = await graph.Users.WithUrl(next).GetAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        return count;
    }

    /// <summary>Enrols one Graph user (by id or address) and queues a first sync; null when Graph has no such user.</summary>
    public async Task<EnrolledUser?> EnrolAsync(string idOrAddress, CancellationToken cancellationToken)
    {
        var user = await graph.Users[idOrAddress].GetAsync(
            r => r.QueryParameters.Select = ["id", "mail", "displayName", "userPrincipalName"],
            cancellationToken).ConfigureAwait(false);
        var address = user?.Mail ?? user?.UserPrincipalName;
        if (user?.Id is null || string.IsNullOrEmpty(address))
        {
            return null;
        }

        return await EnrolAndQueueAsync(user.Id, address, user.DisplayName, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Enrols one user as active in the demo tenant and queues the user's first sync.</summary>
    private async Task<EnrolledUser> EnrolAndQueueAsync(string userId, string address, string? displayName, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var enrolled = new EnrolledUser(new UserKey(TenantId, userId), address, displayName, null, now, ConsentState.Active);
        await directory.EnrolAsync(enrolled, cancellationToken).ConfigureAwait(false);
        await queue.EnqueueAsync(new SyncJob(TenantId, userId, "enrol", now, $"enrol:{userId}:{now.UtcTicks}"), cancellationToken: cancellationToken).ConfigureAwait(false);
        return enrolled;
    }

    /// <summary>Progress: enrolled users, users with scores, queue depth, and (when asked, reading every tie) ties per tier.</summary>
    public async Task<DemoStatus> StatusAsync(bool countTiers, CancellationToken cancellationToken)
    {
        // A poll's reads are the watcher's, not the sync's: count them apart.
        using var attributed = storageRequests.Attribute(ProgressPurpose);
        var enrolled = 0;
        var scored = 0;
        var tiers = s_tiers.ToDictionary(t => t, _ => 0, StringComparer.Ordinal);
        await foreach (var user in directory.ListTenantAsync(TenantId, cancellationToken).ConfigureAwait(false))
        {
            enrolled++;
            var enrolment = (user.User, user.EnrolledAt);
            if (!countTiers && _scored.ContainsKey(enrolment))
            {
                // Ties, once written, stay until the user is erased, and erasing removes the directory row (a new
                // enrolment has a new time): so a user seen scored need not be read again by every poll.
                scored++;
                continue;
            }

            var any = false;
            await foreach (var tie in ties.ReadAsync(user.User, cancellationToken).ConfigureAwait(false))
            {
                any = true;
                if (!countTiers)
                {
                    // Progress polls only need to know the user has ties; reading them all would slow the sync.
                    break;
                }

                tiers[tie.Tier] = tiers.GetValueOrDefault(tie.Tier) + 1;
            }

            scored += any ? 1 : 0;
            if (any)
            {
                _scored.TryAdd(enrolment, 0);
            }
            else
            {
                _scored.TryRemove(enrolment, out _);
            }
        }

        var (pending, poison) = await processor.GetDepthAsync(cancellationToken).ConfigureAwait(false);
        return new DemoStatus(enrolled, scored, pending, poison, tiers);
    }

    /// <summary>A user's top ties per tier, with the why of each, as text.</summary>
    public async Task<string?> NetworkAsync(string who, int top, CancellationToken cancellationToken)
    {
        EnrolledUser? found = null;
        var best = -1;
        await foreach (var user in directory.ListTenantAsync(TenantId, cancellationToken).ConfigureAwait(false))
        {
            if (who.Length > 0)
            {
                if (string.Equals(user.MailAddress, who, StringComparison.OrdinalIgnoreCase) || user.User.UserId == who)
                {
                    found = user;
                    break;
                }

                continue;
            }

            // No user named: show the one with the most two-way (strong or weak) ties.
            var twoWay = 0;
            await foreach (var tie in ties.ReadAsync(user.User, cancellationToken).ConfigureAwait(false))
            {
                twoWay += tie.Tier is "strong" or "weak" ? 1 : 0;
            }

            if (twoWay > best)
            {
                best = twoWay;
                found = user;
            }
        }

        if (found is null)
        {
            return null;
        }

        var all = new List<TieSnapshot>();
        await foreach (var tie in ties.ReadAsync(found.User, cancellationToken).ConfigureAwait(false))
        {
            all.Add(tie);
        }

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Network of {found.DisplayName ?? found.MailAddress} <{found.MailAddress}>: {all.Count} ties\n");
        foreach (var tier in s_tiers)
        {
            var inTier = all.Where(t => t.Tier == tier).OrderByDescending(t => t.Score).ToList();
            text.Append(CultureInfo.InvariantCulture, $"\n  {tier.ToUpperInvariant()} ({inTier.Count})\n");
            foreach (var tie in inTier.Take(top))
            {
                text.Append(CultureInfo.InvariantCulture, $"    {tie.Contact,-36} score {tie.Score,5:0.00}  reciprocity {tie.Reciprocity,4:0.00}  portability {tie.Portability,4:0.00}\n");
                text.Append(CultureInfo.InvariantCulture, $"      why: {tie.Why}\n");
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// Makes a user's weekly digest due now and queues a sync job for the user, so the digest goes out through the real
    /// path (the queue worker, the user's lease, the sync, <see cref="ProactiveSends"/>, the Teams channel): the user's
    /// digest day and time become today and this minute in the user's own time zone, through the settings store.
    /// Null when no enrolled user has that address or id.
    /// </summary>
    public async Task<DigestDueResult?> MakeDigestDueAsync(string who, CancellationToken cancellationToken)
    {
        EnrolledUser? found = null;
        await foreach (var user in directory.ListTenantAsync(TenantId, cancellationToken).ConfigureAwait(false))
        {
            if (string.Equals(user.MailAddress, who, StringComparison.OrdinalIgnoreCase) || user.User.UserId == who)
            {
                found = user;
                break;
            }
        }

        if (found is null)
        {
            return null;
        }

        // The same zone the use case resolves: the user's setting, else the mailbox's, else the one Teams reported.
        var now = time.GetUtcNow();
        var current = await settings.GetSettingsAsync(found.User, cancellationToken).ConfigureAwait(false);
        var mailbox = (await syncState.ReadAsync(found.User, cancellationToken).ConfigureAwait(false)).Status?.TimeZone;
        var zone = ProactiveSchedule.ResolveZone(current.TimeZone, mailbox, found.TimeZone);
        var local = ProactiveSchedule.ToLocal(now, zone);
        var minute = new TimeOnly(local.Hour, local.Minute);
        await settings.UpdateSettingsAsync(found.User, s => s with { DigestDay = local.DayOfWeek, DigestTime = minute }, cancellationToken).ConfigureAwait(false);
        await queue.EnqueueAsync(new SyncJob(TenantId, found.User.UserId, "digest-due", now, $"digest-due:{found.User.UserId}:{now.UtcTicks}"), cancellationToken: cancellationToken).ConfigureAwait(false);
        var quiet = proactive.ToQuietHours();
        var sendsAt = ProactiveSchedule.ToInstant(quiet.NextAllowed(local), zone);
        return new DigestDueResult(found.User.UserId, zone.Id, local.DayOfWeek.ToString(), minute.ToString("HH:mm", CultureInfo.InvariantCulture), quiet.IsQuiet(local), sendsAt);
    }

    /// <summary>Graph traffic as the simulator counted it (<c>Demo:SimulatorUrl</c>), or null without a simulator.</summary>
    public async Task<GraphTraffic?> GraphTrafficAsync(CancellationToken cancellationToken)
    {
        if (configuration["Demo:SimulatorUrl"] is not { Length: > 0 } simulator)
        {
            return null;
        }

        using var client = http.CreateClient();
        await using var stream = await client.GetStreamAsync(new Uri(new Uri(simulator), "/_sim/stats"), cancellationToken).ConfigureAwait(false);
        using var stats = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        long requests = 0, bytes = 0, throttled = 0, maxConcurrency = 0, mailboxes = 0;
        foreach (var box in stats.RootElement.GetProperty("mailboxes").EnumerateObject())
        {
            mailboxes++;
            requests += box.Value.GetProperty("requests").GetInt64();
            bytes += box.Value.GetProperty("bytesSent").GetInt64();
            throttled += box.Value.GetProperty("throttled").GetInt64();
            maxConcurrency = Math.Max(maxConcurrency, box.Value.GetProperty("maxConcurrency").GetInt64());
        }

        long tables = 0, queue = 0;
        foreach (var (key, count) in storageRequests.Snapshot())
        {
            if (key.StartsWith("table:", StringComparison.Ordinal))
            {
                tables += count;
            }
            else if (key.StartsWith("queue:", StringComparison.Ordinal))
            {
                queue += count;
            }
        }

        return new GraphTraffic(mailboxes, requests, bytes, throttled, maxConcurrency, tables, queue, storageRequests.CountFor(ProgressPurpose));
    }

    /// <summary>Re-scores every enrolled user from their saved ledger (no item is read), timed.</summary>
    public async Task<RescoreAllResult> RescoreAllAsync(CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        int users = 0, scored = 0;
        await foreach (var user in directory.ListTenantAsync(TenantId, cancellationToken).ConfigureAwait(false))
        {
            users++;
            scored += (await scoring.RescoreSavedAsync(user.User, cancellationToken).ConfigureAwait(false))?.Count ?? 0;
        }

        return new RescoreAllResult(users, scored, (long)time.GetElapsedTime(started).TotalMilliseconds);
    }
}

/// <summary>A digest made due: whose, in which zone, the new digest day and time, and whether it waits for quiet hours to end.</summary>
internal sealed record DigestDueResult(string UserId, string TimeZone, string DigestDay, string DigestTime, bool QuietNow, DateTimeOffset SendsAt);

/// <summary>Demo progress.</summary>
internal sealed record DemoStatus(int Enrolled, int Scored, int Pending, int Poison, IReadOnlyDictionary<string, int> Tiers);

/// <summary>
/// Graph traffic totals from the simulator, and the storage transactions of the work itself (tables and queue) apart
/// from those of progress polls.
/// </summary>
internal sealed record GraphTraffic(long Mailboxes, long Requests, long BytesSent, long Throttled, long MaxConcurrency, long TableTransactions, long QueueTransactions, long ProgressTransactions);

/// <summary>A timed re-score of the whole demo tenant.</summary>
internal sealed record RescoreAllResult(int Users, int Ties, long Milliseconds);
