extern alias simulator;
extern alias faketeams;

using System.Text.Json.Nodes;
using faketeams::TiesOffice.FakeTeams;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using simulator::TiesOffice.GraphSimulator;
using TiesOffice.Application;
using TiesOffice.Application.Ports;
using TiesOffice.Application.Proactive;
using TiesOffice.Testing.Azurite;
using TiesOffice.Web;

namespace TiesOffice.EndToEnd.Tests;

/// <summary>
/// The DevHost for the proactive sends: Azurite, a small synthetic Graph tenant, the fake Teams channel, and one
/// <see cref="FakeTimeProvider"/> as the host's clock. The background workers are left out: a test queues jobs and runs
/// them with <see cref="SyncJobs.ProcessBatchAsync"/> (what the DevHost's queue worker calls), so every job runs at a
/// clock the test chose, under the user's lease, with no sleeps. The Outlook channel is configured (originator, the
/// service mailbox <see cref="EndToEndFixture.DigestSender"/>, the tenant) but <c>ActionableMessages:Enabled</c> is
/// false, unless a derived fixture turns it on (<see cref="CrossChannelFixture"/>).
/// </summary>
public class ProactiveFixture(AzuriteFixture azurite) : IAsyncLifetime
{
    /// <summary>Whether the Outlook channel is on (<c>ActionableMessages:Enabled</c>).</summary>
    protected virtual bool OutlookEnabled => false;

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public CapturingLoggerProvider Logs { get; } = new();

    public GraphSimulatorServer Simulator { get; private set; } = null!;

    public FakeTeamsChannel Teams { get; private set; } = null!;

    public WebApplicationFactory<Program> Host { get; private set; } = null!;

    private string _certificatePath = string.Empty;

    private int _jobs;

    public async ValueTask InitializeAsync()
    {
        Simulator = await GraphSimulatorServer.StartAsync(new SimulatorOptions { SyntheticMailboxes = 12, SyntheticMessagesPerPerson = 120, GenerateCalendar = false, ServiceMailboxes = { EndToEndFixture.DigestSender } });
        _certificatePath = Path.Combine(Path.GetTempPath(), $"fake-teams-{Guid.NewGuid():N}.pem");
        var teamsOptions = new FakeTeamsOptions { CertificatePemPath = _certificatePath, TenantId = EndToEndFixture.TenantId };
        foreach (var user in Simulator.Tenant.Users.Take(4))
        {
            teamsOptions.Users.Add(new FakeUser(user.Id, user.DisplayName, user.Address));
        }

        Teams = await FakeTeamsChannel.StartAsync(teamsOptions);
        var settings = new Dictionary<string, string?>
        {
            ["Bot:AppId"] = teamsOptions.BotAppId,
            ["Bot:OpenIdMetadataUrl"] = Teams.OpenIdMetadataUrl.ToString(),
            ["Bot:AllowedServiceUrls"] = "127.0.0.1",
            ["Bot:TokenEndpoint"] = Teams.BaseAddress.ToString(),
            ["Bot:Credential"] = "ClientSecret",
            ["Bot:ClientSecret"] = teamsOptions.BotClientSecret,
            ["Bot:LoopbackRootCertificatePath"] = _certificatePath,
            ["Bot:Channels"] = OutlookEnabled ? "msteams;outlook" : "msteams",
            ["ActionableMessages:Enabled"] = OutlookEnabled ? "true" : "false",
            ["ActionableMessages:OriginatorId"] = EndToEndFixture.Originator,
            ["ActionableMessages:SenderMailbox"] = EndToEndFixture.DigestSender,
            ["ActionableMessages:TenantId"] = EndToEndFixture.TenantId,
            ["Graph:BaseUrl"] = Simulator.GraphBaseUrl,
            ["Graph:DevelopmentToken"] = "true",
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Storage:TablePrefix"] = AzuriteFixture.NewTablePrefix("pro"),
            ["Storage:QueueName"] = AzuriteFixture.NewQueueName("pro"),
            ["Storage:ContactKeySecret"] = "end-to-end-secret",
            ["Demo:TenantId"] = EndToEndFixture.TenantId,
        };
        Host = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Development");
            foreach (var (key, value) in settings)
            {
                web.UseSetting(key, value);
            }

            web.ConfigureLogging(logging => logging.AddProvider(Logs).AddFilter("TiesOffice.Application.Proactive", LogLevel.Debug));
            web.ConfigureTestServices(services =>
            {
                services.AddSingleton<TimeProvider>(Clock);
                foreach (var worker in services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.Name is "QueueWorker" or "SyncScheduler").ToList())
                {
                    services.Remove(worker);
                }
            });
        });
        Teams.BotClient = Host.CreateClient();
    }

    /// <summary>
    /// Moves the clock to 06:30 UTC of the next Monday (the clock never goes back, so each test takes a week of its own)
    /// and returns that Monday's midnight.
    /// </summary>
    public DateTimeOffset BeginWeek()
    {
        var monday = NextMonday(Clock.GetUtcNow());
        Clock.SetUtcNow(monday.AddHours(6.5));
        return monday;
    }

    public T Get<T>()
        where T : notnull => Host.Services.GetRequiredService<T>();

    /// <summary>Runs every queued job (as the queue worker would) at the clock's current time.</summary>
    public async Task RunQueuedJobsAsync(CancellationToken cancellationToken)
    {
        var jobs = Get<SyncJobs>();
        while ((await jobs.ProcessBatchAsync(1, cancellationToken)).Received > 0)
        {
        }
    }

    /// <summary>Queues <paramref name="count"/> timer jobs of one user (a duplicated fan-out when more than one) and runs them.</summary>
    public async Task RunTimerJobsAsync(UserKey user, CancellationToken cancellationToken, int count = 1)
    {
        for (var i = 0; i < count; i++)
        {
            var id = Interlocked.Increment(ref _jobs);
            await Get<IJobQueue>().EnqueueAsync(new SyncJob(user.TenantId, user.UserId, "timer", Clock.GetUtcNow(), $"timer:test-{id}"), cancellationToken: cancellationToken);
        }

        await RunQueuedJobsAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        Teams.BotClient?.Dispose();
        await Host.DisposeAsync();
        await Teams.DisposeAsync();
        await Simulator.DisposeAsync();
        File.Delete(_certificatePath);
    }

    private static DateTimeOffset NextMonday(DateTimeOffset now)
    {
        var day = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddDays(1);
        while (day.DayOfWeek != DayOfWeek.Monday)
        {
            day = day.AddDays(1);
        }

        return day;
    }
}

