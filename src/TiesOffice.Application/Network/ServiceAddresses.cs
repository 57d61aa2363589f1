namespace TiesOffice.Application.Network;

/// <summary>
/// Addresses left out of every user's network whatever their settings, as if each user had excluded them: the app's
/// own service mailbox (<c>ActionableMessages:SenderMailbox</c>), whose digest mail lands in every user's inbox and
/// would otherwise show up as a contact. Items in which one takes part are not stored (<see cref="Scoring.MailboxChangeTracker"/>),
/// its tie is not shown, scored into a view or suggested (<see cref="NetworkViews"/>), and the pane says it is not tracked.
/// </summary>
public sealed class ServiceAddresses
{
    /// <summary>Creates the list.</summary>
    /// <param name="addresses">The addresses; blank ones are ignored.</param>
    public ServiceAddresses(IEnumerable<string?> addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        Entries = [.. addresses.Where(a => !string.IsNullOrWhiteSpace(a)).Select(a => a!.Trim())];
    }

    /// <summary>No service address.</summary>
    public static ServiceAddresses None { get; } = new([]);

    /// <summary>The addresses, as exclusion entries.</summary>
    public IReadOnlyList<string> Entries { get; }

    /// <summary>The user's own exclusion entries together with the service addresses.</summary>
    /// <param name="userEntries">The user's entries (addresses or domains).</param>
    /// <returns>One exclusion list.</returns>
    public Exclusions With(IReadOnlyList<string> userEntries) => new(Entries.Count == 0 ? userEntries : [.. userEntries, .. Entries]);
}
