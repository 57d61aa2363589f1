using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace TiesOffice.EndToEnd.Tests;

/// <summary>
/// The Functions app is the deployable, but the Functions host can't run here. These tests read what its build
/// produced (functions.metadata) and hold it to the design: the triggers, routes and schedules, and that every HTTP
/// route also exists in the DevHost, so the two hosts can't drift.
/// </summary>
public sealed class FunctionsHostTests(EndToEndFixture app) : IClassFixture<EndToEndFixture>
{
    private static readonly Lazy<List<FunctionBinding>> s_functions = new(ReadMetadata);

    [Fact]
    public void Metadata_DeclaresEveryTriggerWithItsRouteScheduleAndQueue()
    {
        var byName = s_functions.Value.ToDictionary(f => f.Name);

        Assert.Equal(
            ["BotMessages", "GraphLifecycle", "GraphNotifications", "Health", "MeDelete", "MeDeleteOverrides", "MeExport", "MeGetSettings", "MePutOverrides",
             "MePutSettings", "MeReach", "MeRoleChange", "MeSender", "MeSummary", "MeTie", "MeTies", "Pane", "Retention", "SyncFanOut", "SyncUser", "Tab"],
            byName.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(("httpTrigger", "api/health", "get"), (byName["Health"].Type, byName["Health"].Route, byName["Health"].Methods));
        Assert.Equal(("httpTrigger", "api/graph/notifications", "post"), (byName["GraphNotifications"].Type, byName["GraphNotifications"].Route, byName["GraphNotifications"].Methods));
        Assert.Equal(("httpTrigger", "api/graph/lifecycle", "post"), (byName["GraphLifecycle"].Type, byName["GraphLifecycle"].Route, byName["GraphLifecycle"].Methods));
        Assert.Equal(("httpTrigger", "api/messages", "post"), (byName["BotMessages"].Type, byName["BotMessages"].Route, byName["BotMessages"].Methods));
        Assert.Equal(("httpTrigger", "api/me/sender", "post"), (byName["MeSender"].Type, byName["MeSender"].Route, byName["MeSender"].Methods));
        Assert.Equal(("httpTrigger", "tab/{*path}", "get,head"), (byName["Tab"].Type, byName["Tab"].Route, byName["Tab"].Methods));
        Assert.Equal(("httpTrigger", "pane/{*path}", "get,head"), (byName["Pane"].Type, byName["Pane"].Route, byName["Pane"].Methods));
        Assert.Equal(("timerTrigger", "%SyncSchedule:Cron%"), (byName["SyncFanOut"].Type, byName["SyncFanOut"].Schedule));
        Assert.Equal(("timerTrigger", "0 30 3 * * *"), (byName["Retention"].Type, byName["Retention"].Schedule));
        Assert.Equal(("queueTrigger", "%Storage:QueueName%", "Storage"), (byName["SyncUser"].Type, byName["SyncUser"].Queue, byName["SyncUser"].Connection));
    }

    [Fact]
    public void EveryFunctionsHttpRoute_AlsoExistsInTheDevHost()
    {
        var devHost = app.Host.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"])
                .Select(m => (Method: m.ToUpperInvariant(), Route: e.RoutePattern.RawText!.TrimStart('/'))))
            .ToHashSet();
        var http = s_functions.Value.Where(f => f.Type == "httpTrigger").ToList();
        var prefix = RoutePrefix();

        Assert.NotEmpty(http);
        foreach (var function in http)
        {
            foreach (var method in function.Methods!.Split(','))
            {
                // The Functions host puts host.json's route prefix before every HTTP route; the DevHost maps full routes.
                Assert.Contains((method.ToUpperInvariant(), prefix.Length == 0 ? function.Route! : prefix + "/" + function.Route), devHost);
            }
        }
    }

    [Fact]
    public void HostJson_HasNoRoutePrefix_SoTheTabAndPaneAreAtTheRootAndEveryOtherRouteSaysApi()
    {
        // The Function App serves /tab/ and /pane/ (docs/Deploy.md); with the default prefix they would be /api/tab/.
        Assert.Equal(string.Empty, RoutePrefix());
        var routes = s_functions.Value.Where(f => f.Type == "httpTrigger").Select(f => f.Route!).ToList();
        Assert.All(routes.Where(r => !r.StartsWith("tab/", StringComparison.Ordinal) && !r.StartsWith("pane/", StringComparison.Ordinal)),
            r => Assert.StartsWith("api/", r, StringComparison.Ordinal));
    }

    /// <summary>extensions.http.routePrefix of the Functions app's host.json ("api" when absent, the host's default).</summary>
    private static string RoutePrefix()
    {
        using var host = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "src", "TiesOffice.Functions", "host.json")));
        return host.RootElement.TryGetProperty("extensions", out var extensions) && extensions.TryGetProperty("http", out var http)
            && http.TryGetProperty("routePrefix", out var prefix)
            ? prefix.GetString()!.Trim('/')
            : "api";
    }

    private static List<FunctionBinding> ReadMetadata()
    {
        // The same configuration as this test build (Debug locally, Release in scripts/test.sh).
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var path = Path.Combine(TestPaths.RepositoryRoot, "src", "TiesOffice.Functions", "bin", configuration, "net10.0", "functions.metadata");
        Assert.True(File.Exists(path), $"{path} is missing: build src/TiesOffice.Functions ({configuration}) first; scripts/test.sh builds the whole solution.");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var result = new List<FunctionBinding>();
        foreach (var function in document.RootElement.EnumerateArray())
        {
            var trigger = function.GetProperty("bindings").EnumerateArray()
                .Single(b => b.GetProperty("direction").GetString() == "In" && b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));
            result.Add(new FunctionBinding(
                function.GetProperty("name").GetString()!,
                trigger.GetProperty("type").GetString()!,
                trigger.TryGetProperty("route", out var route) ? route.GetString() : null,
                trigger.TryGetProperty("methods", out var methods) ? string.Join(',', methods.EnumerateArray().Select(m => m.GetString())) : null,
                trigger.TryGetProperty("schedule", out var schedule) ? schedule.GetString() : null,
                trigger.TryGetProperty("queueName", out var queue) ? queue.GetString() : null,
                trigger.TryGetProperty("connection", out var connection) ? connection.GetString() : null));
        }

        return result;
    }

    private sealed record FunctionBinding(string Name, string Type, string? Route, string? Methods, string? Schedule, string? Queue, string? Connection);
}
