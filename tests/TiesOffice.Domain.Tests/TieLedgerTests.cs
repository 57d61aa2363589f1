using System.Text;
using TiesOffice.Domain.Metadata;
using TiesOffice.Domain.Ties;

namespace TiesOffice.Domain.Tests;

public class TieLedgerTests
{
    private const string Owner = "owner@contoso.com";
    private static readonly DateTimeOffset _t0 = new(2024, 3, 4, 9, 0, 0, TimeSpan.Zero);

    private static MailMessage Mail(string id, string from, string[] to, DateTimeOffset at, string? subject = null, string? conversation = null) =>
        MailboxGen.Mail(id, from, to, at, subject, conversation);

    [Fact]
    public void Add_MessageOutsideTheMailbox_IsIgnored()
    {
        var ledger = new TieLedger(Owner);
        Assert.False(ledger.Add(Mail("m1", "a@contoso.com", ["b@contoso.com"], _t0)));
        Assert.Equal(0, ledger.ItemCount);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(400)]
    public void Add_MessagesListingEveryRecipientTwice_SameAsListingEachOnce(int recipients)
    {
        // Small messages and large ones (an all-company list) find repeated recipients in different ways. A repeat
        // counted twice would change the audience size, and with it the weight every recipient and the sender get.
        var everybody = Enumerable.Range(0, recipients).Select(i => $"p{i}@contoso.com").ToArray();
        TieLedger Feed(bool twice, int messages)
        {
            var ledger = new TieLedger(Owner);
            for (var m = 0; m < messages; m++)
            {
                var at = _t0.AddDays(m);
                var sent = Mail($"s{m}", Owner, everybody, at);
                var received = Mail($"r{m}", "boss@contoso.com", [Owner, .. everybody], at.AddHours(1));
                ledger.Add(twice ? sent with { Cc = everybody } : sent);
                ledger.Add(twice ? received with { Cc = everybody } : received);
            }

            return ledger;
        }

        var asOf = _t0.AddDays(3);
        var once = Feed(twice: false, messages: 2);
        var twice = Feed(twice: true, messages: 2);
        Assert.Equal(recipients + 1, twice.ContactCount);
        Assert.Equal(once.Contacts, twice.Contacts);
        Assert.Equal(once.ComputeFeatures(asOf), twice.ComputeFeatures(asOf));

        // Each message counts its recipients anew.
        var first = Feed(twice: true, messages: 1).ComputeFeatures(asOf);
        var both = twice.ComputeFeatures(asOf);
        Assert.All(Enumerable.Range(0, first.Length), i => Assert.True(both[i].Co + both[i].Out + both[i].In > first[i].Co + first[i].Out + first[i].In));
    }

    [Theory]
    [InlineData("")]
    [InlineData("two words")]
    [InlineData("Ann <ann@contoso.com>")]
    [InlineData("a@contoso.com;b@contoso.com")]
    public void Constructor_NeitherAnAddressNorAPersonId_Throws(string owner) =>
        Assert.Throws<ArgumentException>(() => new TieLedger(owner));

    [Fact]
    public void Constructor_PseudonymisedPersonId_IsTheOwner() =>
        Assert.Equal("u17", new TieLedger(" U17 ").Owner);

    [Fact]
    public void Score_ReplyBySubject_RecordsTheirReplyTime()
    {
        var ledger = new TieLedger(Owner);
        ledger.Add(Mail("m1", Owner, ["ann@contoso.com"], _t0, "Budget"));
        ledger.Add(Mail("m2", "ann@contoso.com", [Owner], _t0.AddHours(3), "RE: budget"));
        var tie = Assert.Single(ledger.Score(_t0.AddDays(1)));
        Assert.Equal(1.0, tie.Reciprocity.TheirReplyRate);
        Assert.Equal(3, tie.Reciprocity.TheirReplyTime!.Value.TotalHours, 3);
        Assert.Contains("they usually reply within 3 h", tie.Why.ToSentence(), StringComparison.Ordinal);
    }

