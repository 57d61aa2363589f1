using System.ComponentModel.DataAnnotations;

namespace TiesOffice.Web;

/// <summary>How often every enrolled user is synced (<c>SyncSchedule:*</c>).</summary>
public sealed class SyncScheduleOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "SyncSchedule";

    /// <summary>
    /// The NCRONTAB schedule of the Functions timer (<c>%SyncSchedule:Cron%</c>); default every 15 minutes, which keeps
    /// a user far inside Graph's 10,000 requests per 10 minutes even with no change notifications.
    /// </summary>
    [Required]
    public string Cron { get; set; } = "0 */15 * * * *";

    /// <summary>
    /// The interval between fan-outs: the DevHost's timer period, and on both hosts the window the timer's fan-out
    /// spreads the users' jobs over (each user at a fixed offset within it). Keep it equal to <see cref="Cron"/>'s
    /// period on Azure. Default 15 minutes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:05", "1.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How many queued user syncs one DevHost worker runs side by side. Default 4.</summary>
    [Range(1, 32)]
    public int Concurrency { get; set; } = 4;
}
