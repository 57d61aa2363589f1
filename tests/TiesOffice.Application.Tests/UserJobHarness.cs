using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TiesOffice.Application;
using TiesOffice.Application.Jobs;
using TiesOffice.Application.Network;
using TiesOffice.Application.Proactive;
using TiesOffice.Application.Ports;
using TiesOffice.Application.Scoring;
using TiesOffice.Application.Sync;
using TiesOffice.Domain.Metadata;
using TiesOffice.Domain.Ties;
using TiesOffice.Testing;

namespace TiesOffice.Application.Tests;

/// <summary>The per-user job (directory gate, mailbox sync, change tracking, scoring) over the in-memory fakes and a scripted Graph.</summary>
internal sealed class UserJobHarness
{
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private int _jobs;

    /// <summary>Creates the harness; with <paramref name="proactive"/>, the job runs the proactive step with <see cref="Teams"/> and <see cref="Outlook"/> as channels.</summary>
    public UserJobHarness(bool proactive = false, ProactiveOptions? options = null)
    {
        Tracker = new MailboxChangeTracker(Items, State);
        var factory = Logs.CreateFactory();
        Sync = new MailboxSync(Graph, Tracker, State, Directory, Options.Create(new MailboxSyncOptions()), Time, factory.CreateLogger<MailboxSync>());
        Scoring = new TieScoring(Tracker, Ledgers, State, Ties, Settings, Time, factory.CreateLogger<TieScoring>());
        Network = new NetworkService(new NetworkViews(Ledgers, Settings, new PlainTieIds(), Time), Settings, History, State, Items, Jobs, new UnusedPrivacyOperations(), Directory, Time, factory.CreateLogger<NetworkService>());
        Proactive = new ProactiveSends(Settings, Claims, Nudges, Network, [Outlook, Teams], Teams, options ?? new ProactiveOptions(), Time, factory.CreateLogger<ProactiveSends>());
        Handler = new UserSyncHandler(Directory, State, Sync, Tracker, Scoring, factory.CreateLogger<UserSyncHandler>(), proactive: proactive ? Proactive : null);
    }

    public InMemoryTierHistoryStore History { get; } = new();

    public RecordingJobQueue Jobs { get; } = new();

    public InMemoryNudgeStore Nudges { get; } = new();

    public InMemoryDigestClaimStore Claims { get; } = new();

    public RecordingChannel Teams { get; } = new(ProactiveChannel.Teams);

    public RecordingChannel Outlook { get; } = new(ProactiveChannel.Outlook) { Answer = DeliveryOutcome.NoRoute };

    public NetworkService Network { get; }

    public ProactiveSends Proactive { get; }

    public FakeTimeProvider Time { get; } = new(Start);

    public ScriptedMailboxGraph Graph { get; } = new();

    public InMemoryMailboxStore Items { get; } = new();

    public InMemorySyncStateStore State { get; } = new();

    public InMemoryUserDirectory Directory { get; } = new();

    public InMemoryEngineStateStore Ledgers { get; } = new();

    public InMemoryTieStore Ties { get; } = new();

    public InMemorySettingsStore Settings { get; } = new();

    public CapturingLoggerProvider Logs { get; } = new();

    public MailboxChangeTracker Tracker { get; }

    public MailboxSync Sync { get; }

    public TieScoring Scoring { get; }

    public UserSyncHandler Handler { get; }

    public static string Owner(UserKey user) => user.UserId + "@contoso.example";

    public UserKey Enrol(string name)
    {
        var user = new UserKey("contoso", name);
        Directory.EnsureActive(user, Owner(user));
        return user;
    }

    public Task<UserSyncReport> RunAsync(UserKey user) =>
        Handler.HandleAsync(new SyncJob(user.TenantId, user.UserId, "timer", Time.GetUtcNow(), "job-" + Interlocked.Increment(ref _jobs)), TestContext.Current.CancellationToken);

    /// <summary>A two-way exchange with a colleague: the user writes, the colleague answers.</summary>
    public void Exchange(UserKey user, string id, string colleague, int daysAgo)
    {
        var sent = Time.GetUtcNow().AddDays(-daysAgo);
        Graph.Add(user, Message(id + "-out", Owner(user), colleague, sent, MailFolder.SentItems));
        Graph.Add(user, Message(id + "-in", colleague, Owner(user), sent.AddHours(2), MailFolder.Inbox));
    }

    public static MailMessage Message(string id, string from, string to, DateTimeOffset sentAt, MailFolder folder) =>
        new(id, from, null, [to], [], [], sentAt, sentAt.AddMinutes(1), "conv-" + id, null, false, folder);

    public TieLedger SavedLedger(UserKey user)
    {
        var saved = Ledgers.ReadAsync(user).GetAwaiter().GetResult();
        Assert.NotNull(saved);
        return EngineBlob.Read(saved.Data).Ledger;
    }
}