    [Fact]
    public void Score_NoSubjectsOrConversations_StillPairsReplies()
    {
        var ledger = new TieLedger(Owner);
        ledger.Add(Mail("m1", Owner, ["ann@contoso.com"], _t0));
        ledger.Add(Mail("m2", "ann@contoso.com", [Owner], _t0.AddHours(5)));
        var tie = Assert.Single(ledger.Score(_t0.AddDays(1)));
        Assert.Equal(5, tie.Reciprocity.TheirReplyTime!.Value.TotalHours, 3);
    }

    [Fact]
    public void Serialize_NeverContainsSubjects()
    {
        var ledger = new TieLedger(Owner);
        ledger.Add(Mail("m1", Owner, ["ann@contoso.com"], _t0, "Secret merger plans"));
        var bytes = ledger.Serialize();
        Assert.DoesNotContain("merger", Encoding.UTF8.GetString(bytes), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Deserialize_CorruptOrTruncatedData_ThrowsArgumentException()
    {
        var ledger = new TieLedger(Owner);
        ledger.Add(Mail("m1", Owner, ["ann@contoso.com"], _t0));
        var bytes = ledger.Serialize();
        Assert.Throws<ArgumentException>(() => TieLedger.Deserialize(bytes[..^3]));
        Assert.Throws<ArgumentException>(() => TieLedger.Deserialize([1, 2, 3, 4, 5, 6]));
    }

    [Fact]
    public void Score_NoReplySender_IsAutomatedAndPseudo()
    {
        var ledger = new TieLedger(Owner);
        ledger.Add(Mail("m1", "no-reply@service.com", [Owner], _t0));
        ledger.Add(Mail("m2", Owner, ["no-reply@service.com"], _t0.AddHours(1)));
        var tie = Assert.Single(ledger.Score(_t0.AddDays(1)));
        Assert.True(tie.IsAutomated);
        Assert.Equal(TieTier.Pseudo, tie.Tier);
        Assert.Equal(0, tie.Score);
    }

    [Fact]
    public void Score_OverrideTier_WinsOverInference()
    {
        var ledger = new TieLedger(Owner);
        ledger.Add(Mail("m1", "ann@contoso.com", [Owner], _t0));
        var tie = Assert.Single(ledger.Score(_t0.AddDays(1), [new ContactOverride("ANN@contoso.com", Tier: TieTier.Weak)]));
        Assert.Equal(TieTier.Weak, tie.Tier);
        Assert.True(tie.IsOverridden);
    }

    [Fact]
    public void Score_LongSilenceAfterRegularExchanges_IsDormant()
    {
        var ledger = new TieLedger(Owner);
        for (var week = 0; week < 10; week++)
        {
            ledger.Add(Mail($"o{week}", Owner, ["ann@contoso.com"], _t0.AddDays(7 * week)));
            ledger.Add(Mail($"i{week}", "ann@contoso.com", [Owner], _t0.AddDays((7 * week) + 1)));
        }

        Assert.Equal(TieTier.Strong, ledger.Score(_t0.AddDays(70)).Single().Tier);
        var quiet = ledger.Score(_t0.AddDays(64 + (9 * 7))).Single();
        Assert.Equal(TieTier.Dormant, quiet.Tier);
        Assert.StartsWith("dormant: quiet for", quiet.Why.ToSentence(), StringComparison.Ordinal);
    }

    [Fact]
    public void Score_StrongTies_AreCappedPerOwner()
    {
        var ledger = new TieLedger(Owner);
        for (var c = 0; c < TieModel.StrongCap + 5; c++)
        {
            for (var week = 0; week < 8; week++)
            {
                ledger.Add(Mail($"o{c}-{week}", Owner, [$"c{c}@contoso.com"], _t0.AddDays(7 * week)));
                ledger.Add(Mail($"i{c}-{week}", $"c{c}@contoso.com", [Owner], _t0.AddDays((7 * week) + 1)));
            }
        }

        var ties = ledger.Score(_t0.AddDays(56));
        Assert.Equal(TieModel.StrongCap, ties.Count(t => t.Tier == TieTier.Strong));
    }

    [Fact]
    public void Add_OneToOneMeetingBothAccepted_IsTwoWayAndPersonal()
    {
        var ledger = new TieLedger(Owner);
        var meeting = new Meeting(
            "e1",
            Owner,
            [new MeetingAttendee("ann@contoso.com", AttendeeType.Required, AttendeeResponse.Accepted)],
            _t0,
            _t0.AddMinutes(30),
            IsCancelled: false,
            IsAllDay: false,
            ShowAs.Busy,
            MeetingKind.SingleInstance,
            SeriesMasterId: null,
            IsOnline: true);
        Assert.Equal(MeetingIntake.Added, ledger.Add(meeting));
        var tie = Assert.Single(ledger.Score(_t0.AddDays(1)));
        Assert.NotEqual(TieTier.Pseudo, tie.Tier);
        Assert.Equal(PortabilityClass.Personal, tie.Portability.Class);
        Assert.Equal(1.0, tie.Reciprocity.InvitationsAccepted);
    }

    [Fact]
    public void Add_MeetingsItRefuses_SaysWhyAndTakesNothingIn()
    {
        static Meeting Meet(string id, AttendeeResponse owner, bool cancelled = false, MeetingKind kind = MeetingKind.SingleInstance) => new(
            id,
            "ann@contoso.com",
            [new MeetingAttendee(Owner, AttendeeType.Required, owner)],
            _t0,
            _t0.AddMinutes(30),
            cancelled,
            IsAllDay: false,
            ShowAs.Busy,
            kind,
            SeriesMasterId: null,
            IsOnline: false);
        var ledger = new TieLedger(Owner);

        Assert.Equal(MeetingIntake.Cancelled, ledger.Add(Meet("new-cancelled", AttendeeResponse.Accepted, cancelled: true)));
        Assert.Equal(MeetingIntake.SeriesMaster, ledger.Add(Meet("master", AttendeeResponse.Accepted, kind: MeetingKind.SeriesMaster)));
        Assert.Equal(MeetingIntake.OwnerNotAttending, ledger.Add(Meet("declined", AttendeeResponse.Declined)));
        Assert.Equal(0, ledger.ItemCount);
        Assert.Empty(ledger.Contacts);

        // A meeting taken in and then cancelled or declined is a change the ledger cannot apply: it says it holds it.
        Assert.Equal(MeetingIntake.Added, ledger.Add(Meet("known", AttendeeResponse.Accepted)));
        Assert.Equal(MeetingIntake.AlreadySeen, ledger.Add(Meet("known", AttendeeResponse.Accepted, cancelled: true)));
        Assert.Equal(MeetingIntake.AlreadySeen, ledger.Add(Meet("known", AttendeeResponse.Declined)));
        Assert.Equal(1, ledger.ItemCount);
    }

    [Fact]
    public void Add_MeetingWithManyNewAttendees_InternsEveryoneWhileTheContactTableGrows()
    {
        // Regression: the contact table grows while a meeting's attendees are interned; every one must land.
        var ledger = new TieLedger(Owner);
        var attendees = Enumerable.Range(0, 40)
            .Select(i => new MeetingAttendee($"person{i}@contoso.com", AttendeeType.Required, AttendeeResponse.Accepted))
            .ToList();
        var meeting = new Meeting("e-big", Owner, attendees, _t0, _t0.AddHours(1), false, false, ShowAs.Busy, MeetingKind.SingleInstance, null, false);

        Assert.Equal(MeetingIntake.Added, ledger.Add(meeting));
        Assert.Equal(40, ledger.ContactCount);
        Assert.Equal(40, ledger.Score(_t0.AddDays(1)).Count);
    }

    [Fact]
    public void Add_ContactsSeenOnlyOnBroadcasts_AreKeptCompactUntilTheirFirstDirectExchange()
    {
        var everyone = Enumerable.Range(0, 30).Select(i => $"p{i}@contoso.com").ToArray();
        MailMessage[] messages =
        [
            Mail("b1", "ceo@contoso.com", [Owner, .. everyone], _t0),
            Mail("b2", Owner, everyone, _t0.AddDays(3)),
            Mail("d1", Owner, ["p7@contoso.com"], _t0.AddDays(5)),
            Mail("d2", "p7@contoso.com", [Owner], _t0.AddDays(6)),
        ];
        var ledger = new TieLedger(Owner);

        ledger.AddRange(messages[..2]);
        Assert.Equal(31, ledger.ContactCount);
        Assert.Equal(31, ledger.CoPresentContactCount);

        ledger.AddRange(messages[2..]);
        Assert.Equal(31, ledger.ContactCount);
        Assert.Equal(30, ledger.CoPresentContactCount);

        // The same mail with the direct exchange first: the contact never was compact, and every tie is the same.
        var directFirst = new TieLedger(Owner);
        directFirst.AddRange([.. messages[2..], .. messages[..2]]);
        var asOf = _t0.AddDays(10);
        Assert.Equal(directFirst.Score(asOf), ledger.Score(asOf));
        var p7 = ledger.Score(asOf).Single(t => t.Contact == "p7@contoso.com");
        Assert.Equal(TieTier.Weak, p7.Tier);
        Assert.True(ledger.Score(asOf).Single(t => t.Contact == "p8@contoso.com").Score > 0);
    }

    [Fact]
    public void Serialize_CompactContacts_RestoreCompactAndScoreTheSame()
    {
        var ledger = new TieLedger(Owner);
        ledger.AddRange(
        [
            Mail("b1", "ceo@contoso.com", [Owner, .. Enumerable.Range(0, 20).Select(i => $"p{i}@contoso.com")], _t0, "All hands"),
            Mail("d1", Owner, ["ann@contoso.com"], _t0.AddDays(1), "Budget"),
            Mail("d2", "ann@contoso.com", [Owner, "p3@contoso.com"], _t0.AddDays(2), "RE: Budget"),
        ]);

        var restored = TieLedger.Deserialize(ledger.Serialize());

        Assert.Equal(ledger.CoPresentContactCount, restored.CoPresentContactCount);
        Assert.Equal(ledger.Contacts, restored.Contacts);
        Assert.Equal(ledger.Score(_t0.AddDays(7)), restored.Score(_t0.AddDays(7)));
        Assert.Equal(ledger.Serialize(), restored.Serialize());

        // A reply in the restored ledger still finds its thread's last sender (thread states name contacts by id).
        var reply = Mail("d3", Owner, ["ann@contoso.com"], _t0.AddDays(2).AddHours(2), "RE: Budget");
        ledger.Add(reply);
        restored.Add(reply);
        Assert.Equal(ledger.Score(_t0.AddDays(7)), restored.Score(_t0.AddDays(7)));
        Assert.NotNull(restored.Score(_t0.AddDays(7)).Single(t => t.Contact == "ann@contoso.com").Reciprocity.OwnerReplyTime);
    }

    [Fact]
    public void Add_SmallMeetingsWithNewAttendees_MoveEveryoneToAFullRecordWhileTheTableGrows()
    {
        // Regression: a small meeting moves each new attendee into a full aggregate, which grows the array while the
        // meeting's loop holds a place in it. Three meetings of ten new people each cross its first size (16).
        var ledger = new TieLedger(Owner);
        for (var m = 0; m < 3; m++)
        {
            var attendees = Enumerable.Range(0, 10)
                .Select(i => new MeetingAttendee($"m{m}p{i}@contoso.com", AttendeeType.Required, AttendeeResponse.Accepted))
                .Append(new MeetingAttendee(Owner, AttendeeType.Required, AttendeeResponse.Accepted))
                .ToList();
            var at = _t0.AddDays(m);
            Assert.Equal(MeetingIntake.Added, ledger.Add(new Meeting($"e{m}", $"m{m}p0@contoso.com", attendees, at, at.AddHours(1), false, false, ShowAs.Busy, MeetingKind.SingleInstance, null, false)));
        }

        var ties = ledger.Score(_t0.AddDays(7));
        Assert.Equal(30, ties.Count);
        Assert.Equal(0, ledger.CoPresentContactCount);
        Assert.All(ties, t => Assert.NotEqual(TieTier.Pseudo, t.Tier));
    }

    [Fact]
    public void Add_MeetingTheContactDeclined_IsNoExchange()
    {
        var ledger = new TieLedger(Owner);
        var meeting = new Meeting(
            "e1",
            Owner,
            [new MeetingAttendee("ann@contoso.com", AttendeeType.Required, AttendeeResponse.Declined)],
            _t0,
            _t0.AddMinutes(30),
            false,
            false,
            ShowAs.Busy,
            MeetingKind.SingleInstance,
            null,
            false);
        ledger.Add(meeting);
        var tie = Assert.Single(ledger.Score(_t0.AddDays(1)));
        Assert.Equal(TieTier.Pseudo, tie.Tier);
        Assert.Equal(0.0, tie.Reciprocity.InvitationsAccepted);
    }

    [Fact]
    public void Score_GroupThreadsOnly_IsPositionBased()
    {
        var ledger = new TieLedger(Owner);
        for (var i = 0; i < 4; i++)
        {
            ledger.Add(Mail($"o{i}", Owner, ["ann@contoso.com", "bob@contoso.com", "cy@contoso.com"], _t0.AddDays(i)));
            ledger.Add(Mail($"i{i}", "ann@contoso.com", [Owner, "bob@contoso.com"], _t0.AddDays(i).AddHours(1)));
        }

        var ann = ledger.Score(_t0.AddDays(5)).Single(t => t.Contact == "ann@contoso.com");
        Assert.Equal(PortabilityClass.PositionBased, ann.Portability.Class);
    }

    [Fact]
    public void Score_SmallMeetingTheContactOnlyTentativelyAccepted_CountsAsSeenForStillAlive()
    {
        // Regression: only large meetings and two-way ones moved the "last seen" time the still-alive factor reads.
        var ledger = new TieLedger(Owner);
        ledger.Add(Mail("m1", Owner, ["ann@contoso.com"], _t0));
        ledger.Add(Mail("m2", "ann@contoso.com", [Owner], _t0.AddHours(1)));
        var meetingAt = _t0.AddDays(100);
        ledger.Add(new Meeting(
            "e1",
            Owner,
            [
                new MeetingAttendee("ann@contoso.com", AttendeeType.Required, AttendeeResponse.TentativelyAccepted),
                new MeetingAttendee("bob@contoso.com", AttendeeType.Required, AttendeeResponse.Accepted),
            ],
            meetingAt,
            meetingAt.AddMinutes(30),
            false,
            false,
            ShowAs.Busy,
            MeetingKind.SingleInstance,
            null,
            false));

        var features = ledger.ComputeFeatures(meetingAt.AddDays(1));
        var ann = features[ledger.Contacts.ToList().IndexOf("ann@contoso.com")];
        Assert.Equal(1, ann.DaysSinceSeen, 3);
        Assert.Equal(101 - (1.0 / 24), ann.DaysSinceDirect!.Value, 3);
    }

    [Fact]
    public void Score_BusyButOneSidedTie_IsWeakAndSaysWhy()
    {
        // Two-way every week for two months, but lately almost only they write: frequent and recent, not balanced.
        var ledger = new TieLedger(Owner);
        for (var week = 0; week < 8; week++)
        {
            var at = _t0.AddDays(7 * week);
            ledger.Add(Mail($"o{week}", Owner, ["ann@contoso.com"], at));
            for (var k = 0; k < 12; k++)
            {
                ledger.Add(Mail($"i{week}-{k}", "ann@contoso.com", [Owner], at.AddHours(1 + k)));
            }
        }

        var tie = Assert.Single(ledger.Score(_t0.AddDays(7 * 8)));
        Assert.Equal(TieTier.Weak, tie.Tier);
        Assert.StartsWith("weak: mostly them writing lately", tie.Why.ToSentence(), StringComparison.Ordinal);
    }
}
