using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using TiesOffice.Application;

namespace TiesOffice.EndToEnd.Tests.TabApi;

/// <summary>
/// POST /api/me/sender, the Outlook pane's lookup by address: the same sign-in, isolation and 404 rules as the tie
/// routes, the exclusion list before anything else, and the address kept out of the URL.
/// </summary>
[Collection(TabApiGroup.Name)]
public sealed class SenderLookupTests(TabApiFixture app)
{
    private UserKey Reader => app.Users[TabApiFixture.Reader];

    [Fact]
    public async Task Sender_AContactOfTheUser_GetsTheTieInFull_TheSameAsById_WhateverTheCase()
    {
        var ct = TestContext.Current.CancellationToken;
        var first = (await GetJsonAsync("/api/me/ties?limit=1&tier=weak", Reader)).GetProperty("items")[0];
        var id = first.GetProperty("id").GetString()!;
        var contact = first.GetProperty("contact").GetString()!;

        using var response = await PostSenderAsync(Reader, contact.ToUpperInvariant());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var tie = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        var byId = await GetJsonAsync($"/api/me/ties/{id}", Reader);
        Assert.Equal(id, tie.GetProperty("id").GetString());
        Assert.Equal(contact, tie.GetProperty("contact").GetString());
        Assert.Equal(byId.GetProperty("tier").GetString(), tie.GetProperty("tier").GetString());
        Assert.Equal(byId.GetProperty("attention").GetRawText(), tie.GetProperty("attention").GetRawText());
        Assert.Equal(53, tie.GetProperty("timeline").GetArrayLength());
    }

