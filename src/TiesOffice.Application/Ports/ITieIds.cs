namespace TiesOffice.Application.Ports;

/// <summary>
/// The opaque ids under which a user's ties are addressed in URLs and cards: a keyed hash of the user and the
/// contact, so an id reveals no address, differs per user and per tenant, and cannot be computed without the key.
/// </summary>
public interface ITieIds
{
    /// <summary>The id of one of the user's ties.</summary>
    /// <param name="user">The user.</param>
    /// <param name="contact">The contact's address (normalised first).</param>
    /// <returns>A URL-safe id.</returns>
    string IdOf(UserKey user, string contact);
}
