using TiesOffice.Application;
using TiesOffice.Application.Network;
using TiesOffice.Application.Ports;
using TiesOffice.Application.Scoring;
using TiesOffice.Domain.Metadata;
using TiesOffice.Testing;

namespace TiesOffice.Application.Tests;

/// <summary>The digest's service mailbox is excluded for every user, with no entry in their own exclusion list.</summary>
public sealed class ServiceAddressesTests
{
    private static readonly DateTimeOffset s_at = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private static MailMessage Message(string id, string from, string to) =>
        new(id, from, null, [to], [], [], s_at, s_at, null, null, false, MailFolder.Inbox);

    [Fact]
    public async Task MailboxChangeTracker_ItemWithTheServiceMailbox_IsNotStoredForAUserWithNoExclusions()
    {
        var ct = TestContext.Current.CancellationToken;
        var items = new InMemoryMailboxStore();
        var settings = new InMemorySettingsStore();
        var tracker = new MailboxChangeTracker(items, new InMemorySyncStateStore(), settings, new ServiceAddresses(["TiesOffice-Digest@Example.com"]));
        var user = new UserKey("tenant", "user");

        await tracker.UpsertMessagesAsync(user, [Message("digest", "tiesoffice-digest@example.com", "me@example.com"), Message("reply", "me@example.com", "tiesoffice-digest@example.com"), Message("friend", "friend@example.org", "me@example.com")], ct);

        Assert.Equal(["friend"], await items.ReadMessagesAsync(user, ct).Select(m => m.Id).ToListAsync(ct));
        Assert.Empty((await settings.GetSettingsAsync(user, ct)).ExcludedEntries);
    }

    [Fact]
    public void With_UserEntriesAndTheServiceMailbox_MatchesBothAndNothingElse()
    {
        var exclusions = new ServiceAddresses(["digest@example.com", " ", null]).With(["example.org"]);

        Assert.True(exclusions.Matches("Digest@Example.com"));
        Assert.True(exclusions.Matches("someone@sub.example.org"));
        Assert.False(exclusions.Matches("someone@example.com"));
        Assert.True(ServiceAddresses.None.With([]).IsEmpty);
    }
}
