using CsCheck;
using TiesOffice.Domain.Metadata;
using TiesOffice.Domain.Ties;

namespace TiesOffice.Domain.Tests;

public class TieLedgerPropertyTests
{
    private static readonly DateTimeOffset _asOf = MailboxGen.Start.AddDays(520);

    private static TieLedger Feed(IEnumerable<MailMessage> messages)
    {
        var ledger = new TieLedger(MailboxGen.Owner);
        foreach (var message in messages)
        {
            ledger.Add(message);
        }

        return ledger;
    }

    private static Dictionary<string, Tie> ByContact(TieLedger ledger, DateTimeOffset asOf) =>
        ledger.Score(asOf).ToDictionary(t => t.Contact, StringComparer.Ordinal);

    private static bool Close(double a, double b) => Math.Abs(a - b) <= 1e-9 * Math.Max(1, Math.Abs(a));

    [Fact]
    public void Score_AnyInputOrder_SameScoresAndTiers() =>
        Gen.Select(MailboxGen.Mailbox, Gen.Int).Sample((messages, seed) =>
        {
            var shuffled = messages.ToArray();
            new Random(seed).Shuffle(shuffled);
            var inOrder = ByContact(TieLedger.Build(MailboxGen.Owner, messages), _asOf);
            var anyOrder = ByContact(Feed(shuffled), _asOf);
            Assert.Equal(inOrder.Keys.Order(), anyOrder.Keys.Order());
            foreach (var (contact, tie) in inOrder)
            {
                var other = anyOrder[contact];
                Assert.True(Close(tie.Score, other.Score), $"{contact}: {tie.Score} vs {other.Score}");
                Assert.Equal(tie.Tier, other.Tier);
                Assert.Equal(tie.LastContact, other.LastContact);
                Assert.Equal(tie.Rhythm, other.Rhythm);
                Assert.Equal(tie.Reciprocity.Sent, other.Reciprocity.Sent);
                Assert.Equal(tie.Reciprocity.Received, other.Reciprocity.Received);
            }
        });

    [Fact]
    public void Score_MailAndMeetingsInAnyOrder_SameScoresAndTiers() =>
        Gen.Select(MailboxGen.Mailbox, MailboxGen.Meetings, Gen.Int).Sample((messages, meetings, seed) =>
        {
            var items = messages.Cast<object>().Concat(meetings).ToArray();
            new Random(seed).Shuffle(items);
            var anyOrder = new TieLedger(MailboxGen.Owner);
            foreach (var item in items)
            {
                if (item is MailMessage message)
                {
                    anyOrder.Add(message);
                }
                else
                {
                    anyOrder.Add((Meeting)item);
                }
            }

            var inOrder = ByContact(TieLedger.Build(MailboxGen.Owner, messages, meetings), _asOf);
            var shuffled = ByContact(anyOrder, _asOf);
            Assert.Equal(inOrder.Keys.Order(), shuffled.Keys.Order());
            foreach (var (contact, tie) in inOrder)
            {
                Assert.True(Close(tie.Score, shuffled[contact].Score), $"{contact}: {tie.Score} vs {shuffled[contact].Score}");
                Assert.Equal(tie.Tier, shuffled[contact].Tier);
                Assert.Equal(tie.Reciprocity.InvitationsAccepted, shuffled[contact].Reciprocity.InvitationsAccepted);
            }
        });

    [Fact]
    public void ScoreTiers_AnyMailboxAndDate_SameScoresAndTiersAsScore() =>
        // The evaluator's light path must give exactly what Score gives the product, bit for bit.
        Gen.Select(MailboxGen.Mailbox, Gen.Int[0, 560]).Sample((messages, day) =>
        {
            var ledger = TieLedger.Build(MailboxGen.Owner, messages);
            var asOf = MailboxGen.Start.AddDays(day);
            var ties = ByContact(ledger, asOf);
            var (scores, tiers) = ledger.ScoreTiers(asOf);
            Assert.Equal(ledger.ContactCount, scores.Length);
            Assert.Equal(ledger.ContactCount, tiers.Length);
            for (var i = 0; i < scores.Length; i++)
            {
                var tie = ties[ledger.Contacts[i]];
                Assert.Equal(BitConverter.DoubleToInt64Bits(tie.Score), BitConverter.DoubleToInt64Bits(scores[i]));
                Assert.Equal(tie.Tier, tiers[i]);
            }
        });

    [Fact]
    public void Score_IncrementalSyncsWithStorageBetween_EqualsBatch() =>
        Gen.Select(MailboxGen.Mailbox, Gen.Int[1, 5]).Sample((messages, chunks) =>
        {
            var ordered = messages.OrderBy(m => m.SentAt).ThenBy(m => m.Id, StringComparer.Ordinal).ToArray();
            var batch = TieLedger.Build(MailboxGen.Owner, messages).Score(_asOf);
            var ledger = new TieLedger(MailboxGen.Owner);
            var size = (ordered.Length + chunks - 1) / chunks;
            foreach (var chunk in ordered.Chunk(size))
            {
                ledger = TieLedger.Deserialize(ledger.Serialize());
                ledger.AddRange(chunk);
            }

            Assert.Equal(batch, ledger.Score(_asOf));
        });

