using TiesOffice.Domain.MailLog;
using TiesOffice.Domain.Metadata;

namespace TiesOffice.Cli;

/// <summary>Reads a log with progress on stderr (so stdout stays parseable).</summary>
internal static class LogLoader
{
    // Progress is worth showing only for inputs that take noticeable time to read: 4 MB is about 50,000 messages,
    // a third of a second or more.
    private const long ProgressThresholdBytes = 4 * 1024 * 1024;

    public static List<MailMessage> ReadMessages(string path, TextWriter stderr, Func<MailMessage, bool>? keep = null)
    {
        if (!File.Exists(path))
        {
            throw new UsageException($"{path}: file not found.");
        }

        using var stream = File.OpenRead(path);
        using var reader = new StreamReader(stream);
        var length = stream.Length;
        var showProgress = length >= ProgressThresholdBytes;
        var nextReport = 0.1;
        var result = new List<MailMessage>();
        var first = true;
        foreach (var message in MailLogReader.ReadMessages(reader, path))
        {
            if (first && !message.From.Contains('@', StringComparison.Ordinal))
            {
                stderr.WriteLine($"note: {Path.GetFileName(path)} names people by ids, not mail addresses; automated senders are then recognised by behaviour alone.");
            }

            first = false;
            if (keep is null || keep(message))
            {
                result.Add(message);
            }

            if (showProgress && stream.Position >= nextReport * length)
            {
                stderr.WriteLine($"reading {Path.GetFileName(path)}: {nextReport:P0}");
                nextReport += 0.1;
            }
        }

        return result;
    }

    public static IReadOnlyList<Person> ReadPeople(string path)
    {
        using var reader = CliApp.OpenText(path);
        return MailLogReader.ReadPeople(reader, path);
    }
}
