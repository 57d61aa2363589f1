using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using TiesOffice.GraphSimulator.Api;
using TiesOffice.GraphSimulator.Model;

namespace TiesOffice.GraphSimulator;

/// <summary>
/// The Graph simulator as an ASP.NET Core app: <c>/v1.0/…</c> serves Graph, <c>/_sim/…</c> is the control API.
/// Tests start it in-process on a loopback port with <see cref="StartAsync"/>; <c>Program</c> runs it as a process.
/// </summary>
public sealed class GraphSimulatorServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Notifier _notifier;
    private bool _started;

    private GraphSimulatorServer(WebApplication app, SimTenant tenant, Notifier notifier)
    {
        _app = app;
        Tenant = tenant;
        _notifier = notifier;
    }

    /// <summary>The loaded tenant: users, mailboxes, subscriptions and the clock, for direct manipulation in tests.</summary>
    public SimTenant Tenant { get; }

    /// <summary>The simulator's clock.</summary>
    public SimClock Clock => Tenant.Clock;

    /// <summary>The root address, e.g. <c>http://127.0.0.1:40123/</c>.</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    /// <summary>The Graph base URL to give the SDK, e.g. <c>http://127.0.0.1:40123/v1.0</c>.</summary>
    public string GraphBaseUrl => BaseAddress.ToString().TrimEnd('/') + "/v1.0";

    /// <summary>Builds the web application (not started).</summary>
    /// <param name="options">Data, seed and limits.</param>
    /// <param name="time">The clock to start from (the system clock by default).</param>
    /// <param name="urls">The addresses to listen on; null leaves ASP.NET Core's default (ASPNETCORE_URLS or --urls).</param>
    /// <param name="args">Command-line arguments for the host builder.</param>
    public static GraphSimulatorServer Create(SimulatorOptions options, TimeProvider? time = null, string? urls = null, string[]? args = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var builder = WebApplication.CreateSlimBuilder(args ?? []);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        if (urls is not null)
        {
            builder.WebHost.UseUrls(urls);
        }

        var app = builder.Build();
        var tenant = SimTenant.Load(options, new SimClock(time));
        var notifier = new Notifier(tenant);
        var api = new GraphApi(tenant, notifier);
        app.Map("/v1.0/{**path}", async context =>
        {
            var request = context.Request;
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body, context.RequestAborted).ConfigureAwait(false);
            var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            var simRequest = new SimRequest(request.Method, request.Path.Value ?? "/", request.QueryString.Value ?? string.Empty,
                request.Scheme + "://" + request.Host.Value, headers, body.ToArray());
            var (response, box) = await api.ExecuteAsync(simRequest, context.RequestAborted).ConfigureAwait(false);
            if (response.Drop)
            {
                context.Abort();
                return;
            }

            context.Response.StatusCode = response.Status;
            foreach (var (k, v) in response.Headers)
            {
                context.Response.Headers[k] = v;
            }

            context.Response.Headers["request-id"] = Guid.NewGuid().ToString();
            if (response.ContentType is not null && response.Body.Length > 0)
            {
                context.Response.ContentType = response.ContentType;
            }

            Interlocked.Add(ref box.BytesSent, response.Body.Length);
            await context.Response.Body.WriteAsync(response.Body, context.RequestAborted).ConfigureAwait(false);
        });
        ControlApi.Map(app, tenant, notifier);
        return new GraphSimulatorServer(app, tenant, notifier);
    }

    /// <summary>Creates and starts a simulator on a free loopback port.</summary>
    public static async Task<GraphSimulatorServer> StartAsync(SimulatorOptions options, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        var server = Create(options, time, "http://127.0.0.1:0");
        await server.StartAsync(cancellationToken).ConfigureAwait(false);
        return server;
    }

    /// <summary>Starts listening.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_started)
        {
            return;
        }

        _started = true;
        await _app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/");
    }

    /// <summary>Runs until shut down (Ctrl+C, SIGTERM) or until <paramref name="cancellationToken"/> fires.</summary>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        await StartAsync(cancellationToken).ConfigureAwait(false);
        await _app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits until every change notification in flight has been delivered.</summary>
    public Task FlushNotificationsAsync(CancellationToken cancellationToken = default) => _notifier.FlushAsync().WaitAsync(cancellationToken);

    /// <summary>Sends a lifecycle event (reauthorizationRequired, missed, subscriptionRemoved) for a subscription.</summary>
    public Task<bool> SendLifecycleAsync(string subscriptionId, string lifecycleEvent, CancellationToken cancellationToken = default) =>
        _notifier.SendLifecycleAsync(subscriptionId, lifecycleEvent, cancellationToken);

    /// <summary>The statistics <c>GET /_sim/stats</c> returns, as an object.</summary>
    public object Stats() => ControlApi.Stats(Tenant, _notifier);

    /// <summary>Zeroes every mailbox's statistics.</summary>
    public void ResetStats()
    {
        foreach (var box in Tenant.Mailboxes.Append(Tenant.TenantCounters))
        {
            ControlApi.Reset(box);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _notifier.Dispose();
    }
}
