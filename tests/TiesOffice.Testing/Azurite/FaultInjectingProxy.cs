using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TiesOffice.Testing.Azurite;

/// <summary>
/// A real loopback HTTP forwarder (Kestrel) in front of a storage endpoint that can answer the next N requests
/// with an error (503, 500) instead of forwarding them. Point a client at <see cref="Endpoint"/> to see how it
/// copes with storage faults.
/// </summary>
public sealed class FaultInjectingProxy : IAsyncDisposable
{
    private static readonly HashSet<string> s_hopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Content-Length", "Expect", "Connection", "Keep-Alive", "Transfer-Encoding", "TE", "Trailer", "Upgrade", "Proxy-Connection", "Proxy-Authorization", "Proxy-Authenticate",
    };

    private readonly WebApplication _app;
    private readonly HttpClient _client;
    private readonly Uri _target;
    private int _failuresLeft;
    private int _failureStatus = 503;
    private int _failed;
    private int _responseFailuresLeft;
    private int _responseFailureStatus = 503;
    private Func<HttpRequest, bool> _responseFailureMatch = static _ => true;
    private int _forwarded;

    private FaultInjectingProxy(WebApplication app, HttpClient client, Uri target)
    {
        _app = app;
        _client = client;
        _target = target;
    }

    /// <summary>The proxy's endpoint: the target's path (for Azurite, <c>/devstoreaccount1</c>) on the proxy's port.</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>Requests answered with an injected error so far.</summary>
    public int Failed => Volatile.Read(ref _failed);

    /// <summary>Requests forwarded to the target so far.</summary>
    public int Forwarded => Volatile.Read(ref _forwarded);

    /// <summary>
    /// Called with each forwarded request's method, path and query, and body, before it is forwarded (from the
    /// proxy's request threads, so make it thread-safe). Lets a test see exactly what a client sent.
    /// </summary>
    public Action<string, string, byte[]>? Observer { get; set; }

    /// <summary>Starts a proxy in front of <paramref name="target"/> (for example <see cref="AzuriteFixture.TableEndpoint"/>).</summary>
    public static async Task<FaultInjectingProxy> StartAsync(Uri target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.Limits.MaxRequestBodySize = 64 * 1024 * 1024;
        });
        var app = builder.Build();
        var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, AutomaticDecompression = DecompressionMethods.None })
        {
            Timeout = TimeSpan.FromSeconds(100),
        };
        var proxy = new FaultInjectingProxy(app, client, target);
        app.Run(proxy.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        proxy.Endpoint = new Uri(new Uri(address), target.AbsolutePath);
        return proxy;
    }

    /// <summary>Answers the next <paramref name="count"/> requests with <paramref name="statusCode"/> instead of forwarding them.</summary>
    public void FailNext(int count, int statusCode = 503)
    {
        Volatile.Write(ref _failureStatus, statusCode);
        Volatile.Write(ref _failuresLeft, count);
    }

    /// <summary>
    /// Forwards the next <paramref name="count"/> matching requests, so storage applies them, but answers
    /// <paramref name="statusCode"/> instead of the real response: a response lost on the way back.
    /// </summary>
    public void FailResponsesNext(int count, int statusCode = 503, Func<HttpRequest, bool>? match = null)
    {
        _responseFailureMatch = match ?? (static _ => true);
        Volatile.Write(ref _responseFailureStatus, statusCode);
        Volatile.Write(ref _responseFailuresLeft, count);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _client.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        if (Interlocked.Decrement(ref _failuresLeft) >= 0)
        {
            Interlocked.Increment(ref _failed);
            context.Response.StatusCode = Volatile.Read(ref _failureStatus);
            context.Response.ContentType = "application/xml";
            await context.Response.WriteAsync("<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>ServerBusy</Code><Message>Injected fault.</Message></Error>").ConfigureAwait(false);
            return;
        }

        Interlocked.Exchange(ref _failuresLeft, 0);
        Interlocked.Increment(ref _forwarded);
        var request = context.Request;
        var uri = new Uri($"{_target.Scheme}://{_target.Authority}{request.PathBase}{request.Path}{request.QueryString}");
        using var forward = new HttpRequestMessage(new HttpMethod(request.Method), uri);
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, context.RequestAborted).ConfigureAwait(false);
        if (body.Length > 0 || request.ContentLength is not null || request.Method is "POST" or "PUT" or "MERGE" or "PATCH")
        {
            forward.Content = new ByteArrayContent(body.ToArray());
        }

        foreach (var (name, values) in request.Headers)
        {
            if (s_hopByHop.Contains(name))
            {
                continue;
            }

            if (!forward.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                forward.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        Observer?.Invoke(request.Method, $"{request.Path}{request.QueryString}", body.ToArray());
        var loseResponse = Volatile.Read(ref _responseFailuresLeft) > 0 && _responseFailureMatch(request) && Interlocked.Decrement(ref _responseFailuresLeft) >= 0;
        using var response = await _client.SendAsync(forward, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted).ConfigureAwait(false);
        if (loseResponse)
        {
            Interlocked.Increment(ref _failed);
            context.Response.StatusCode = Volatile.Read(ref _responseFailureStatus);
            await context.Response.WriteAsync("<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>ServerBusy</Code><Message>Injected lost response.</Message></Error>").ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var header in response.Headers.Concat(response.Content.Headers))
        {
            if (!s_hopByHop.Contains(header.Key))
            {
                context.Response.Headers[header.Key] = header.Value.ToArray();
            }
        }

        await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
    }
}
