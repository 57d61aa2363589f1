using TiesOffice.Domain.Metadata;

namespace TiesOffice.Infrastructure.Graph;

/// <summary>The display names one Graph item carried (<c>emailAddress/name</c>), by normalised address: both page readers map them with this.</summary>
internal static class NameBook
{
    /// <summary>The first non-blank name of each plausible address, in the order given; null when there is none.</summary>
    /// <param name="pairs">(address, name) of the author, sender and recipients, or of the organizer and attendees.</param>
    /// <returns>Names by normalised address, or null.</returns>
    public static IReadOnlyDictionary<string, string>? Of(IEnumerable<(string? Address, string? Name)> pairs)
    {
        Dictionary<string, string>? names = null;
        foreach (var (raw, name) in pairs)
        {
            var address = MailAddress.Normalize(raw);
            if (!string.IsNullOrWhiteSpace(name) && MailAddress.IsPlausible(address))
            {
                names ??= new Dictionary<string, string>(StringComparer.Ordinal);
                names.TryAdd(address, name.Trim());
            }
        }

        return names;
    }
}
