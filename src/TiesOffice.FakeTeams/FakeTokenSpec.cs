namespace TiesOffice.FakeTeams;

/// <summary>
/// What goes into one token the channel signs for the bot. The defaults give a valid token; tests change one field
/// at a time to see the bot refuse it.
/// </summary>
public sealed record FakeTokenSpec
{
    /// <summary>The issuer (null: the channel's).</summary>
    public string? Issuer { get; init; }

    /// <summary>The audience (null: the bot's app id).</summary>
    public string? Audience { get; init; }

    /// <summary>The <c>serviceurl</c> claim (null: the activity's; empty: left out).</summary>
    public string? ServiceUrl { get; init; }

    /// <summary>Not before, relative to now.</summary>
    public TimeSpan NotBefore { get; init; } = TimeSpan.FromMinutes(-1);

    /// <summary>Expiry, relative to now.</summary>
    public TimeSpan Expires { get; init; } = TimeSpan.FromMinutes(60);

    /// <summary>Sign with a key that is not in the JWKS.</summary>
    public bool ForeignKey { get; init; }

    /// <summary>Sign with HS256 using the public key's bytes (an algorithm-confusion attempt).</summary>
    public bool SymmetricWithPublicKey { get; init; }

    /// <summary>Send an unsigned token (<c>alg: none</c>).</summary>
    public bool NoSignature { get; init; }

    /// <summary>Flip a character of the signature.</summary>
    public bool TamperSignature { get; init; }
}
