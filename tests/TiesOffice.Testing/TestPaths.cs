namespace TiesOffice.Testing;

/// <summary>
/// Finds the repository root (the folder of TiesOffice.sln) and the read-only shared folder beside the checkout
/// (<c>../shared</c>), which holds the Enron log and Graph's documented payload samples.
/// </summary>
public static class TestPaths
{
    /// <summary>The folder that holds TiesOffice.sln.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>The shared folder beside the checkout (or beside the folder of worktrees, for a worktree such as <c>wt/name</c>).</summary>
    public static string Shared { get; } = new[] { Path.Combine(RepositoryRoot, "..", "shared"), Path.Combine(RepositoryRoot, "..", "..", "shared") }
        .FirstOrDefault(Directory.Exists) ?? Path.Combine(RepositoryRoot, "..", "shared");

    /// <summary>The shared data folder.</summary>
    public static string SharedData => Path.Combine(Shared, "data");

    /// <summary>The Enron mail-metadata log.</summary>
    public static string Enron => Path.Combine(SharedData, "enron");

    /// <summary>Graph payload samples from Microsoft's docs.</summary>
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
