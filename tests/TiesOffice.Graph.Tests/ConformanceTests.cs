using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Graph.Models;
using TiesOffice.Testing;

namespace TiesOffice.Graph.Tests;

/// <summary>The simulator's payloads against Graph's published v1.0 metadata and Microsoft's documented samples.</summary>
public sealed class ConformanceTests
{
    private const string Ada = "ada@contoso.com";
    private static readonly HashSet<string> Annotations = ["@odata.type", "@odata.etag", "@odata.context", "@odata.nextLink", "@odata.deltaLink", "@odata.id", "@removed"];
    private static readonly Lazy<JsonDocument> Types = new(() => JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.Samples, "graph-v1-types.json"))));

    // Properties Graph's documented v1.0 responses carry although the published metadata omits them.
    private static readonly HashSet<(string Type, string Property)> DocumentedExtras = [("microsoft.graph.subscription", "notificationContentType")];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task MessageDelta_FullPayload_MatchesPublishedMetadata()
    {
        await using var h = await Harness.StartAsync(seed: Harness.SmallTenant(messages: 20));
        var user = h.Key(Ada).UserId;

        using var page = await GetAsync(h, $"v1.0/users/{user}/mailFolders/inbox/messages/delta", 5);
        var items = page.RootElement.GetProperty("value").EnumerateArray().ToList();

        Assert.NotEmpty(items);
        Assert.Equal(1, h.Box(Ada).BodyPagesServed);
        foreach (var item in items)
        {
            Validate(item, "microsoft.graph.message", "message");
            Assert.Contains(TiesOffice.GraphSimulator.SimulatorOptions.BodyCanary, item.GetProperty("body").GetProperty("content").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task MessageDelta_PagesAndRemoved_MatchTheSamplesFieldForField()
    {
        await using var h = await Harness.StartAsync(seed: Harness.SmallTenant(messages: 20));
        var user = h.Key(Ada).UserId;
        using var sample1 = Sample("messages-delta-round1-page1.json");
        using var sampleFinal = Sample("messages-delta-round1-page3-final.json");
        using var sampleRemoved = Sample("messages-delta-round2-removed-and-updated.json");

        using var first = await GetAsync(h, $"v1.0/users/{user}/mailFolders/inbox/messages/delta()?$select=subject,sender,isRead", 2);
        Assert.Equal(Keys(sample1.RootElement), Keys(first.RootElement));
        Assert.Equal(Keys(sample1.RootElement.GetProperty("value")[0]), Keys(first.RootElement.GetProperty("value")[0]));

        var link = first.RootElement.GetProperty("@odata.nextLink").GetString()!;
        JsonDocument last = first;
        while (last.RootElement.TryGetProperty("@odata.nextLink", out var next))
        {
            link = next.GetString()!;
            Assert.StartsWith(h.Sim.BaseAddress.ToString(), link, StringComparison.Ordinal);
            last = await GetAsync(h, link, 2);
        }

        Assert.Equal(Keys(sampleFinal.RootElement), Keys(last.RootElement));
        var delta = last.RootElement.GetProperty("@odata.deltaLink").GetString()!;
        var removedId = h.TruthMessages(Ada, "inbox").First();
        h.Sim.Tenant.DeleteItem(h.Box(Ada), removedId);
        using var round2 = await GetAsync(h, delta, 2);
        var removed = round2.RootElement.GetProperty("value").EnumerateArray().Single();
        Assert.Equal(Keys(sampleRemoved.RootElement.GetProperty("value")[0]), Keys(removed));
        Assert.Equal("deleted", removed.GetProperty("@removed").GetProperty("reason").GetString());
        Assert.Equal(removedId, removed.GetProperty("id").GetString());
    }

    [Fact]
    public async Task MessageDelta_Select_ReturnsOnlySelectedPropertiesAndId()
    {
        await using var h = await Harness.StartAsync(seed: Harness.SmallTenant(messages: 10));
        var user = h.Key(Ada).UserId;

        using var page = await GetAsync(h, $"users/{user}/mailFolders('inbox')/messages/microsoft.graph.delta()?$select=from,sentDateTime", 3);
        using var bad = await SendAsync(h, $"v1.0/users/{user}/mailFolders/inbox/messages/delta?$select=nonsense", 3);

        foreach (var item in page.RootElement.GetProperty("value").EnumerateArray())
        {
            Assert.Equal(["from", "id", "sentDateTime"], Keys(item).Where(k => !k.StartsWith('@')).Order(StringComparer.Ordinal));
        }

        Assert.Equal(400, (int)bad.StatusCode);
    }

    [Fact]
    public async Task CalendarViewDelta_Payload_MatchesMetadataAndSamples()
    {
        await using var h = await Harness.StartAsync(seed: Harness.SmallTenant());
        var user = h.Key(Ada).UserId;
        using var sample = Sample("calendarview-delta-round1-page1.json");
        using var sample2 = Sample("calendarview-delta-round2-removed-and-updated.json");
        var start = DateTime.UtcNow.AddYears(-1).ToString("yyyy-MM-dd'T'00:00:00'Z'", CultureInfo.InvariantCulture);
        var end = DateTime.UtcNow.AddMonths(1).ToString("yyyy-MM-dd'T'00:00:00'Z'", CultureInfo.InvariantCulture);

        using var page = await GetAsync(h, $"v1.0/users/{user}/calendarView/delta?startDateTime={start}&endDateTime={end}", 2);

        Assert.Equal(Keys(sample.RootElement), Keys(page.RootElement));
        var items = page.RootElement.GetProperty("value").EnumerateArray().ToList();
        Assert.Equal(2, items.Count);
        foreach (var item in items)
        {
            Validate(item, "microsoft.graph.event", "event");
            Assert.Superset(Keys(sample.RootElement.GetProperty("value")[0]).ToHashSet(), Keys(item).ToHashSet());
            Assert.Superset(Keys(sample2.RootElement.GetProperty("value")[1]).ToHashSet(), Keys(item).ToHashSet());
        }

        using var missing = await SendAsync(h, $"v1.0/users/{user}/calendarView/delta", 2);
        Assert.Equal(400, (int)missing.StatusCode);
    }

    [Fact]
    public async Task UsersAndMailboxSettings_MatchPublishedMetadata()
    {
        await using var h = await Harness.StartAsync(seed: Harness.SmallTenant(messages: 4));

        using var users = await GetAsync(h, "v1.0/users?$top=3", 0);
        using var next = await GetAsync(h, users.RootElement.GetProperty("@odata.nextLink").GetString()!, 0);
        using var one = await GetAsync(h, $"v1.0/users/{Ada}?$select=displayName,mail,jobTitle,department", 0);
        using var settings = await GetAsync(h, $"v1.0/users/{Ada}/mailboxSettings", 0);

        Assert.Equal(3, users.RootElement.GetProperty("value").GetArrayLength());
        Assert.Equal(1, next.RootElement.GetProperty("value").GetArrayLength());
        foreach (var u in users.RootElement.GetProperty("value").EnumerateArray())
        {
            Validate(u, "microsoft.graph.user", "user");
        }

        Validate(one.RootElement, "microsoft.graph.user", "user");
        Assert.Equal(["department", "displayName", "id", "jobTitle", "mail"], Keys(one.RootElement).Where(k => !k.StartsWith('@')).Order(StringComparer.Ordinal));
        Validate(settings.RootElement, "microsoft.graph.mailboxSettings", "mailboxSettings");
        Assert.False(string.IsNullOrEmpty(settings.RootElement.GetProperty("timeZone").GetString()));
    }

    [Fact]
    public async Task Sdk_DeserialisesPayloads_WithOnlyAnnotationsLeftInAdditionalData()
    {
        await using var h = await Harness.StartAsync(seed: Harness.SmallTenant(messages: 30));
        var user = h.Key(Ada).UserId;
        h.Sim.Tenant.DeleteItem(h.Box(Ada), h.TruthMessages(Ada, "inbox").First());

        var messages = await h.Client.Users[user].MailFolders["inbox"].Messages.Delta.GetAsDeltaGetResponseAsync(cancellationToken: Ct);
        var events = await h.Client.Users[user].CalendarView.Delta.GetAsDeltaGetResponseAsync(
            rc =>
            {
                rc.QueryParameters.StartDateTime = DateTime.UtcNow.AddYears(-1).ToString("O", CultureInfo.InvariantCulture);
                rc.QueryParameters.EndDateTime = DateTime.UtcNow.AddMonths(1).ToString("O", CultureInfo.InvariantCulture);
            },
            Ct);
        var users = await h.Client.Users.GetAsync(rc => rc.QueryParameters.Select = ["displayName", "mail", "jobTitle", "department"], Ct);
        var settings = await h.Client.Users[user].MailboxSettings.GetAsync(cancellationToken: Ct);

        var entities = messages!.Value!.Cast<Entity>().Concat(events!.Value!).Concat(users!.Value!).ToList();
        Assert.True(entities.Count > 10);
        Assert.All(entities, e => Assert.All(e.AdditionalData.Keys, k => Assert.Contains(k, Annotations)));
        Assert.All(settings!.AdditionalData.Keys, k => Assert.Contains(k, Annotations));
        Assert.All(messages.Value!, m => Assert.NotNull(m.From));
        Assert.All(events.Value!, e => Assert.NotNull(e.Start?.DateTime));
        Assert.NotNull(settings.TimeZone);
        Assert.NotNull(messages.OdataNextLink ?? messages.OdataDeltaLink);
    }

    [Fact]
    public async Task Batch_MoreThanTwentyRequests_IsRejectedAndInnerStatusesAreReported()
    {
        await using var h = await Harness.StartAsync(seed: Harness.SmallTenant(messages: 4));
        var user = h.Key(Ada).UserId;
        object Request(int i) => new { id = i.ToString(CultureInfo.InvariantCulture), method = "GET", url = i % 2 == 0 ? $"/users/{user}/mailboxSettings" : "/users/nobody@contoso.com" };

        using var ok = await PostAsync(h, "v1.0/$batch", new { requests = Enumerable.Range(1, 2).Select(Request).ToArray() });
        using var tooMany = await PostAsync(h, "v1.0/$batch", new { requests = Enumerable.Range(1, 21).Select(Request).ToArray() });

        Assert.Equal(200, (int)ok.StatusCode);
        using var body = JsonDocument.Parse(await ok.Content.ReadAsStringAsync(Ct));
        var statuses = body.RootElement.GetProperty("responses").EnumerateArray().ToDictionary(r => r.GetProperty("id").GetString()!, r => r.GetProperty("status").GetInt32());
        Assert.Equal(404, statuses["1"]);
        Assert.Equal(200, statuses["2"]);
        Assert.Equal(400, (int)tooMany.StatusCode);
    }

    [Fact]
    public async Task Limits_FifthConcurrentRequest_Gets429WithRetryAfter()
    {
        await using var h = await Harness.StartAsync(seed: Harness.SmallTenant(messages: 4));
        await h.ControlAsync("POST", $"/_sim/users/{Ada}/faults", new { kind = "slow", count = -1, delayMs = 2000 });

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => SendAsync(h, $"v1.0/users/{Ada}/mailboxSettings", 0)));

        Assert.Contains(responses, r => (int)r.StatusCode == 429 && r.Headers.RetryAfter is not null);
        Assert.Equal(4, responses.Count(r => (int)r.StatusCode == 200));
        foreach (var r in responses)
        {
            r.Dispose();
        }
    }

    [Fact]
    public async Task Requests_WithoutBearerToken_Get401()
    {
        await using var h = await Harness.StartAsync(seed: Harness.SmallTenant(messages: 4));
        using var http = new HttpClient { BaseAddress = h.Sim.BaseAddress };

        using var response = await http.GetAsync(new Uri($"v1.0/users/{Ada}/mailboxSettings", UriKind.Relative), Ct);

        Assert.Equal(401, (int)response.StatusCode);
    }

    internal static IEnumerable<string> Keys(JsonElement e) => e.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToList();

    internal static JsonDocument Sample(string name)
    {
        using var file = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.Samples, name)));
        return JsonDocument.Parse(file.RootElement.GetProperty("body").GetRawText());
    }

    /// <summary>Every property exists on the type (or its bases) and has a JSON value of the declared EDM type.</summary>
    internal static void Validate(JsonElement value, string type, string path)
    {
        var types = Types.Value.RootElement;
        if (type.StartsWith("Collection(", StringComparison.Ordinal))
        {
            Assert.True(value.ValueKind == JsonValueKind.Array, path + " should be an array");
            var inner = type["Collection(".Length..^1];
            var i = 0;
            foreach (var element in value.EnumerateArray())
            {
                Validate(element, inner, path + "[" + (i++).ToString(CultureInfo.InvariantCulture) + "]");
            }

            return;
        }

        if (value.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        switch (type)
        {
            case "Edm.String":
            case "Edm.Binary":
            case "Edm.Guid":
                Assert.True(value.ValueKind == JsonValueKind.String, path + " should be a string");
                return;
            case "Edm.Boolean":
                Assert.True(value.ValueKind is JsonValueKind.True or JsonValueKind.False, path + " should be a boolean");
                return;
            case "Edm.Int32":
            case "Edm.Int64":
            case "Edm.Double":
                Assert.True(value.ValueKind == JsonValueKind.Number, path + " should be a number");
                return;
            case "Edm.DateTimeOffset":
                Assert.True(value.ValueKind == JsonValueKind.String && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.None, out _), path + " should be a date-time");
                return;
        }

        Assert.True(types.TryGetProperty(type, out var definition), $"{path}: type {type} is not in the published metadata");
        if (definition.GetProperty("kind").GetString() == "EnumType")
        {
            var members = definition.GetProperty("members").EnumerateArray().Select(m => m.GetString()).ToList();
            Assert.True(value.ValueKind == JsonValueKind.String && members.Contains(value.GetString()), $"{path}: '{value}' is not a member of {type}");
            return;
        }

        Assert.True(value.ValueKind == JsonValueKind.Object, path + " should be an object");
        var props = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var t = type; t is not null;)
        {
            var d = types.GetProperty(t);
            foreach (var p in d.GetProperty("props").EnumerateObject())
            {
                props.TryAdd(p.Name, p.Value.GetString()!);
            }

            t = d.TryGetProperty("base", out var b) && b.ValueKind == JsonValueKind.String ? b.GetString() : null;
            if (t is not null && !types.TryGetProperty(t, out _))
            {
                props.TryAdd("id", "Edm.String");
                t = null;
            }
        }

        foreach (var p in value.EnumerateObject())
        {
            if (p.Name.StartsWith('@'))
            {
                Assert.Contains(p.Name, Annotations);
                continue;
            }

            if (DocumentedExtras.Contains((type, p.Name)))
            {
                continue;
            }

            Assert.True(props.TryGetValue(p.Name, out var propType), $"{path}.{p.Name} is not a property of {type}");
            Validate(p.Value, propType!, path + "." + p.Name);
        }
    }

    private static async Task<JsonDocument> GetAsync(Harness h, string url, int pageSize)
    {
        using var response = await SendAsync(h, url, pageSize);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, text);
        if (pageSize > 0)
        {
            Assert.Equal("odata.maxpagesize=" + pageSize.ToString(CultureInfo.InvariantCulture), response.Headers.GetValues("Preference-Applied").Single());
        }

        return JsonDocument.Parse(text);
    }

    private static async Task<HttpResponseMessage> SendAsync(Harness h, string url, int pageSize)
    {
        using var http = new HttpClient { BaseAddress = new Uri(h.Sim.BaseAddress, url.StartsWith("v1.0", StringComparison.Ordinal) || url.StartsWith("http", StringComparison.Ordinal) ? string.Empty : "v1.0/") };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(url, UriKind.RelativeOrAbsolute));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", LocalTokenCredential.Token);
        if (pageSize > 0)
        {
            request.Headers.Add("Prefer", "odata.maxpagesize=" + pageSize.ToString(CultureInfo.InvariantCulture));
        }

        return await http.SendAsync(request, Ct);
    }

    private static async Task<HttpResponseMessage> PostAsync(Harness h, string url, object body)
    {
        using var http = new HttpClient { BaseAddress = h.Sim.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(url, UriKind.Relative)) { Content = System.Net.Http.Json.JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", LocalTokenCredential.Token);
        return await http.SendAsync(request, Ct);
    }
}
