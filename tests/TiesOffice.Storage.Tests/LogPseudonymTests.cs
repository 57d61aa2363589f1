using TiesOffice.Application;
using TiesOffice.Infrastructure.Storage;

namespace TiesOffice.Storage.Tests;

public sealed class LogPseudonymTests
{
    [Fact]
    public void UserRef_NamesTheUserAsTheApplicationDoes()
    {
        var user = new UserKey("tenant-" + Guid.NewGuid().ToString("N"), "user|with/odd#chars");

        Assert.Equal(UserPseudonym.Of(user), new UserRef(user).ToString());
        Assert.Equal(UserPseudonym.Of(user), UserPartition.LogRef(user).ToString());
    }
}
