namespace TiesOffice.Graph.Tests;

/// <summary>Finds the read-only shared folder beside the checkout (../shared relative to the repository root).</summary>
internal static class TestPaths
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string Shared => Path.Combine(RepositoryRoot, "..", "shared");

    public static string Enron => Path.Combine(Shared, "data", "enron");

    public static string Samples => Path.Combine(Shared, "graph-samples");

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
