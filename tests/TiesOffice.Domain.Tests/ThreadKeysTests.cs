using TiesOffice.Domain.Ties;

namespace TiesOffice.Domain.Tests;

public class ThreadKeysTests
{
    [Theory]
    [InlineData("Re: Budget  plan", "budget plan")]
    [InlineData("FW: RE: budget plan", "Budget plan")]
    [InlineData("AW: Fwd: budget plan", "budget plan")]
    [InlineData("Re[2]: budget plan", "budget plan")]
    public void Of_ReplyAndForwardPrefixes_GiveTheSameKey(string reply, string original) =>
        Assert.Equal(ThreadKeys.Of(null, original), ThreadKeys.Of(null, reply));

    [Fact]
    public void Of_DifferentSubjects_GiveDifferentKeys() =>
        Assert.NotEqual(ThreadKeys.Of(null, "budget plan"), ThreadKeys.Of(null, "budget plans"));

    [Fact]
    public void Of_ConversationId_WinsOverSubject() =>
        Assert.Equal(ThreadKeys.Of("conv-1", "one"), ThreadKeys.Of("conv-1", "two"));

    [Theory]
    [InlineData(null, null)]
    [InlineData("", "  ")]
    [InlineData(null, "Re:")]
    public void Of_NoThreadInformation_IsZero(string? conversation, string? subject) =>
        Assert.Equal(0UL, ThreadKeys.Of(conversation, subject));
}
