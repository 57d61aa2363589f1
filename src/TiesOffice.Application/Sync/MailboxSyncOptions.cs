using System.ComponentModel.DataAnnotations;

namespace TiesOffice.Application.Sync;

/// <summary>What the mailbox sync reads and how patiently it retries.</summary>
public sealed class MailboxSyncOptions
{
    /// <summary>The mail folders to read (well-known names or ids). Inbox and Sent Items by default.</summary>
    [MinLength(1)]
    public IList<string> Folders { get; } = ["inbox", "sentitems"];

    /// <summary>How far back the calendar window reaches, in days (12 months by default).</summary>
    [Range(1, 3660)]
    public int CalendarPastDays { get; set; } = 365;

    /// <summary>How far ahead the calendar window reaches beyond the current period, in days (a month by default).</summary>
    [Range(1, 366)]
    public int CalendarFutureDays { get; set; } = 31;

    /// <summary>How often the calendar window moves, in days. A new window is a new initial calendar round.</summary>
    [Range(1, 366)]
    public int CalendarRewindowDays { get; set; } = 7;

    /// <summary>Whether to read the calendar at all.</summary>
    public bool IncludeCalendar { get; set; } = true;

    /// <summary>How often the mailbox time zone is read again.</summary>
    public TimeSpan TimeZoneRefresh { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How many times one page is attempted when Graph stays unavailable (after the SDK's own retries).</summary>
    [Range(1, 100)]
    public int MaxPageAttempts { get; set; } = 8;

    /// <summary>The first wait before retrying a page when Graph gave no Retry-After; doubles each time.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest wait between two attempts at one page.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How many expired-token restarts one stream may make in one sync.</summary>
    [Range(1, 10)]
    public int MaxResyncs { get; set; } = 2;

    /// <summary>Checks the options, throwing <see cref="ValidationException"/> on the first problem.</summary>
    public void Validate()
    {
        Validator.ValidateObject(this, new ValidationContext(this), validateAllProperties: true);
        if (RetryBaseDelay < TimeSpan.Zero || RetryMaxDelay < RetryBaseDelay || TimeZoneRefresh <= TimeSpan.Zero)
        {
            throw new ValidationException("RetryBaseDelay must be at least zero and at most RetryMaxDelay; TimeZoneRefresh must be positive.");
        }
    }

    /// <summary>The calendar window for a moment: anchored to the start of the current re-window period.</summary>
    /// <param name="now">The current time.</param>
    /// <returns>The window.</returns>
    public CalendarWindow WindowAt(DateTimeOffset now)
    {
        var days = (long)Math.Floor((now.UtcDateTime - DateTime.UnixEpoch).TotalDays);
        var anchor = new DateTimeOffset(DateTime.UnixEpoch.AddDays(days - (days % CalendarRewindowDays)), TimeSpan.Zero);
        return new CalendarWindow(anchor.AddDays(-CalendarPastDays), anchor.AddDays(CalendarRewindowDays + CalendarFutureDays));
    }
}
