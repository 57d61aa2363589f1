using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TiesOffice.Application;
using TiesOffice.Application.Ports;

namespace TiesOffice.EndToEnd.Tests.TabApi;

/// <summary>The use cases through the tab API, on the demo data.</summary>
[Collection(TabApiGroup.Name)]
public sealed class TabApiBehaviourTests(TabApiFixture app)
{
    private UserKey Reader => app.Users[TabApiFixture.Reader];

    [Fact]
    public async Task Summary_CountsTiersGivesAYearOfHistoryAndAtMostTheBudgetOfSuggestions()
    {
        var ct = TestContext.Current.CancellationToken;
        var summary = await GetJsonAsync("/api/me/summary", Reader);

        Assert.Equal(TabApiFixture.Reader, summary.GetProperty("user").GetProperty("mailAddress").GetString());
        Assert.Equal("ready", summary.GetProperty("sync").GetProperty("state").GetString());
        var tiers = summary.GetProperty("tiers");
        var total = tiers.GetProperty("strong").GetInt32() + tiers.GetProperty("weak").GetInt32() + tiers.GetProperty("dormant").GetInt32() + tiers.GetProperty("pseudo").GetInt32();
        var list = await GetJsonAsync("/api/me/ties?limit=1", Reader);
        Assert.Equal(list.GetProperty("total").GetInt32(), total);

        // Back-filled from the stored items at the first build, plus the current month: 12 months, oldest first.
        var months = summary.GetProperty("history").EnumerateArray().Select(m => m.GetProperty("month").GetString()!).ToList();
        Assert.Equal(12, months.Count);
        Assert.Equal(months.Order(StringComparer.Ordinal), months);
        Assert.Equal(DateTime.UtcNow.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), months[^1]);

