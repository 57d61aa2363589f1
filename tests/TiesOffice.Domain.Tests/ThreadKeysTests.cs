using CsCheck;
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

    // The hash of a subject with no prefixes, written the general way (culture-invariant lower case, Unicode white
    // space folded to one space): the ASCII fast path must give the same keys, or stored thread keys would change.
    [Fact]
    public void Of_Subjects_HashAsTheGeneralFoldingDoes() =>
        Gen.String[Gen.Char["aZ 9\t\r\n_-\u00a0\u00c4\u00e9\u2003\u0085x.Q"], 1, 30].Sample(text =>
        {
            var subject = "s" + text;
            const ulong prime = 1099511628211UL;
            var hash = 14695981039346656037UL;
            var pendingSpace = false;
            foreach (var c in subject.AsSpan().Trim())
            {
                if (char.IsWhiteSpace(c))
                {
                    pendingSpace = true;
                    continue;
                }

                if (pendingSpace)
                {
                    hash = (hash ^ ' ') * prime;
                    pendingSpace = false;
                }

                hash = (hash ^ char.ToLowerInvariant(c)) * prime;
            }

            Assert.Equal(hash == 0 ? 1 : hash, ThreadKeys.Of(null, subject));
        });
}
