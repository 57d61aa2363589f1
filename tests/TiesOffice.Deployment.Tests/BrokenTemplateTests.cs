namespace TiesOffice.Deployment.Tests;

/// <summary>Proves the template tests can fail: the same CLI rejects a broken copy of infra/main.bicep.</summary>
public sealed class BrokenTemplateTests : IDisposable
{
    // A sibling folder of infra/ would miss bicepconfig.json; a temp folder gets a copy of it too.
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("ties-bicep-");

    [Fact]
    public async Task Build_UndefinedSymbol_FailsWithNonZeroExit()
    {
        var broken = Path.Combine(_folder.FullName, "main.bicep");
        var source = await File.ReadAllTextAsync(BicepCli.MainTemplate, TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(
            broken,
            source + "\noutput broken string = thisSymbolIsNotDeclared.name\n",
            TestContext.Current.CancellationToken);

        var (exit, _, stderr) = await BicepCli.RunAsync("build", broken, "--stdout");

        Assert.NotEqual(0, exit);
        Assert.Contains("thisSymbolIsNotDeclared", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lint_UnusedVariable_FailsBecauseLinterRulesAreErrors()
    {
        File.Copy(Path.Combine(BicepCli.RepositoryRoot, "infra", "bicepconfig.json"), Path.Combine(_folder.FullName, "bicepconfig.json"));
        var linted = Path.Combine(_folder.FullName, "main.bicep");
        var source = await File.ReadAllTextAsync(BicepCli.MainTemplate, TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(linted, source + "\nvar neverUsed = 'x'\n", TestContext.Current.CancellationToken);

        var (exit, _, stderr) = await BicepCli.RunAsync("lint", linted);

        Assert.NotEqual(0, exit);
        Assert.Contains("no-unused-vars", stderr, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