    [Fact]
    public async Task Sender_NoTieYet_Gets404NotFound_AndTheUsersOwnAddress_Gets404Self()
    {
        var ct = TestContext.Current.CancellationToken;
        using var unknown = await PostSenderAsync(Reader, "first.contact@northwind.example");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.EndsWith("/not-found", (await unknown.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("type").GetString(), StringComparison.Ordinal);

        using var self = await PostSenderAsync(Reader, TabApiFixture.Reader);
        Assert.Equal(HttpStatusCode.NotFound, self.StatusCode);
        Assert.EndsWith("/self", (await self.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("type").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sender_AContactSeveralUsersShare_GivesEachUserTheirOwnTie_AcrossUsersAndTenants()
    {
        var ct = TestContext.Current.CancellationToken;
        var other = app.Users[TabApiFixture.Other];

        // Every demo user writes to much of the tenant, so a contact the reader, another user and the same mailbox
        // in tenant B all have a tie with exists; each must get their own tie (their own id and figures), never another's.
        var readers = await AllTiesAsync(Reader);
        var others = await AllTiesAsync(other);
        var inB = await AllTiesAsync(app.ReaderInB);
        var contact = readers.Keys.First(c => others.ContainsKey(c) && inB.ContainsKey(c) && c != TabApiFixture.Other);

        foreach (var (user, own, foreign) in new[] { (Reader, readers, new[] { others, inB }), (other, others, new[] { readers, inB }), (app.ReaderInB, inB, new[] { readers, others }) })
        {
            using var response = await PostSenderAsync(user, contact);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var tie = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
            var id = tie.GetProperty("id").GetString()!;
            Assert.Equal(own[contact], id);
            Assert.All(foreign, f => Assert.NotEqual(f[contact], id));
        }

        // A user's id for the contact is unknown to the others: 404, word for word the answer for a made-up id.
        using var cross = await app.GetAsync($"/api/me/ties/{readers[contact]}", other);
        using var missing = await app.GetAsync("/api/me/ties/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", other);
        Assert.Equal(HttpStatusCode.NotFound, cross.StatusCode);
        Assert.Equal(WithoutTraceId(await missing.Content.ReadAsStringAsync(ct)), WithoutTraceId(await cross.Content.ReadAsStringAsync(ct)));
    }

    [Fact]
    public async Task Sender_OnTheExclusionList_Gets404NotTracked_ForTheDomainAndItsSubdomains()
    {
        var ct = TestContext.Current.CancellationToken;
        var before = await GetJsonAsync("/api/me/settings", Reader);
        var settings = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(before.GetRawText())!;
        var exclusions = before.GetProperty("exclusions").EnumerateArray().Select(e => e.GetString()!).Append("northwind.example").ToArray();
        try
        {
            using (var put = await app.SendAsync(HttpMethod.Put, "/api/me/settings", app.TokenFor(Reader), Json(new
            {
                digestDay = settings["digestDay"].GetString(),
                digestTime = settings["digestTime"].GetString(),
                weeklyBudget = settings["weeklyBudget"].GetInt32(),
                timeZone = settings["timeZone"].ValueKind == JsonValueKind.Null ? null : settings["timeZone"].GetString(),
                exclusions,
            })))
            {
                Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            }

            foreach (var address in new[] { "kim.lee@northwind.example", "kim.lee@mail.northwind.example" })
            {
                using var response = await PostSenderAsync(Reader, address);
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
                var problem = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
                Assert.EndsWith("/not-tracked", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
            }

            using var elsewhere = await PostSenderAsync(Reader, "kim.lee@northwind.example.org");
            Assert.EndsWith("/not-found", (await elsewhere.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("type").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            using var restore = await app.SendAsync(HttpMethod.Put, "/api/me/settings", app.TokenFor(Reader), new StringContent(before.GetRawText(), Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, restore.StatusCode);
        }
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"address\": \"\"}")]
    [InlineData("{\"address\": \"no-at-sign\"}")]
    [InlineData("{\"address\": \"a@b@c.com\"}")]
    [InlineData("{\"address\": \"two words@example.com\"}")]
    [InlineData("{\"address\": 42}")]
    [InlineData("{\"address\": \"a@b.com\", \"tier\": \"strong\"}")]
    public async Task Sender_NotOneMailAddress_Gets400NamingTheField(string body)
    {
        using var response = await app.SendAsync(HttpMethod.Post, "/api/me/sender", app.TokenFor(Reader), new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.True(problem.TryGetProperty("errors", out var errors) && errors.EnumerateObject().Any());
    }

    [Fact]
    public async Task Sender_WithoutAToken_Gets401_AndAUserWhoNeverInstalled_Gets403()
    {
        using (var none = await app.SendAsync(HttpMethod.Post, "/api/me/sender", null, Json(new { address = TabApiFixture.Other })))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        }

        var stranger = new UserKey(TabApiFixture.TenantA, "00000000-0000-4000-8000-0000000000ff");
        using var notInstalled = await PostSenderAsync(stranger, TabApiFixture.Other);
        Assert.Equal(HttpStatusCode.Forbidden, notInstalled.StatusCode);
        Assert.EndsWith("/not-installed", (await notInstalled.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("type").GetString(), StringComparison.Ordinal);
    }

    private Task<HttpResponseMessage> PostSenderAsync(UserKey user, string address) =>
        app.SendAsync(HttpMethod.Post, "/api/me/sender", app.TokenFor(user), Json(new { address }));

    private async Task<JsonElement> GetJsonAsync(string path, UserKey user)
    {
        using var response = await app.GetAsync(path, user);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
    }

    private async Task<Dictionary<string, string>> AllTiesAsync(UserKey user)
    {
        var contacts = new Dictionary<string, string>(StringComparer.Ordinal);
        string? continuation = null;
        do
        {
            var page = await GetJsonAsync("/api/me/ties?limit=200" + (continuation is null ? string.Empty : "&continuation=" + Uri.EscapeDataString(continuation)), user);
            foreach (var item in page.GetProperty("items").EnumerateArray())
            {
                contacts[item.GetProperty("contact").GetString()!] = item.GetProperty("id").GetString()!;
            }

            continuation = page.GetProperty("continuation").GetString();
        }
        while (continuation is not null);
        return contacts;
    }

    private static string WithoutTraceId(string problem)
    {
        var fields = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(problem)!;
        fields.Remove("traceId");
        return string.Join('\n', fields.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => f.Key + "=" + f.Value.GetRawText()));
    }

    private static StringContent Json(object value) => new(JsonSerializer.Serialize(value), Encoding.UTF8, "application/json");
}