        var suggestions = summary.GetProperty("suggestions").EnumerateArray().ToList();
        Assert.InRange(suggestions.Count, 0, 3);
        Assert.All(suggestions, s =>
        {
            Assert.False(string.IsNullOrWhiteSpace(s.GetProperty("routeText").GetString()));
            Assert.Contains(s.GetProperty("route").GetString(), new[] { "write", "proposeOneToOne", "anotherRoute" });
        });
        _ = ct;
    }

    [Fact]
    public async Task Ties_PagedWithContinuation_ReturnEveryMatchOnceInScoreOrder()
    {
        var seen = new List<(string Id, double Score)>();
        string? continuation = null;
        int total;
        do
        {
            var page = await GetJsonAsync("/api/me/ties?limit=37" + (continuation is null ? string.Empty : "&continuation=" + Uri.EscapeDataString(continuation)), Reader);
            total = page.GetProperty("total").GetInt32();
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(t => (t.GetProperty("id").GetString()!, t.GetProperty("score").GetDouble())));
            continuation = page.GetProperty("continuation").GetString();
        }
        while (continuation is not null);

        Assert.Equal(total, seen.Count);
        Assert.Equal(seen.Count, seen.Select(s => s.Id).Distinct().Count());
        Assert.Equal(seen.Select(s => s.Score).OrderByDescending(s => s), seen.Select(s => s.Score));
    }

    [Fact]
    public async Task Ties_AContinuationFromAnotherQuery_IsRefused()
    {
        var page = await GetJsonAsync("/api/me/ties?limit=2&tier=pseudo", Reader);
        var token = page.GetProperty("continuation").GetString()!;
        using var response = await app.GetAsync("/api/me/ties?limit=2&tier=weak&continuation=" + Uri.EscapeDataString(token), Reader);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Ties_Filters_KeepOnlyMatches()
    {
        var weak = await GetJsonAsync("/api/me/ties?tier=weak&limit=200", Reader);
        Assert.NotEmpty(weak.GetProperty("items").EnumerateArray());
        Assert.All(weak.GetProperty("items").EnumerateArray(), t => Assert.Equal("weak", t.GetProperty("tier").GetString()));

        // The demo log is all enron.com: every tie is internal.
        var external = await GetJsonAsync("/api/me/ties?scope=external&limit=200", Reader);
        Assert.Equal(0, external.GetProperty("total").GetInt32());
        var internalTies = await GetJsonAsync("/api/me/ties?scope=internal&limit=1", Reader);
        Assert.Equal(weak.GetProperty("total").GetInt32() > 0, internalTies.GetProperty("total").GetInt32() > 0);

        var byName = await GetJsonAsync("/api/me/ties?q=ARNOLD&sort=name&limit=200", Reader);
        var names = byName.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("contact").GetString()!).ToList();
        Assert.All(names, n => Assert.Contains("arnold", n, StringComparison.Ordinal));
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
    }

    [Fact]
    public async Task Tie_Detail_HasAYearOfWeeklyTwoWayTimelineAndAttentionFigures()
    {
        var top = await GetJsonAsync("/api/me/ties?tier=strong&limit=1", Reader);
        var id = top.GetProperty("items")[0].GetProperty("id").GetString()!;
        var detail = await GetJsonAsync($"/api/me/ties/{id}", Reader);

        var weeks = detail.GetProperty("timeline").EnumerateArray().ToList();
        Assert.Equal(53, weeks.Count);

        // Counts of direct exchanges each way per week, within the tie's own totals.
        var sent = weeks.Select(w => w.GetProperty("sent").GetInt32()).ToList();
        var received = weeks.Select(w => w.GetProperty("received").GetInt32()).ToList();
        Assert.Contains(sent, n => n > 0);
        Assert.Contains(received, n => n > 0);
        Assert.All(sent.Concat(received), n => Assert.True(n >= 0));
        Assert.InRange(sent.Sum(), 1, detail.GetProperty("attention").GetProperty("sent").GetInt32());
        Assert.InRange(received.Sum(), 1, detail.GetProperty("attention").GetProperty("received").GetInt32());
        var starts = weeks.Select(w => DateOnly.Parse(w.GetProperty("weekStart").GetString()!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.All(starts, d => Assert.Equal(DayOfWeek.Monday, d.DayOfWeek));
        Assert.All(starts.Zip(starts.Skip(1)), p => Assert.Equal(7, p.Second.DayNumber - p.First.DayNumber));

        var attention = detail.GetProperty("attention");
        Assert.True(attention.GetProperty("sent").GetInt32() > 0);
        Assert.True(attention.GetProperty("received").GetInt32() > 0);
        Assert.False(string.IsNullOrWhiteSpace(detail.GetProperty("why").GetString()));
        Assert.Equal(JsonValueKind.Object, detail.GetProperty("overrides").ValueKind);
    }

    [Fact]
    public async Task Ties_CarryDisplayNamesFromGraph_AndSearchMatchesThem()
    {
        var all = await GetJsonAsync("/api/me/ties?limit=200&sort=name", Reader);
        var items = all.GetProperty("items").EnumerateArray().ToList();
        var named = items.Where(t => t.GetProperty("displayName").ValueKind == JsonValueKind.String).ToList();
        Assert.True(named.Count > items.Count / 2, $"{named.Count} of {items.Count} ties have a name");

        // Sorted by name (the address when there is none), case-insensitively.
        var keys = items.Select(t => (t.GetProperty("displayName").GetString() ?? t.GetProperty("contact").GetString()!).ToLowerInvariant()).ToList();
        Assert.Equal(keys.Order(StringComparer.Ordinal), keys);

        // A name with a space is never part of an address: the match comes from the name.
        var target = named.First(t => t.GetProperty("displayName").GetString()!.Contains(' ', StringComparison.Ordinal));
        var name = target.GetProperty("displayName").GetString()!;
        var found = await GetJsonAsync("/api/me/ties?limit=200&q=" + Uri.EscapeDataString(name.ToUpperInvariant()), Reader);
        Assert.Contains(found.GetProperty("items").EnumerateArray(), t => t.GetProperty("id").GetString() == target.GetProperty("id").GetString());
        Assert.All(found.GetProperty("items").EnumerateArray(), t => Assert.Contains(name, t.GetProperty("displayName").GetString() ?? string.Empty, StringComparison.OrdinalIgnoreCase));

        var detail = await GetJsonAsync("/api/me/ties/" + target.GetProperty("id").GetString(), Reader);
        Assert.Equal(name, detail.GetProperty("displayName").GetString());
    }

    [Fact]
    public async Task Ties_LastContact_IsNeverAfterNowAndAgreesWithTheWhy()
    {
        var page = await GetJsonAsync("/api/me/ties?limit=200&sort=lastContact", Reader);
        var now = DateTimeOffset.UtcNow;
        foreach (var t in page.GetProperty("items").EnumerateArray())
        {
            if (t.GetProperty("lastContact").ValueKind != JsonValueKind.String)
            {
                continue;
            }

            var last = t.GetProperty("lastContact").GetDateTimeOffset();
            Assert.True(last <= now, t.GetProperty("why").GetString());
            var why = t.GetProperty("why").GetString()!;
            if (why.Contains("last contact today", StringComparison.Ordinal))
            {
                Assert.True(now - last < TimeSpan.FromDays(1.01), why);
            }
        }
    }

    [Fact]
    public async Task Overrides_ReachTheSavedTieAndTheExportAtOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        var user = app.Users[TabApiFixture.Reader];
        var weak = await GetJsonAsync("/api/me/ties?tier=weak&limit=1", user);
        var item = weak.GetProperty("items")[0];
        var id = item.GetProperty("id").GetString()!;
        var contact = item.GetProperty("contact").GetString()!;
        var saved = app.Services.GetRequiredService<ITieStore>();
        Assert.Equal("weak", (await saved.GetAsync(user, contact, ct))!.Tier);

        using (var put = await app.SendAsync(HttpMethod.Put, $"/api/me/ties/{id}/overrides", app.TokenFor(user), Json(new { tier = "strong" })))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        try
        {
            // No sync has run: the saved row (what export and every reader of saved ties see) changed with the override.
            var row = await saved.GetAsync(user, contact, ct);
            Assert.Equal("strong", row!.Tier);
            Assert.StartsWith("strong: ", row.Why, StringComparison.Ordinal);
            using var export = await app.GetAsync("/api/me/export", user);
            var json = await export.Content.ReadFromJsonAsync<JsonElement>(ct);
            var exported = json.GetProperty("ties").EnumerateArray().Single(t => t.GetProperty("contact").GetString() == contact);
            Assert.Equal("strong", exported.GetProperty("tier").GetString());

            // The pane's lookup by address reads the same.
            var network = app.Services.GetRequiredService<TiesOffice.Application.Network.NetworkService>();
            var me = await network.FindInstalledAsync(user, ct);
            Assert.Equal(TiesOffice.Domain.Ties.TieTier.Strong, (await network.GetTieByAddressAsync(me!, contact, ct))!.Summary.Tier);
        }
        finally
        {
            using var clear = await app.SendAsync(HttpMethod.Delete, $"/api/me/ties/{id}/overrides", app.TokenFor(user));
            Assert.Equal(HttpStatusCode.OK, clear.StatusCode);
        }

        Assert.Equal("weak", (await saved.GetAsync(user, contact, ct))!.Tier);
    }

    [Fact]
    public async Task Overrides_WinAtOnce_AndClearingThemRestoresTheInference()
    {
        var ct = TestContext.Current.CancellationToken;
        var user = app.Users[TabApiFixture.Other];
        var weak = await GetJsonAsync("/api/me/ties?tier=weak&limit=1&sort=name", user);
        var id = weak.GetProperty("items")[0].GetProperty("id").GetString()!;
        var until = DateTime.UtcNow.AddDays(30).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        using (var put = await app.SendAsync(HttpMethod.Put, $"/api/me/ties/{id}/overrides", app.TokenFor(user), Json(new { tier = "strong", positionBased = true, snoozedUntil = until, cadenceDays = 14, note = "met at the offsite" })))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            var detail = await put.Content.ReadFromJsonAsync<JsonElement>(ct);
            Assert.Equal("strong", detail.GetProperty("tier").GetString());
            Assert.Equal("weak", detail.GetProperty("inferredTier").GetString());
            Assert.True(detail.GetProperty("isOverridden").GetBoolean());
            Assert.Equal("positionBased", detail.GetProperty("portability").GetProperty("class").GetString());
            Assert.Equal("met at the offsite", detail.GetProperty("overrides").GetProperty("note").GetString());
            Assert.Equal(14, detail.GetProperty("overrides").GetProperty("cadenceDays").GetDouble());
        }

        // The list, the counts and the suggestions read it on the very next request.
        var strong = await GetJsonAsync("/api/me/ties?tier=strong&limit=200", user);
        Assert.Contains(strong.GetProperty("items").EnumerateArray(), t => t.GetProperty("id").GetString() == id);
        var summary = await GetJsonAsync("/api/me/summary", user);
        Assert.DoesNotContain(summary.GetProperty("suggestions").EnumerateArray(), s => s.GetProperty("tieId").GetString() == id);

        // A partial change leaves the rest; null clears one field.
        using (var partial = await app.SendAsync(HttpMethod.Put, $"/api/me/ties/{id}/overrides", app.TokenFor(user), Json(new { note = (string?)null })))
        {
            var detail = await partial.Content.ReadFromJsonAsync<JsonElement>(ct);
            Assert.Equal(JsonValueKind.Null, detail.GetProperty("overrides").GetProperty("note").ValueKind);
            Assert.Equal("strong", detail.GetProperty("tier").GetString());
        }

        using (var clear = await app.SendAsync(HttpMethod.Delete, $"/api/me/ties/{id}/overrides", app.TokenFor(user)))
        {
            var detail = await clear.Content.ReadFromJsonAsync<JsonElement>(ct);
            Assert.Equal("weak", detail.GetProperty("tier").GetString());
            Assert.False(detail.GetProperty("isOverridden").GetBoolean());
        }
    }

    [Fact]
    public async Task Settings_ExcludingAnAddress_HidesItsTieAndRemovesItsStoredItems()
    {
        var ct = TestContext.Current.CancellationToken;
        var user = app.Users[TabApiFixture.Excluder];

        // The demo log is all enron.com, so an address stands in for a domain here (the unit of a match is the same).
        var weak = await GetJsonAsync("/api/me/ties?tier=weak&limit=1", user);
        var excluded = weak.GetProperty("items")[0].GetProperty("contact").GetString()!;
        var items = app.Services.GetRequiredService<IMailboxStore>();
        bool Involves(Domain.Metadata.MailMessage m) => m.From == excluded || m.To.Contains(excluded) || m.Cc.Contains(excluded) || m.Bcc.Contains(excluded);
        Assert.Contains(await items.ReadMessagesAsync(user, ct).ToListAsync(ct), Involves);

        using (var put = await app.SendAsync(HttpMethod.Put, "/api/me/settings", app.TokenFor(user), Json(new { digestDay = "tuesday", digestTime = "08:30", weeklyBudget = 5, timeZone = "Europe/Paris", exclusions = new[] { excluded.ToUpperInvariant() } })))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            var saved = await put.Content.ReadFromJsonAsync<JsonElement>(ct);
            Assert.Equal("tuesday", saved.GetProperty("digestDay").GetString());
            Assert.Equal("08:30", saved.GetProperty("digestTime").GetString());
            Assert.Equal(excluded, saved.GetProperty("exclusions")[0].GetString());
        }

        var after = await GetJsonAsync("/api/me/ties?limit=200&q=" + Uri.EscapeDataString(excluded), user);
        Assert.Equal(0, after.GetProperty("total").GetInt32());
        Assert.DoesNotContain(await items.ReadMessagesAsync(user, ct).ToListAsync(ct), Involves);
        var summary = await GetJsonAsync("/api/me/summary", user);
        Assert.DoesNotContain(summary.GetProperty("suggestions").EnumerateArray(), s => s.GetProperty("contact").GetString() == excluded);

        var settings = await GetJsonAsync("/api/me/settings", user);
        Assert.Equal(5, settings.GetProperty("weeklyBudget").GetInt32());
        Assert.Equal("Europe/Paris", settings.GetProperty("timeZone").GetString());
    }

    [Fact]
    public async Task RoleChange_And_Reach_SortTheStrongAndWeakTies()
    {
        var roles = await GetJsonAsync("/api/me/role-change", Reader);
        var counted = roles.GetProperty("survive").GetArrayLength() + roles.GetProperty("go").GetArrayLength() + roles.GetProperty("unknown").GetArrayLength();
        var summary = await GetJsonAsync("/api/me/summary", Reader);
        Assert.Equal(summary.GetProperty("tiers").GetProperty("strong").GetInt32() + summary.GetProperty("tiers").GetProperty("weak").GetInt32(), counted);
        Assert.All(roles.GetProperty("go").EnumerateArray(), t => Assert.Equal("positionBased", t.GetProperty("portability").GetProperty("class").GetString()));

        var reach = await GetJsonAsync("/api/me/reach", Reader);
        Assert.Equal("enron.com", reach.GetProperty("internalDomain").GetString());
        var groups = reach.GetProperty("groups").EnumerateArray().ToList();
        Assert.Contains(groups, g => g.GetProperty("internal").GetBoolean());
        Assert.Equal(counted, groups.Sum(g => g.GetProperty("strong").GetInt32() + g.GetProperty("weak").GetInt32()));
        Assert.All(groups.Where(g => g.GetProperty("strong").GetInt32() + g.GetProperty("weak").GetInt32() == 1), g => Assert.Equal(JsonValueKind.Object, g.GetProperty("onlyBridge").ValueKind));

        // The simulator's directory gives departments (people.tsv) to the log's mailbox owners: their ties are grouped
        // by department, inside the organisation; everyone else stays under the organisation's domain.
        var departments = File.ReadLines(Path.Combine(TestPaths.SharedData, "enron", "people.tsv")).Skip(1)
            .Select(l => l.Split('\t')).Where(f => f.Length > 2 && f[2].Length > 0).Select(f => f[2]).ToHashSet(StringComparer.Ordinal);
        var byDepartment = groups.Where(g => g.GetProperty("kind").GetString() == "department").ToList();
        Assert.NotEmpty(byDepartment);
        Assert.All(byDepartment, g =>
        {
            Assert.True(g.GetProperty("internal").GetBoolean());
            Assert.Contains(g.GetProperty("name").GetString()!, departments);
        });
        Assert.All(groups.Where(g => g.GetProperty("kind").GetString() == "domain"), g => Assert.Equal(g.GetProperty("name").GetString() == "enron.com", g.GetProperty("internal").GetBoolean()));
    }

    [Fact]
    public async Task Export_CarriesTheDisplayNamesTheTabShows()
    {
        var page = await GetJsonAsync("/api/me/ties?limit=50", Reader);
        var named = page.GetProperty("items").EnumerateArray().Where(t => t.GetProperty("displayName").ValueKind == JsonValueKind.String).ToList();
        Assert.NotEmpty(named);
        using var export = await app.GetAsync("/api/me/export", Reader);
        var json = await export.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        var exported = json.GetProperty("ties").EnumerateArray().ToDictionary(t => t.GetProperty("contact").GetString()!, t => t.GetProperty("displayName").GetString());
        Assert.All(named, t => Assert.Equal(t.GetProperty("displayName").GetString(), exported[t.GetProperty("contact").GetString()!]));
    }

    private async Task<JsonElement> GetJsonAsync(string path, UserKey user)
    {
        using var response = await app.GetAsync(path, user);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
    }

    private static StringContent Json(object value) => new(JsonSerializer.Serialize(value), Encoding.UTF8, "application/json");
}
