using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace TiesOffice.Application.Proactive;

/// <summary>
/// Settings of the proactive sends (section <c>Proactive</c>). The defaults are <see cref="QuietHours.Default"/>;
/// an organisation whose weekend is not Saturday and Sunday changes <see cref="QuietDays"/>.
/// </summary>
public sealed class ProactiveOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Proactive";

    /// <summary>Whether digests and reminders are sent at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>When the nightly quiet time begins, local (<c>HH:mm</c>).</summary>
    public TimeOnly QuietFrom { get; set; } = QuietHours.Default.Start;

    /// <summary>When it ends, local (<c>HH:mm</c>); equal to <see cref="QuietFrom"/> for no nightly quiet time.</summary>
    public TimeOnly QuietUntil { get; set; } = QuietHours.Default.End;

    /// <summary>Days that are quiet all day, separated by <c>;</c> or <c>,</c> (English day names); empty or <c>none</c> for none.</summary>
    public string QuietDays { get; set; } = string.Join(';', QuietHours.Default.QuietDays.Order());

    /// <summary>The quiet hours these settings describe.</summary>
    /// <exception cref="ValidationException">A day name is unknown, or every day is quiet.</exception>
    public QuietHours ToQuietHours()
    {
        var days = new HashSet<DayOfWeek>();
        var list = string.Equals(QuietDays?.Trim(), "none", StringComparison.OrdinalIgnoreCase) ? string.Empty : QuietDays ?? string.Empty;
        foreach (var name in list.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Enum.TryParse<DayOfWeek>(name, ignoreCase: true, out var day) || int.TryParse(name, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
            {
                throw new ValidationException($"Proactive:QuietDays: '{name}' is not a day of the week (use Monday … Sunday).");
            }

            days.Add(day);
        }

        if (days.Count == 7)
        {
            throw new ValidationException("Proactive:QuietDays: every day is quiet, so nothing could ever be sent; set Proactive:Enabled=false instead.");
        }

        return new QuietHours(QuietFrom, QuietUntil, days);
    }
}
