namespace TiesOffice.Domain.Ties;

/// <summary>Recognises no-reply and system mailboxes by the local part of the address.</summary>
internal static class AutomatedSenders
{
    // The local parts that mailing systems conventionally use for mail nobody answers.
    private static readonly string[] _markers =
    [
        "noreply", "no-reply", "no_reply", "donotreply", "do-not-reply", "do_not_reply", "mailer-daemon",
        "postmaster", "bounce", "notification", "newsletter", "alerts", "automated",
    ];

    /// <summary>Whether the address belongs to an automated sender.</summary>
    public static bool LooksAutomated(string address)
    {
        var at = address.IndexOf('@', StringComparison.Ordinal);
        var local = at > 0 ? address.AsSpan(0, at) : address.AsSpan();
        foreach (var marker in _markers)
        {
            if (local.Contains(marker, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