    [Fact]
    public void Add_SameItemsTwice_IsIdempotent() =>
        MailboxGen.Mailbox.Sample(messages =>
        {
            var once = Feed(messages);
            var twice = Feed(messages.Concat(messages));
            Assert.Equal(once.ItemCount, twice.ItemCount);
            Assert.Equal(once.Score(_asOf), twice.Score(_asOf));
        });

    [Fact]
    public void AddRange_List_GivesTheSameLedgerAsAddingOneByOne() =>
        MailboxGen.Mailbox.Sample(messages =>
        {
            var one = new TieLedger(MailboxGen.Owner);
            foreach (var message in messages)
            {
                one.Add(message);
            }

            var range = new TieLedger(MailboxGen.Owner);
            Assert.Equal(one.ItemCount, range.AddRange(messages.ToArray()));
            Assert.Equal(one.Serialize(), range.Serialize());
        });

    [Fact]
    public void Score_AddingReciprocatedExchange_NeverLowersTheContactsScore() =>
        Gen.Select(MailboxGen.Mailbox, Gen.Int[0, 5], Gen.Int[0, 519]).Sample((messages, contactIndex, day) =>
        {
            var contact = MailboxGen.ContactAddress(contactIndex);
            var at = MailboxGen.Start.AddDays(day);
            var before = ByContact(TieLedger.Build(MailboxGen.Owner, messages), _asOf);
            var exchange = new[]
            {
                MailboxGen.Mail("x-out", MailboxGen.Owner, [contact], at),
                MailboxGen.Mail("x-in", contact, [MailboxGen.Owner], at.AddHours(2)),
            };
            var after = ByContact(TieLedger.Build(MailboxGen.Owner, messages.Concat(exchange)), _asOf);
            var old = before.TryGetValue(contact, out var tie) ? tie.Score : 0;
            Assert.True(after[contact].Score >= old - 1e-12, $"{old} -> {after[contact].Score}");
            Assert.NotEqual(TieTier.Pseudo, after[contact].Tier);
        });

    [Fact]
    public void Score_LaterDateWithNothingNew_OnlyDecays() =>
        Gen.Select(MailboxGen.Mailbox, Gen.Int[1, 2000]).Sample((messages, laterDays) =>
        {
            var ledger = TieLedger.Build(MailboxGen.Owner, messages);
            var now = ByContact(ledger, _asOf);
            var later = ByContact(ledger, _asOf.AddDays(laterDays));
            foreach (var (contact, tie) in now)
            {
                Assert.True(later[contact].Score <= tie.Score + 1e-12, $"{contact}: {tie.Score} -> {later[contact].Score}");
            }
        });

    [Fact]
    public void Score_PseudoTier_ExactlyWhenNoTwoWayExchangeEver() =>
        MailboxGen.Mailbox.Sample(messages =>
        {
            // Broadcasts (more than 15 on a message) are context, not exchange.
            var exchanges = messages.Where(m => m.To.Count <= TieModel.BroadcastAudience).ToList();
            var sentTo = exchanges.Where(m => m.From == MailboxGen.Owner).SelectMany(m => m.To).ToHashSet(StringComparer.Ordinal);
            var heardFrom = exchanges.Where(m => m.To.Contains(MailboxGen.Owner)).Select(m => m.From).ToHashSet(StringComparer.Ordinal);
            foreach (var tie in TieLedger.Build(MailboxGen.Owner, messages).Score(_asOf))
            {
                var twoWay = sentTo.Contains(tie.Contact) && heardFrom.Contains(tie.Contact);
                Assert.Equal(!twoWay, tie.Tier == TieTier.Pseudo);
            }
        });

    [Fact]
    public void Deserialize_SerializedLedger_ScoresTheSameAndKeepsTakingItems() =>
        Gen.Select(MailboxGen.Mailbox, MailboxGen.Mailbox).Sample((first, second) =>
        {
            var later = second.Select(m => m with { Id = "later-" + m.Id }).ToArray();
            var original = TieLedger.Build(MailboxGen.Owner, first);
            var restored = TieLedger.Deserialize(original.Serialize());
            Assert.Equal(original.ItemCount, restored.ItemCount);
            Assert.Equal(original.Owner, restored.Owner);
            Assert.Equal(original.Score(_asOf), restored.Score(_asOf));
            Assert.Equal(original.AddRange(later.Concat(first)), restored.AddRange(later.Concat(first)));
            Assert.Equal(original.Score(_asOf.AddDays(30)), restored.Score(_asOf.AddDays(30)));
        });
}
