namespace TiesOffice.Application.Tests;

public sealed class UserPseudonymTests
{
    [Fact]
    public void Of_SameUser_SameTwelveHexDigitsThatNameNoId()
    {
        var user = new UserKey("contoso-tenant", "ada@contoso.example");

        var pseudonym = UserPseudonym.Of(user);

        Assert.Equal(pseudonym, UserPseudonym.Of(new UserKey("contoso-tenant", "ada@contoso.example")));
        Assert.Matches("^[0-9a-f]{12}$", pseudonym);
        Assert.DoesNotContain("ada", pseudonym, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Of_SameUserIdInAnotherTenant_AnotherPseudonym()
    {
        Assert.NotEqual(UserPseudonym.Of(new UserKey("t1", "u")), UserPseudonym.Of(new UserKey("t2", "u")));

        // The separator cannot be forged by moving characters between tenant and user id.
        Assert.NotEqual(UserPseudonym.Of(new UserKey("ab", "c")), UserPseudonym.Of(new UserKey("a", "bc")));
    }

    [Fact]
    public void UseKey_ShortSecret_Refused()
    {
        Assert.Throws<ArgumentException>(() => UserPseudonym.UseKey("short"));
    }
}
