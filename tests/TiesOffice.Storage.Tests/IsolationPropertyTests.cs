using CsCheck;
using TiesOffice.Application;
using TiesOffice.Application.Ports;
using TiesOffice.Testing.Azurite;

namespace TiesOffice.Storage.Tests;

/// <summary>
/// Property: with 2 tenants x 3 users (ids chosen to collide under naive key joining), random writes and reads
/// never show one user another user's rows, and every read equals a simple in-memory model.
/// </summary>
public sealed class IsolationPropertyTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset s_t0 = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private StorageHarness _h = null!;

    public ValueTask InitializeAsync()
    {
        _h = StorageHarness.Create(azurite);
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _h.DisposeAsync();

    private enum Op
    {
        UpsertMessage,
        RemoveMessage,
        ReplaceTies,
        SaveOverride,
        SetDeltaLink,
        UpsertNudge,
        SaveConversation,
        WriteEngine,
        ReadAll,
    }

    [Fact]
    public async Task RandomOperations_TwoTenantsThreeUsers_NoReadReturnsAnotherUsersRows()
    {
        var ct = TestContext.Current.CancellationToken;
        var gen = Gen.Select(Gen.Int[0, 5], Gen.Enum<Op>(), Gen.Int[0, 4]).Array[5, 40];

        await gen.SampleAsync(
            async ops =>
            {
                var tag = Guid.NewGuid().ToString("N")[..6];
                UserKey[] users =
                [
                    new("t" + tag, "u1"), new("t" + tag, "u1|x"), new("t" + tag, "U1"),
                    new("t" + tag + "|u1", "x"), new("t" + tag + "|u1", "u1"), new("t" + tag + "|u1", "u1/#?"),
                ];
                var model = users.Select(_ => new Model()).ToArray();
                foreach (var (who, op, n) in ops)
                {
                    await ApplyAsync(users[who], model[who], who, op, n, ct);
                }

                for (var i = 0; i < users.Length; i++)
                {
                    await AssertMatchesAsync(users[i], model[i], i, ct);
                }
            },
            iter: 12,
            threads: 1);
    }

    private async Task ApplyAsync(UserKey user, Model model, int who, Op op, int n, CancellationToken ct)
    {
        var id = $"{who}-{n}";
        switch (op)
        {
            case Op.UpsertMessage:
                await _h.Get<IMailboxStore>().UpsertMessagesAsync(user, [TestData.Message(id, s_t0)], ct);
                model.Messages.Add(id);
                break;
            case Op.RemoveMessage:
                await _h.Get<IMailboxStore>().RemoveAsync(user, [id], ct);
                model.Messages.Remove(id);
                break;
            case Op.ReplaceTies:
                var contacts = Enumerable.Range(0, n).Select(i => $"{who}-{i}@x.example").ToList();
                await _h.Get<ITieStore>().ReplaceAsync(user, contacts.Select(c => TestData.Tie(c)).ToList(), ct);
                model.Ties = [.. contacts];
                break;
            case Op.SaveOverride:
                await _h.Get<ISettingsStore>().SaveOverrideAsync(user, new ContactOverride(id + "@x.example", Muted: true), ct);
                model.Overrides.Add(id + "@x.example");
                break;
            case Op.SetDeltaLink:
                await _h.Get<ISyncStateStore>().SetDeltaLinkAsync(user, "inbox", "link-" + id, ct);
                model.DeltaLink = "link-" + id;
                break;
            case Op.UpsertNudge:
                await _h.Get<INudgeStore>().UpsertAsync(user, [new Nudge(id, id + "@x.example", "reconnect", s_t0, null, NudgeStatus.Planned)], ct);
                model.Nudges.Add(id);
                break;
            case Op.SaveConversation:
                await _h.Get<IConversationReferenceStore>().SaveAsync(user, new ConversationReference("https://s/", "conv-" + id, "personal", null, "bot", "user", null, "msteams"), ct);
                model.Conversation = "conv-" + id;
                break;
            case Op.WriteEngine:
                var current = await _h.Get<IEngineStateStore>().ReadAsync(user, ct);
                var data = new[] { (byte)who, (byte)n };
                Assert.NotNull(await _h.Get<IEngineStateStore>().TryWriteAsync(user, data, current?.Version, ct));
                model.Engine = data;
                break;
            default:
                await AssertMatchesAsync(user, model, who, ct);
                break;
        }
    }

    private async Task AssertMatchesAsync(UserKey user, Model model, int who, CancellationToken ct)
    {
        var messages = (await _h.Get<IMailboxStore>().ReadMessagesAsync(user, ct).ToListAsync()).Select(m => m.Id).ToHashSet();
        var ties = (await _h.Get<ITieStore>().ReadAsync(user, ct).ToListAsync()).Select(t => t.Contact).ToHashSet();
        var overrides = (await _h.Get<ISettingsStore>().ReadOverridesAsync(user, ct).ToListAsync()).Select(o => o.Contact).ToHashSet();
        var nudges = (await _h.Get<INudgeStore>().ReadAsync(user, ct).ToListAsync()).Select(x => x.Id).ToHashSet();
        var prefix = who + "-";

        Assert.All(messages.Concat(ties).Concat(overrides).Concat(nudges), v => Assert.StartsWith(prefix, v, StringComparison.Ordinal));
        Assert.Equal(model.Messages, messages);
        Assert.Equal(model.Ties, ties);
        Assert.Equal(model.Overrides, overrides);
        Assert.Equal(model.Nudges, nudges);
        Assert.Equal(model.DeltaLink, await _h.Get<ISyncStateStore>().GetDeltaLinkAsync(user, "inbox", ct));
        Assert.Equal(model.Conversation, (await _h.Get<IConversationReferenceStore>().GetAsync(user, ct))?.ConversationId);
        Assert.Equal(model.Engine, (await _h.Get<IEngineStateStore>().ReadAsync(user, ct))?.Data.ToArray());
    }

    private sealed class Model
    {
        public HashSet<string> Messages { get; } = [];

        public HashSet<string> Ties { get; set; } = [];

        public HashSet<string> Overrides { get; } = [];

        public HashSet<string> Nudges { get; } = [];

        public string? DeltaLink { get; set; }

        public string? Conversation { get; set; }

        public byte[]? Engine { get; set; }
    }
}
