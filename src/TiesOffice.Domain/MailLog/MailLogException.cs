namespace TiesOffice.Domain.MailLog;

/// <summary>A mail-metadata log that cannot be read, with the file and line at fault.</summary>
public sealed class MailLogException : Exception
{
    /// <summary>Creates the error.</summary>
    /// <param name="file">The file (or source name) being read.</param>
    /// <param name="line">The 1-based line number, or 0 when the problem is the whole file.</param>
    /// <param name="problem">What is wrong, in words a user can act on.</param>
    public MailLogException(string file, int line, string problem)
        : base(line > 0 ? $"{file}:{line}: {problem}" : $"{file}: {problem}")
    {
        File = file;
        Line = line;
        Problem = problem;
    }

    /// <summary>The file (or source name) being read.</summary>
    public string File { get; }

    /// <summary>The 1-based line number, or 0 for the whole file.</summary>
    public int Line { get; }

    /// <summary>What is wrong.</summary>
    public string Problem { get; }
}
