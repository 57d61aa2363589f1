using TiesOffice.Domain.Metadata;

namespace TiesOffice.Domain.Tests;

public class MailAddressTests
{
    [Theory]
    [InlineData(" Jane.Doe@Contoso.COM ", "jane.doe@contoso.com")]
    [InlineData(null, "")]
    [InlineData("   ", "")]
    public void Normalize_TrimsAndLowerCases(string? input, string expected) =>
        Assert.Equal(expected, MailAddress.Normalize(input));

    [Theory]
    [InlineData("a@b", true)]
    [InlineData("@b", false)]
    [InlineData("a@", false)]
    [InlineData("a@b@c", false)]
    [InlineData("a b@c", false)]
    public void IsPlausible_RecognisesAddresses(string input, bool expected) =>
        Assert.Equal(expected, MailAddress.IsPlausible(input));
}
