namespace TiesOffice.FakeTeams;

/// <summary>One user of the fake tenant.</summary>
/// <param name="AadObjectId">The Entra object id (in the demo, the Graph simulator's user id).</param>
/// <param name="Name">The display name.</param>
/// <param name="Email">The address the Connector's member lookup returns.</param>
public sealed record FakeUser(string AadObjectId, string Name, string Email)
{
    /// <summary>The per-bot Teams user id (<c>29:…</c>).</summary>
    public string ChannelId => "29:" + AadObjectId;

    /// <summary>The 1:1 conversation id (contains <c>:</c>, <c>@</c> and <c>;</c>, as Teams' do).</summary>
    public string ConversationId => $"a:1{AadObjectId}@unq.gbl.spaces;messageid=1";
}

/// <summary>How the fake channel is set up.</summary>
public sealed class FakeTeamsOptions
{
    /// <summary>The bot's app id: the <c>aud</c> of the tokens the channel signs and the client id it accepts.</summary>
    public string BotAppId { get; set; } = "00000000-0000-0000-0000-00000000b07a";

    /// <summary>The client secret the token endpoint accepts.</summary>
    public string BotClientSecret { get; set; } = "fake-teams-secret";

    /// <summary>Where the bot's <c>/api/messages</c> is (null until the bot is up).</summary>
    public Uri? BotEndpoint { get; set; }

    /// <summary>The tenant of every activity.</summary>
    public string TenantId { get; set; } = "fake-tenant";

    /// <summary>The channel id put in activities (msteams).</summary>
    public string ChannelId { get; set; } = "msteams";

    /// <summary>The channels the signing key is endorsed for.</summary>
    public IList<string> Endorsements { get; } = ["msteams"];

    /// <summary>The issuer of the tokens the channel signs.</summary>
    public string Issuer { get; set; } = "https://api.botframework.com";

    /// <summary>The users of the tenant.</summary>
    public IList<FakeUser> Users { get; } = [];

    /// <summary>Whether the Connector enforces Teams' per-thread and per-tenant limits with 429s.</summary>
    public bool EnforceRateLimits { get; set; }

    /// <summary>Where to write the channel's TLS certificate (PEM), so a separate bot process can trust it; null keeps it in memory.</summary>
    public string? CertificatePemPath { get; set; }

    /// <summary>Where the page's renderer (adaptivecards.min.js) is; null serves the page without card rendering.</summary>
    public string? AdaptiveCardsScriptPath { get; set; }
}
