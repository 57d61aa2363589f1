namespace TiesOffice.Cli.Tests;

public class CliSmokeTests
{
    [Fact]
    public void Assembly_Loads() => Assert.NotNull(typeof(Program).Assembly);
}
