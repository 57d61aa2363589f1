namespace TiesOffice.Cli.Tests;

/// <summary>Runs the real command entry point in-process and captures what it prints.</summary>
internal static class CliRunner
{
    public static (int Exit, string Out, string Err) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = CliApp.Run(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    public static string RepositoryRoot { get; } = FindRoot();

    public static string Enron(string file) => Path.Combine(RepositoryRoot, "..", "shared", "data", "enron", file);

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
