using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TiesOffice.Application.Sync;
using TiesOffice.Infrastructure.Graph;
using TiesOffice.Testing;

namespace TiesOffice.Graph.Tests;

public sealed class ChangeNotificationTests
{
    private const string Ada = "ada@contoso.com";
    private const string Bob = "bob@contoso.com";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Subscriptions_EndToEnd_ValidateNotifyQueueAndFallBackToDelta()
    {
        await using var h = await Harness.StartAsync(seed: Harness.SmallTenant());
        var subscriptions = new InMemorySubscriptionStore();
        var sink = new InMemorySyncWorkSink();
        var handler = new ChangeNotificationHandler(subscriptions, sink, h.Logs.CreateFactory().CreateLogger<ChangeNotificationHandler>());
        await using var hook = await Webhook.StartAsync(handler);
        var manager = new SubscriptionManager(
            new GraphSubscriptionClient(h.Client), subscriptions, h.NewSync(),
            Options.Create(new ChangeNotificationOptions { NotificationUrl = hook.Url("notify"), LifecycleNotificationUrl = hook.Url("lifecycle"), Lifetime = TimeSpan.FromHours(48) }),
            TimeProvider.System, h.Logs.CreateFactory().CreateLogger<SubscriptionManager>());
        var user = h.Key(Ada);

        var created = await manager.EnsureAsync(user, Ct);

        Assert.Equal(2, created.Count);
        Assert.Equal(2, h.Sim.Tenant.Subscriptions.Count);
        Assert.Equal(4, hook.Validations);
        using (var raw = await RawSubscriptionAsync(h, created[0].Id))
        using (var sample = ConformanceTests.Sample("subscription-create-response.json"))
        {
            Assert.Equal(ConformanceTests.Keys(sample.RootElement), ConformanceTests.Keys(raw.RootElement));
            ConformanceTests.Validate(raw.RootElement, "microsoft.graph.subscription", "subscription");
        }

        // A new message for Ada: Graph notifies, the webhook queues a delta sync.
        await h.ControlAsync("POST", "/_sim/messages", new { from = Bob, to = new[] { Ada }, subject = "ping" });
        await h.Sim.FlushNotificationsAsync(Ct);
        var changed = Assert.Single(sink.Items);
        Assert.Equal(new SyncWorkItem(user, SyncWorkReason.Changed, changed.SubscriptionId), changed);
        using (var body = JsonDocument.Parse(hook.Bodies.Last()))
        using (var sample = ConformanceTests.Sample("change-notification-basic-message.json"))
        {
            var n = body.RootElement.GetProperty("value")[0];
            Assert.Equal(ConformanceTests.Keys(sample.RootElement.GetProperty("value")[0]), ConformanceTests.Keys(n));
            Assert.Equal(ConformanceTests.Keys(sample.RootElement.GetProperty("value")[0].GetProperty("resourceData")), ConformanceTests.Keys(n.GetProperty("resourceData")));
        }

        var synced = await manager.RunAsync(changed, Ct);
        Assert.Equal(SyncOutcome.Completed, synced!.Outcome);

        // A forged notification (wrong clientState) is acknowledged but queues nothing.
        using (var http = new HttpClient())
        {
            var forged = "{\"value\":[{\"subscriptionId\":\"" + created[0].Id + "\",\"clientState\":\"guess\",\"changeType\":\"created\",\"resource\":\"x\"}]}";
            using var content = new StringContent(forged, Encoding.UTF8, "application/json");
            using var response = await http.PostAsync(hook.Url("notify"), content, Ct);
            Assert.Equal(202, (int)response.StatusCode);
        }

        Assert.Single(sink.Items);

        // Lifecycle: missed means delta; subscriptionRemoved means recreate, then delta.
        Assert.True(await h.Sim.SendLifecycleAsync(created[0].Id, "missed", Ct));
        Assert.True(await h.Sim.SendLifecycleAsync(created[1].Id, "subscriptionRemoved", Ct));
        Assert.Equal([SyncWorkReason.Changed, SyncWorkReason.Missed, SyncWorkReason.SubscriptionRemoved], sink.Items.Select(i => i.Reason));
        Assert.Single(h.Sim.Tenant.Subscriptions);
        var recreated = await manager.RunAsync(sink.Items[2], Ct);
        Assert.Equal(SyncOutcome.Completed, recreated!.Outcome);
        Assert.Equal(2, h.Sim.Tenant.Subscriptions.Count);
        Assert.Equal(2, subscriptions.All.Count);
    }

