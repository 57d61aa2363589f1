using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace TiesOffice.Infrastructure.Bot;

/// <summary>
/// The HTTP handler every bot call goes through (metadata, token, Connector). Certificates are validated as usual;
/// when <see cref="BotOptions.LoopbackRootCertificatePath"/> is set, a loopback host may also present a certificate
/// that chains to that one root (the fake channel's), and no other host can.
/// </summary>
internal static class BotHttp
{
    public static SocketsHttpHandler CreateHandler(BotOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AllowAutoRedirect = false,
        };
        if (options.LoopbackRootCertificatePath is { Length: > 0 } path)
        {
            var root = X509CertificateLoader.LoadCertificateFromFile(path);
            handler.SslOptions.RemoteCertificateValidationCallback = (sender, certificate, chain, errors) =>
                errors == SslPolicyErrors.None || ChainsToLoopbackRoot(sender, certificate, errors, root);
        }

        return handler;
    }

    private static bool ChainsToLoopbackRoot(object sender, X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2 root)
    {
        var host = sender switch
        {
            SslStream stream => stream.TargetHostName,
            _ => null,
        };
        if (certificate is null || host is null || !BotOptions.IsLoopback(host) || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }
}
