namespace TiesOffice.EndToEnd.Tests;

/// <summary>Finds the read-only shared folder beside the checkout (../shared relative to the repository root).</summary>
internal static class TestPaths
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string SharedData => Path.Combine(RepositoryRoot, "..", "shared", "data");

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "TiesOffice.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("TiesOffice.sln not found above " + AppContext.BaseDirectory);
    }
}
