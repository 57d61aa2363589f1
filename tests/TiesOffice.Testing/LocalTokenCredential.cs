using Azure.Core;

namespace TiesOffice.Testing;

/// <summary>A token credential for local fakes: returns a fixed, non-JWT token without any network call.</summary>
public sealed class LocalTokenCredential : TokenCredential
{
    private int _requests;

    /// <summary>The token it hands out.</summary>
    public const string Token = "local-test-token-not-a-jwt";

    /// <summary>How many tokens were requested.</summary>
    public int Requests => _requests;

    /// <inheritdoc />
    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requests);
        return new AccessToken(Token, DateTimeOffset.UtcNow.AddHours(1));
    }

    /// <inheritdoc />
    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        new(GetToken(requestContext, cancellationToken));
}