    [Fact]
    public async Task EnsureAsync_PastHalfLife_RenewsWithPatch()
    {
        await using var h = await Harness.StartAsync(seed: Harness.SmallTenant(messages: 4, meetings: 1));
        var subscriptions = new InMemorySubscriptionStore();
        var handler = new ChangeNotificationHandler(subscriptions, new InMemorySyncWorkSink(), h.Logs.CreateFactory().CreateLogger<ChangeNotificationHandler>());
        await using var hook = await Webhook.StartAsync(handler);
        var manager = new SubscriptionManager(
            new GraphSubscriptionClient(h.Client), subscriptions, h.NewSync(),
            Options.Create(new ChangeNotificationOptions { NotificationUrl = hook.Url("notify"), LifecycleNotificationUrl = hook.Url("lifecycle"), Lifetime = TimeSpan.FromHours(48), IncludeCalendar = false }),
            TimeProvider.System, h.Logs.CreateFactory().CreateLogger<SubscriptionManager>());
        var user = h.Key(Ada);
        var first = Assert.Single(await manager.EnsureAsync(user, Ct));
        await subscriptions.SaveAsync(first with { ExpiresAt = DateTimeOffset.UtcNow.AddHours(2) }, Ct);

        var renewed = Assert.Single(await manager.EnsureAsync(user, Ct));

        Assert.Equal(first.Id, renewed.Id);
        Assert.True(renewed.ExpiresAt > DateTimeOffset.UtcNow.AddHours(47));
        Assert.True(h.Sim.Tenant.Subscriptions[first.Id].ExpirationDateTime > DateTimeOffset.UtcNow.AddHours(47));
        Assert.Equal(2, hook.Validations);
    }

    [Fact]
    public async Task HandleAsync_ValidationToken_EchoesItAsPlainText()
    {
        var handler = new ChangeNotificationHandler(new InMemorySubscriptionStore(), new InMemorySyncWorkSink(), new CapturingLoggerProvider().CreateFactory().CreateLogger<ChangeNotificationHandler>());

        var response = await handler.HandleAsync("Validation: Testing client application reachability", Stream.Null, Ct);
        var malformed = await handler.HandleAsync(null, new MemoryStream("{oops"u8.ToArray()), Ct);

        Assert.Equal(new WebhookResponse(200, "text/plain", "Validation: Testing client application reachability"), response);
        Assert.Equal(400, malformed.StatusCode);
    }

    private static async Task<JsonDocument> RawSubscriptionAsync(Harness h, string id)
    {
        using var http = new HttpClient { BaseAddress = h.Sim.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("v1.0/subscriptions/" + id, UriKind.Relative));
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", LocalTokenCredential.Token);
        using var response = await http.SendAsync(request, Ct);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
    }

    /// <summary>A real webhook host on loopback that maps the handler as a product host would.</summary>
    private sealed class Webhook : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private int _validations;

        private Webhook(WebApplication app) => _app = app;

        public ConcurrentQueue<string> Bodies { get; } = new();

        public int Validations => _validations;

        public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

        public Uri Url(string path) => new(BaseAddress, path);

        public static async Task<Webhook> StartAsync(ChangeNotificationHandler handler)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var hook = new Webhook(app);
            foreach (var path in new[] { "/notify", "/lifecycle" })
            {
                app.MapPost(path, async context =>
                {
                    var token = context.Request.Query["validationToken"].FirstOrDefault();
                    if (token is not null)
                    {
                        Interlocked.Increment(ref hook._validations);
                    }

                    using var buffer = new MemoryStream();
                    await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
                    if (token is null)
                    {
                        hook.Bodies.Enqueue(Encoding.UTF8.GetString(buffer.ToArray()));
                    }

                    buffer.Position = 0;
                    var response = await handler.HandleAsync(token, buffer, context.RequestAborted);
                    context.Response.StatusCode = response.StatusCode;
                    if (response.Body is not null)
                    {
                        context.Response.ContentType = response.ContentType;
                        await context.Response.WriteAsync(response.Body, context.RequestAborted);
                    }
                });
            }

            await app.StartAsync(Ct);
            hook.BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
            return hook;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