/// <summary>
/// The weekly digest and the reminders through the DevHost, to the fake Teams channel: sent once at the user's local
/// time, never in quiet hours, never twice for duplicated jobs, reminders within the budget and dropped after contact,
/// and nothing (and no error) for a user the bot cannot reach.
/// </summary>
public sealed class ProactiveTests(ProactiveFixture app) : IClassFixture<ProactiveFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private FakeTeamsChannel Teams => app.Teams;

    private static UserKey Key(FakeUser user) => new(EndToEndFixture.TenantId, user.AadObjectId);

    private static bool IsDigest(ConnectorMessage m) => Card(m)?["body"]?[0]?["text"]?.GetValue<string>() == "Your week in ties";

    private static JsonObject? Card(ConnectorMessage m) =>
        m.Activity["attachments"] is JsonArray { Count: > 0 } a ? a[0]!["content"] as JsonObject : null;

    private static string Week(DateTimeOffset monday) => ProactiveSchedule.IsoWeek(DateOnly.FromDateTime(monday.UtcDateTime));

    /// <summary>Installs the bot for a user (enrols them, stores the reference), sets their settings, and runs the first sync, at the clock's time.</summary>
    private async Task<UserKey> InstallAsync(FakeUser user, Func<UserSettings, UserSettings> settings)
    {
        var answer = await Teams.DeliverAsync(Teams.InstallationUpdate(user, "add"), cancellationToken: Ct);
        Assert.Equal(200, answer.Status);
        await app.Get<ISettingsStore>().UpdateSettingsAsync(Key(user), settings, Ct);
        await app.RunQueuedJobsAsync(Ct);
        return Key(user);
    }

    [Fact]
    public async Task Digest_AtTheUsersLocalTime_ArrivesOnceAndNeverInQuietHours()
    {
        var user = Teams.Options.Users[0];
        var monday = app.BeginWeek();
        var key = await InstallAsync(user, s => s with { TimeZone = "Europe/Paris", DigestDay = DayOfWeek.Monday, DigestTime = new TimeOnly(9, 0) });

        // 06:30 UTC is 07:30 in Paris (quiet); 07:59 UTC is 08:59 there (allowed, not due); 08:00 UTC is the digest time.
        Assert.DoesNotContain(Teams.SentTo(user), IsDigest);
        app.Clock.SetUtcNow(monday.AddHours(7).AddMinutes(59));
        await app.RunTimerJobsAsync(key, Ct);
        Assert.DoesNotContain(Teams.SentTo(user), IsDigest);

        app.Clock.SetUtcNow(monday.AddHours(8));
        await app.RunTimerJobsAsync(key, Ct);
        var digest = Assert.Single(Teams.SentTo(user), IsDigest);

        // A duplicated fan-out (two jobs of the same tick) and a later tick send nothing more.
        await app.RunTimerJobsAsync(key, Ct, count: 2);
        app.Clock.Advance(TimeSpan.FromMinutes(15));
        await app.RunTimerJobsAsync(key, Ct);

        Assert.Single(Teams.SentTo(user), IsDigest);
        Assert.Equal(user.ConversationId, digest.ConversationId);
        Assert.Equal(DeliveryOutcome.Sent, (await app.Get<IDigestClaimStore>().GetAsync(key, Week(monday), Ct))!.Outcome);
    }

    [Fact]
    public async Task Reminders_ComeWithinTheBudgetAndOneIsDroppedAfterContact()
    {
        var user = Teams.Options.Users[1];
        var monday = app.BeginWeek();

        // Three colleagues the user writes with every week, each waiting for an answer since Saturday: three replies
        // owed, whatever the synthetic mail holds, so the week has three suggestions (Monday, Wednesday, Friday).
        foreach (var colleague in app.Simulator.Tenant.Users.Skip(8).Take(3))
        {
            for (var week = 8; week >= 1; week--)
            {
                var at = monday.AddDays(-7 * week).AddHours(10);
                app.Simulator.Tenant.Deliver(null, user.Email, [colleague.Address], [], [], "weekly", at, null, notify: false);
                app.Simulator.Tenant.Deliver(null, colleague.Address, [user.Email], [], [], "re: weekly", at.AddHours(2), null, notify: false);
            }

            app.Simulator.Tenant.Deliver(null, colleague.Address, [user.Email], [], [], "a question", monday.AddDays(-2).AddHours(10), null, notify: false);
        }

        var key = await InstallAsync(user, s => s with { TimeZone = "Etc/UTC", WeeklyNudgeBudget = 3 });
        app.Clock.SetUtcNow(monday.AddHours(9));
        await app.RunTimerJobsAsync(key, Ct);
        var digest = Card(Assert.Single(Teams.SentTo(user), IsDigest))!;
        var planned = (await app.Get<INudgeStore>().ReadAsync(key, Ct).ToListAsync(Ct)).OrderBy(n => n.PlannedFor).ToList();
        Assert.True(planned.Count >= 2, $"the digest should plan at least two reminders; it planned {planned.Count} ({digest.ToJsonString()})");

        // Tuesday: the user writes to the first reminder's contact; the sync that brings the message in drops the reminder.
        app.Clock.SetUtcNow(monday.AddDays(1).AddHours(11));
        app.Simulator.Tenant.Deliver(null, Teams.Options.Users[1].Email, [planned[0].Contact], [], [], "catching up", app.Clock.GetUtcNow().AddMinutes(-5), null);
        await app.RunTimerJobsAsync(key, Ct);
        var before = Teams.SentTo(user).Count;
        for (var at = monday.AddDays(2); at < monday.AddDays(5).AddHours(20); at = at.AddHours(2))
        {
            app.Clock.SetUtcNow(at);
            await app.RunTimerJobsAsync(key, Ct);
        }

        var reminders = Teams.SentTo(user).Skip(before).Select(Card).ToList();
        var nudges = await app.Get<INudgeStore>().ReadAsync(key, Ct).ToListAsync(Ct);
        Assert.Equal(NudgeStatus.Cancelled, nudges.Single(n => n.Contact == planned[0].Contact).Status);
        Assert.DoesNotContain(reminders, c => Mentions(c!, planned[0].Contact));
        Assert.Equal(planned.Count - 1, reminders.Count);
        Assert.True(reminders.Count + 1 <= 3);
        Assert.All(planned.Skip(1), p => Assert.Contains(reminders, c => Mentions(c!, p.Contact)));
    }

    /// <summary>
    /// Whether a card is about the contact: the card shows the contact's display name, and its chat link carries the
    /// address (percent-encoded).
    /// </summary>
    private static bool Mentions(System.Text.Json.Nodes.JsonNode card, string contact)
    {
        var json = card.ToJsonString();
        return json.Contains(contact, StringComparison.OrdinalIgnoreCase)
            || json.Contains(Uri.EscapeDataString(contact), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Digest_UserBlockedTheBot_IsBlockedTheReferenceRemovedAndNothingRetried()
    {
        var user = Teams.Options.Users[2];
        var monday = app.BeginWeek();
        var key = await InstallAsync(user, s => s with { TimeZone = "Etc/UTC" });
        Teams.Block(user);
        app.Clock.SetUtcNow(monday.AddHours(9));

        await app.RunTimerJobsAsync(key, Ct);
        var requests = Teams.ConnectorRequests;
        app.Clock.Advance(TimeSpan.FromMinutes(15));
        await app.RunTimerJobsAsync(key, Ct);

        Assert.Equal(DeliveryOutcome.Blocked, (await app.Get<IDigestClaimStore>().GetAsync(key, Week(monday), Ct))!.Outcome);
        Assert.Null(await app.Get<IConversationReferenceStore>().GetAsync(key, Ct));
        Assert.Equal(requests, Teams.ConnectorRequests);
        Assert.DoesNotContain(Teams.SentTo(user), IsDigest);
    }

    [Fact]
    public async Task Digest_UserWithoutAConversationReferenceAndOutlookOff_SendsNothingAndRaisesNoError()
    {
        // Enrolled through the dev API (as the demo's enrol-all does), never installed in Teams: no reference. The
        // Outlook channel is configured but ActionableMessages:Enabled is false: no mail either.
        var simUser = app.Simulator.Tenant.Users[6];
        var key = new UserKey(EndToEndFixture.TenantId, simUser.Id);
        var monday = app.BeginWeek();
        using (var client = app.Host.CreateClient())
        {
            (await client.PostAsync(new Uri($"/api/dev/enrol?user={Uri.EscapeDataString(simUser.Address)}", UriKind.Relative), null, Ct)).EnsureSuccessStatusCode();
        }

        await app.Get<ISettingsStore>().UpdateSettingsAsync(key, s => s with { TimeZone = "Etc/UTC" }, Ct);
        await app.RunQueuedJobsAsync(Ct);
        var requests = Teams.ConnectorRequests;
        var lines = app.Logs.Lines.Count;
        var mails = app.Simulator.Tenant.Outbox.Sent.Count;

        app.Clock.SetUtcNow(monday.AddHours(9));
        for (var i = 0; i < 4; i++)
        {
            await app.RunTimerJobsAsync(key, Ct);
            app.Clock.Advance(TimeSpan.FromMinutes(15));
        }

        Assert.Equal(requests, Teams.ConnectorRequests);
        Assert.Equal(mails, app.Simulator.Tenant.Outbox.Sent.Count);
        Assert.Equal(DeliveryOutcome.NoRoute, (await app.Get<IDigestClaimStore>().GetAsync(key, Week(monday), Ct))!.Outcome);
        var mine = app.Logs.Lines.Skip(lines).Where(l => l.Contains(UserPseudonym.Of(key), StringComparison.Ordinal)).ToList();
        Assert.StartsWith("Debug ", Assert.Single(mine, l => l.Contains("ProactiveSends", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.DoesNotContain(mine, l => l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Warning", StringComparison.Ordinal));
        var (pending, poison) = await app.Get<IJobProcessor>().GetDepthAsync(Ct);
        Assert.Equal((0, 0), (pending, poison));
    }
}
