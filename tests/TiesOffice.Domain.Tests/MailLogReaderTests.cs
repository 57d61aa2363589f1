using TiesOffice.Domain.MailLog;

namespace TiesOffice.Domain.Tests;

public class MailLogReaderTests
{
    private const string Header = "id\tsent_utc\tfrom\tto\tcc\tsubject\tconversation";

    private static List<Domain.Metadata.MailMessage> Read(string text) =>
        MailLogReader.ReadMessages(new StringReader(text), "messages.tsv").ToList();

    [Fact]
    public void ReadMessages_ParsesRecipientsTimesAndThreads()
    {
        var messages = Read(Header + "\nm1\t2001-04-01T09:30:00Z\tA@x.com\tb@x.com, c@x.com\td@x.com\tRe: plan\tconv-1\n");

        var message = Assert.Single(messages);
        Assert.Equal("a@x.com", message.From);
        Assert.Equal(["b@x.com", "c@x.com"], message.To);
        Assert.Equal(["d@x.com"], message.Cc);
        Assert.Equal(new DateTimeOffset(2001, 4, 1, 9, 30, 0, TimeSpan.Zero), message.SentAt);
        Assert.Equal("conv-1", message.ConversationId);
        Assert.Equal("Re: plan", message.Subject);
    }

    [Fact]
    public void ReadMessages_AcceptsColumnsInAnyOrderAndEmptyOptionalColumns()
    {
        var messages = Read("to\tfrom\tsent_utc\tid\nb@x.com\ta@x.com\t2001-04-01T09:30:00Z\tm1\n");

        var message = Assert.Single(messages);
        Assert.Null(message.Subject);
        Assert.Null(message.ConversationId);
    }

    [Theory]
    [InlineData("2001-04-01T09:30:00Z")]
    [InlineData("2001-04-01T09:30:00.0000000Z")]
    [InlineData("2001-04-01T11:30:00+02:00")]
    [InlineData("2001-04-01T04:30:00.000-05:00")]
    public void ReadMessages_TimesWithAZoneOrOffset_AreTheSameUtcInstant(string sent)
    {
        var message = Assert.Single(Read($"{Header}\nm1\t{sent}\ta@x.com\tb@x.com\t\t\t\n"));

        Assert.Equal(new DateTimeOffset(2001, 4, 1, 9, 30, 0, TimeSpan.Zero), message.SentAt);
        Assert.Equal(TimeSpan.Zero, message.SentAt.Offset);
    }

    [Theory]
    [InlineData("2001-04-01T09:30:00")]
    [InlineData("2001-04-01 09:30:00")]
    public void ReadMessages_TimeWithoutAZone_IsRefusedWithAHint(string sent)
    {
        var error = Assert.Throws<MailLogException>(() => Read($"{Header}\nm1\t{sent}\ta@x.com\tb@x.com\t\t\t\n"));

        Assert.StartsWith($"messages.tsv:2: '{sent}' in column 'sent_utc'", error.Message, StringComparison.Ordinal);
        Assert.Contains("It has no time zone", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "messages.tsv: the file is empty")]
    [InlineData("id\tfrom\tto\n", "messages.tsv:1: missing column 'sent_utc'")]
    [InlineData(Header + "\n", "messages.tsv: the file has a header but no messages.")]
    [InlineData(Header + "\nm1\t2001-13-01T00:00:00Z\ta@x.com\tb@x.com\t\t\t\n", "messages.tsv:2: '2001-13-01T00:00:00Z' in column 'sent_utc'")]
    [InlineData(Header + "\nm1\t2001-01-01T00:00:00Z\tnobody\tb@x.com\t\t\t\n", "messages.tsv:2: 'nobody' in column 'from'")]
    [InlineData(Header + "\nm1\t2001-01-01T00:00:00Z\ta@x.com\t\t\t\t\n", "messages.tsv:2: the message has no recipients")]
    [InlineData(Header + "\nm1\t2001-01-01T00:00:00Z\ta@x.com\tb@x.com; c@x.com\t\t\t\n", "messages.tsv:2: 'b@x.com; c@x.com' in column 'to' is not a mail address. Separate addresses with commas, not semicolons.")]
    [InlineData(Header + "\nm1\t2001-01-01T00:00:00Z\ta@x.com\t\tAnn <b@x.com>\t\t\n", "messages.tsv:2: 'Ann <b@x.com>' in column 'cc' is not a mail address. Give the bare address, without a display name.")]
    [InlineData(Header + "\nm1\t2001-01-01T00:00:00Z\ta@x.com\tb@x.com\t\t\t\nm1\t2001-01-01T00:00:00Z\ta@x.com\tb@x.com\t\t\t\n", "messages.tsv:3: message id 'm1' appears twice.")]
    [InlineData(Header + "\nm1\t2001-01-01T00:00:00Z\tu1\tu2\t\t\t\nm2\t2001-01-01T00:00:00Z\tu1\tAnn Lee\t\t\t\n", "messages.tsv:3: 'Ann Lee' in column 'to' is not a person id")]
    [InlineData(Header + "\nm1\t2001-01-01T00:00:00Z\ta@x.com\tb@x.com\t\t\t\nm2\t2001-01-01T00:00:00Z\tu1\tb@x.com\t\t\t\n", "messages.tsv:3: 'u1' in column 'from' is not a mail address.")]
    public void ReadMessages_RejectsBadInputNamingFileAndLine(string text, string expectedStart)
    {
        var error = Assert.Throws<MailLogException>(() => Read(text));
        Assert.StartsWith(expectedStart, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadMessages_RepeatedAddresses_ShareOneString()
    {
        // A large log repeats every address thousands of times; one string per address keeps its memory small.
        var messages = Read(Header + "\nm1\t2001-04-01T09:30:00Z\tA@x.com\tb@x.com\t\t\t\nm2\t2001-04-01T10:30:00Z\tb@x.com\ta@x.com\t\t\t\n");

        Assert.Same(messages[0].From, messages[1].To[0]);
        Assert.Same(messages[0].To[0], messages[1].From);
    }

    [Fact]
    public void ReadMessages_PseudonymisedLog_NamesPeopleByTheirIds()
    {
        var messages = Read(Header + "\nm1\t2001-04-01T09:30:00Z\tU1\tu2, u3\t\t\t\nm2\t2001-04-01T10:30:00Z\tu2\tu1\t\t\t\n");

        Assert.Equal(["u1", "u2"], messages.Select(m => m.From));
        Assert.Equal(["u2", "u3"], messages[0].To);
    }

    [Fact]
    public void ReadPeople_RejectsDuplicateAddresses()
    {
        var text = "address\tdisplay_name\na@x.com\tA\nA@x.com\tA again\n";
        var error = Assert.Throws<MailLogException>(() => MailLogReader.ReadPeople(new StringReader(text), "people.tsv"));
        Assert.Equal(3, error.Line);
    }

    [Fact]
    public void ReadMessages_ReadsTheWholeEnronLog()
    {
        var path = Path.Combine(TestPaths.SharedData, "enron", "messages.tsv");
        using var reader = new StreamReader(path);
        var messages = MailLogReader.ReadMessages(reader, path).ToList();
        Assert.Equal(21_635, messages.Count);
    }
}
