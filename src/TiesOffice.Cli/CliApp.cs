using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using TiesOffice.Domain.MailLog;

namespace TiesOffice.Cli;

/// <summary>The tiesoffice command line: <c>analyze</c> and <c>evaluate</c>. Exit codes: 0 success, 2 bad input or usage.</summary>
internal static class CliApp
{
    public const int Success = 0;
    public const int BadInput = 2;

    // Wide enough for the why column without wrapping; output is often redirected, where there is no terminal width.
    public const int TableWidth = 200;

    /// <summary>A plain-text console for tables on <paramref name="stdout"/>: no colours, no ANSI codes, fixed width,
    /// so output piped to a file or another tool stays readable.</summary>
    public static IAnsiConsole TableConsole(TextWriter stdout)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(stdout),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = TableWidth;
        return console;
    }

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("TiesOffice: relationship intelligence from mail metadata.")
        {
            AnalyzeCommand.Create(stdout, stderr),
            EvaluateCommand.Create(stdout, stderr),
        };

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                stderr.WriteLine("error: " + error.Message);
            }

            stderr.WriteLine("Run 'tiesoffice --help' for usage.");
            return BadInput;
        }

        try
        {
            return parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (MailLogException e)
        {
            stderr.WriteLine("error: " + e.Message);
            return BadInput;
        }
        catch (UsageException e)
        {
            stderr.WriteLine("error: " + e.Message);
            return BadInput;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException or IOException)
        {
            stderr.WriteLine("error: " + e.Message);
            return BadInput;
        }
    }

    public static DateOnly ParseDate(string text, string option)
    {
        if (!DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            throw new UsageException($"{option}: '{text}' is not a date like 2001-04-01 (yyyy-MM-dd).");
        }

        return date;
    }

    public static TextReader OpenText(string path)
    {
        if (!File.Exists(path))
        {
            throw new UsageException($"{path}: file not found.");
        }

        return new StreamReader(path);
    }
}

/// <summary>A usage problem the user can fix (a bad option value, an unknown owner).</summary>
internal sealed class UsageException(string message) : Exception(message);
