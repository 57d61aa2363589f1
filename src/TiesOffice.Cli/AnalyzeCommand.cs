using System.CommandLine;

namespace TiesOffice.Cli;

/// <summary><c>tiesoffice analyze</c>: one mailbox's ties.</summary>
internal static class AnalyzeCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var command = new Command("analyze", "Show one mailbox's ties.");
        _ = stdout;
        _ = stderr;
        return command;
    }
}
