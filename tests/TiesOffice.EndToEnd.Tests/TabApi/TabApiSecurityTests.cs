using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.Configuration;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using TiesOffice.Application;
using TiesOffice.Application.Ports;
using TiesOffice.Web.Auth;

namespace TiesOffice.EndToEnd.Tests.TabApi;

/// <summary>The checks of shared/research/security.md (numbers in the names) against the tab API.</summary>
[Collection(TabApiGroup.Name)]
public sealed class TabApiSecurityTests(TabApiFixture app)
{
    private UserKey Reader => app.Users[TabApiFixture.Reader];

    private UserKey Other => app.Users[TabApiFixture.Other];

    [Fact]
    public async Task Item01_ValidToken_Gets200()
    {
        using var response = await app.GetAsync("/api/me/summary", Reader);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public static TheoryData<string> SingleChanges =>
    [
        "graph-audience", "other-app-audience", "iss-tenant-not-tid", "non-guid-tid", "expired", "not-yet-valid",
        "alg-none", "hs256-with-public-key", "tampered-signature", "unknown-kid", "key-issuer-other-tenant", "no-token",
    ];

    [Theory]
    [MemberData(nameof(SingleChanges))]
    public async Task Item01_EachSingleChange_Gets401AndReadsNothing(string change)
    {
        var claims = app.Issuer.AccessTokenClaims(Reader.TenantId, Reader.UserId, TabApiFixture.Audience);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        string? token = change switch
        {
            "graph-audience" => Sign(claims, c => c["aud"] = "https://graph.microsoft.com"),
            "other-app-audience" => Sign(claims, c => c["aud"] = "api://someone-else/0f0f0f0f-0000-4000-8000-000000000000"),
            "iss-tenant-not-tid" => Sign(claims, c => c["iss"] = app.Issuer.IssuerFor(TabApiFixture.TenantB)),
            "non-guid-tid" => Sign(claims, c => { c["tid"] = "contoso"; c["iss"] = app.Issuer.IssuerFor("contoso"); }),
            "expired" => Sign(claims, c => { c["iat"] = now - 7200; c["nbf"] = now - 7200; c["exp"] = now - 360; }),
            "not-yet-valid" => Sign(claims, c => { c["nbf"] = now + 360; c["exp"] = now + 3600; }),
            "alg-none" => TestIssuer.WithoutSignature(claims),
            "hs256-with-public-key" => app.Issuer.SignHmacWithPublicKey(claims),
            "tampered-signature" => Tamper(app.Issuer.Sign(claims)),
            "unknown-kid" => app.Issuer.Sign(claims, TestIssuer.NewKey()),
            "key-issuer-other-tenant" => app.Issuer.Sign(claims, ForeignKey()),
            "no-token" => null,
            _ => throw new ArgumentOutOfRangeException(nameof(change)),
        };

        var before = app.TableRequests();
        using var response = await app.SendAsync(HttpMethod.Get, "/api/me/summary", token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(before, app.TableRequests());
    }

    public static TheoryData<string> NotUserTokens => ["id-token", "app-only", "no-access-as-user"];

    [Theory]
    [MemberData(nameof(NotUserTokens))]
    public async Task Item02_IdTokenAppOnlyOrMissingScope_IsRefusedAndReadsNothing(string kind)
    {
        var claims = app.Issuer.AccessTokenClaims(Reader.TenantId, Reader.UserId, TabApiFixture.Audience);
        switch (kind)
        {
            case "id-token":
                // An ID token is for the client: aud is the client id, no scp, a nonce.
                claims.Remove("scp");
                claims["aud"] = TabApiFixture.ClientId;
                claims["nonce"] = "n-0S6_WzA2Mj";
                break;
            case "app-only":
                claims.Remove("scp");
                claims["roles"] = new[] { "Tasks.Read.All" };
                claims["idtyp"] = "app";
                claims["oid"] = "99999999-0000-4000-8000-000000000099";
                break;
            default:
                claims["scp"] = "User.Read Mail.Read";
                break;
        }

        var before = app.TableRequests();
        using var response = await app.SendAsync(HttpMethod.Get, "/api/me/summary", app.Issuer.Sign(claims));

        Assert.Contains(response.StatusCode, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden });
        Assert.Equal(before, app.TableRequests());
    }

    [Fact]
    public async Task Item03_UnknownKid_RefreshesKeysAtMostOnceThenRejects()
    {
        var claims = app.Issuer.AccessTokenClaims(Reader.TenantId, Reader.UserId, TabApiFixture.Audience);
        using (var warm = await app.SendAsync(HttpMethod.Get, "/api/me/summary", app.Issuer.Sign(claims)))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        var fetches = app.Issuer.JwksFetches;
        var stranger = TestIssuer.NewKey();
        for (var i = 0; i < 3; i++)
        {
            using var response = await app.SendAsync(HttpMethod.Get, "/api/me/summary", app.Issuer.Sign(claims, stranger));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        // Three tokens with an unknown kid: the keys are refreshed at most once (the refresh is rate-limited), not per token.
        Assert.InRange(app.Issuer.JwksFetches - fetches, 0, 1);
    }

    [Fact]
    public async Task Item03_RotatedKey_IsAcceptedAfterTheRefresh()
    {
        // A host of its own, so that no earlier test has used up the rate-limited refresh of its key set.
        await using var issuer = await TestIssuer.StartAsync();
        await using var host = app.Host.WithWebHostBuilder(web => web.UseSetting("AzureAd:Instance", issuer.Instance));
        using var client = host.CreateClient();
        var claims = issuer.AccessTokenClaims(Other.TenantId, Other.UserId, TabApiFixture.Audience);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, issuer.Sign(claims)));
        var fetches = issuer.JwksFetches;

        // The library refreshes in the background after a miss; it says when a new configuration is in place, so
        // the test waits for that event (never for a time), then the rotated key must be accepted.
        var jwt = host.Services.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(TabAuthentication.Scheme);
        var manager = Assert.IsType<ConfigurationManager<OpenIdConnectConfiguration>>(jwt.ConfigurationManager);
        var rotated = issuer.Publish(TestIssuer.NewKey());
        var updated = new KeysUpdated(rotated.KeyId!);
        manager.ConfigurationEventHandler = updated;

        // The issuer rotates: a new key is published and signs from now on. The host has the old key set cached; a
        // token with the new kid makes it fetch the keys again (that first answer may come before the refresh ends).
        var first = await StatusAsync(client, issuer.Sign(claims, rotated));
        Assert.Contains(first, new[] { HttpStatusCode.OK, HttpStatusCode.Unauthorized });
        await updated.Seen.Task.WaitAsync(TestContext.Current.CancellationToken);
        Assert.Contains((await manager.GetConfigurationAsync(TestContext.Current.CancellationToken)).SigningKeys, k => k.KeyId == rotated.KeyId);

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, issuer.Sign(claims, rotated)));
        Assert.InRange(issuer.JwksFetches - fetches, 1, 2);
    }

    /// <summary>Completes when the configuration manager has put in place a key set holding a given kid.</summary>
    private sealed class KeysUpdated(string kid) : IConfigurationEventHandler<OpenIdConnectConfiguration>
    {
        public TaskCompletionSource Seen { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<ConfigurationEventHandlerResult<OpenIdConnectConfiguration>> BeforeRetrieveAsync(string metadataAddress, CancellationToken cancellationToken) =>
            Task.FromResult(ConfigurationEventHandlerResult<OpenIdConnectConfiguration>.NoResult);

        public Task AfterUpdateAsync(string metadataAddress, OpenIdConnectConfiguration configuration, CancellationToken cancellationToken)
        {
            if (configuration.SigningKeys.Any(k => k.KeyId == kid))
            {
                Seen.TrySetResult();
            }

            return Task.CompletedTask;
        }
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/me/settings", UriKind.Relative));
        request.Headers.Authorization = new("Bearer", token);
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        return response.StatusCode;
    }

    [Fact]
    public async Task Item03_KeysUnreachable_FailsClosed()
    {
        // A second host whose issuer is down from the start: it has never had keys, and must refuse, not accept.
        await using var issuer = await TestIssuer.StartAsync();
        issuer.Unreachable = true;
        await using var host = app.Host.WithWebHostBuilder(web => web.UseSetting("AzureAd:Instance", issuer.Instance));
        using var client = host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/me/summary", UriKind.Relative));
        request.Headers.Authorization = new("Bearer", issuer.Sign(issuer.AccessTokenClaims(Reader.TenantId, Reader.UserId, TabApiFixture.Audience)));

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Item07_TenantThatNeverInstalled_Gets403AndNothingIsCreated()
    {
        var stranger = new UserKey("7e7e7e7e-0000-4000-8000-0000000000d7", "d7d7d7d7-0000-4000-8000-0000000000d7");
        foreach (var path in new[] { "/api/me/summary", "/api/me/ties", "/api/me/settings", "/api/me/export" })
        {
            using var response = await app.GetAsync(path, stranger);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
            Assert.EndsWith("/not-installed", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
        }

        using (var put = await app.SendAsync(HttpMethod.Put, "/api/me/settings", app.TokenFor(stranger), Json(new { digestDay = "monday", digestTime = "09:00", weeklyBudget = 3, exclusions = Array.Empty<string>() })))
        {
            Assert.Equal(HttpStatusCode.Forbidden, put.StatusCode);
        }

        Assert.Null(await app.Services.GetRequiredService<IUserDirectory>().GetAsync(stranger, TestContext.Current.CancellationToken));
        var export = await app.Services.GetRequiredService<IPrivacyOperations>().ExportAsync(stranger, TestContext.Current.CancellationToken);
        Assert.Null(export.Settings);
        Assert.Empty(export.Overrides);
        Assert.Empty(export.SyncState);
        Assert.Empty(export.Ties);
    }

    [Fact]
    public async Task Item08_SameSubAndEmailInAnotherTenant_IsAnotherUser_AndEmailDoesNotDecideWho()
    {
        var ct = TestContext.Current.CancellationToken;
        var inA = await FirstTieIdAsync(Reader);
        var note = "tenant-a-note-" + Guid.NewGuid().ToString("N");
        using (var put = await app.SendAsync(HttpMethod.Put, $"/api/me/ties/{inA}/overrides", app.TokenFor(Reader), Json(new { note })))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        // Same sub, email and preferred_username (the tokens share them), other tid: B sees none of A's data.
        var inB = await FirstTieIdAsync(app.ReaderInB);
        Assert.NotEqual(inA, inB);
        using (var cross = await app.GetAsync($"/api/me/ties/{inA}", app.ReaderInB))
        {
            Assert.Equal(HttpStatusCode.NotFound, cross.StatusCode);
        }

        var exportB = await (await app.GetAsync("/api/me/export", app.ReaderInB)).Content.ReadAsStringAsync(ct);
        Assert.DoesNotContain(note, exportB, StringComparison.Ordinal);

        // Changing the email claims does not change who A is.
        var claims = app.Issuer.AccessTokenClaims(Reader.TenantId, Reader.UserId, TabApiFixture.Audience);
        claims["email"] = claims["preferred_username"] = "someone.else@enron.com";
        using var changed = await app.SendAsync(HttpMethod.Get, $"/api/me/ties/{inA}", app.Issuer.Sign(claims));
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Contains(note, await changed.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Item09_AnotherTenantsTie_Gets404ExactlyAsAMissingOne()
    {
        var ct = TestContext.Current.CancellationToken;
        var inA = await FirstTieIdAsync(Reader);
        using var cross = await app.GetAsync($"/api/me/ties/{inA}", app.ReaderInB);
        using var missing = await app.GetAsync("/api/me/ties/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", app.ReaderInB);

        Assert.Equal(HttpStatusCode.NotFound, cross.StatusCode);
        Assert.Equal(missing.StatusCode, cross.StatusCode);

        // The same problem, word for word, apart from the request's own trace id.
        Assert.Equal(WithoutTraceId(await missing.Content.ReadAsStringAsync(ct)), WithoutTraceId(await cross.Content.ReadAsStringAsync(ct)));

        // The same through the write routes.
        using var put = await app.SendAsync(HttpMethod.Put, $"/api/me/ties/{inA}/overrides", app.TokenFor(app.ReaderInB), Json(new { muted = true }));
        Assert.Equal(HttpStatusCode.NotFound, put.StatusCode);
    }

    [Fact]
    public async Task Item10_RandomCalls_NeverReturnAnotherUsersRows()
    {
        var ct = TestContext.Current.CancellationToken;
        UserKey[] users = [Reader, Other, app.ReaderInB];
        var ids = new Dictionary<UserKey, HashSet<string>>();
        foreach (var user in users)
        {
            ids[user] = await AllTieIdsAsync(user);
            Assert.NotEmpty(ids[user]);
        }

        var everyId = ids.Values.SelectMany(s => s).ToList();
        string[] filters = ["", "tier=weak", "tier=strong", "tier=dormant", "scope=external", "trend=cooling", "sort=name", "sort=lastContact", "q=enron", "portability=personal"];
        var random = new Random(20261206);
        for (var i = 0; i < 60; i++)
        {
            var user = users[random.Next(users.Length)];
            if (random.Next(2) == 0)
            {
                var query = filters[random.Next(filters.Length)];
                using var response = await app.GetAsync($"/api/me/ties?limit={random.Next(1, 40)}&{query}", user);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var page = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
                foreach (var item in page.GetProperty("items").EnumerateArray())
                {
                    Assert.Contains(item.GetProperty("id").GetString()!, ids[user]);
                }
            }
            else
            {
                var id = everyId[random.Next(everyId.Count)];
                using var response = await app.GetAsync($"/api/me/ties/{id}", user);
                Assert.Equal(ids[user].Contains(id) ? HttpStatusCode.OK : HttpStatusCode.NotFound, response.StatusCode);
            }
        }
    }

    [Fact]
    public async Task Item11_Stores_CannotBeCalledWithoutTenantAndUser()
    {
        var ct = TestContext.Current.CancellationToken;
        var services = app.Services;
        foreach (var user in new[] { new UserKey(string.Empty, Reader.UserId), new UserKey(Reader.TenantId, string.Empty), default })
        {
            await Assert.ThrowsAnyAsync<ArgumentException>(async () => await services.GetRequiredService<ITieStore>().ReadAsync(user, ct).ToListAsync(ct));
            await Assert.ThrowsAnyAsync<ArgumentException>(async () => await services.GetRequiredService<ISettingsStore>().ReadOverridesAsync(user, ct).ToListAsync(ct));
            await Assert.ThrowsAnyAsync<ArgumentException>(() => services.GetRequiredService<ISettingsStore>().GetSettingsAsync(user, ct));
            await Assert.ThrowsAnyAsync<ArgumentException>(() => services.GetRequiredService<IEngineStateStore>().GetVersionAsync(user, ct));
            await Assert.ThrowsAnyAsync<ArgumentException>(() => services.GetRequiredService<ITierHistoryStore>().ReadAsync(user, ct));
        }
    }

    public static TheoryData<string, string, string, HttpStatusCode> BadBodies => new()
    {
        { "PUT", "/api/me/settings", "{\"digestDay\": \"monday\",", HttpStatusCode.BadRequest },
        { "PUT", "/api/me/settings", "[1,2,3]", HttpStatusCode.BadRequest },
        { "PUT", "/api/me/settings", "text/plain", HttpStatusCode.UnsupportedMediaType },
        { "PUT", "/api/me/settings", "huge", HttpStatusCode.RequestEntityTooLarge },
        { "PUT", "/api/me/settings", "{\"digestDay\":\"monday\",\"digestTime\":\"25:99\",\"weeklyBudget\":3,\"exclusions\":[]}", HttpStatusCode.BadRequest },
        { "PUT", "/api/me/settings", "{\"digestDay\":\"monday\",\"digestTime\":\"09:00\",\"weeklyBudget\":-1,\"exclusions\":[]}", HttpStatusCode.BadRequest },
        { "PUT", "/api/me/settings", "{\"digestDay\":\"monday\",\"digestTime\":\"09:00\",\"weeklyBudget\":3}", HttpStatusCode.BadRequest },
        { "PUT", "overrides", "{\"tier\":\"best-friend\"}", HttpStatusCode.BadRequest },
        { "PUT", "overrides", "{\"snoozedUntil\":\"2001-01-01\"}", HttpStatusCode.BadRequest },
        { "PUT", "overrides", "{\"cadenceDays\":0}", HttpStatusCode.BadRequest },
        { "PUT", "overrides", "{\"muted\":\"yes\"}", HttpStatusCode.BadRequest },
        { "POST", "/api/me/delete", "{\"confirm\":\"yes\"}", HttpStatusCode.BadRequest },
        { "GET", "/api/me/ties?limit=0", "", HttpStatusCode.BadRequest },
        { "GET", "/api/me/ties?limit=201", "", HttpStatusCode.BadRequest },
        { "GET", "/api/me/ties?limit=ten", "", HttpStatusCode.BadRequest },
        { "GET", "/api/me/ties?continuation=not-a-token", "", HttpStatusCode.BadRequest },
        { "GET", "/api/me/ties?tier=best", "", HttpStatusCode.BadRequest },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Item14_BadRequests_GetAProblemWithoutStackTrace_AndWriteNothing(string method, string path, string body, HttpStatusCode expected)
    {
        var ct = TestContext.Current.CancellationToken;
        var user = Other;
        if (path == "overrides")
        {
            path = $"/api/me/ties/{await FirstTieIdAsync(user)}/overrides";
        }

        var before = await SnapshotAsync(user);
        HttpContent? content = body switch
        {
            "" => null,
            "text/plain" => new StringContent("digestDay=monday", Encoding.UTF8, "text/plain"),
            "huge" => new StringContent("{\"exclusions\":[\"" + new string('a', 20_000) + "@x.com\"]}", Encoding.UTF8, "application/json"),
            _ => new StringContent(body, Encoding.UTF8, "application/json"),
        };
        using var response = await app.SendAsync(new HttpMethod(method), path, app.TokenFor(user), content);
        var text = await response.Content.ReadAsStringAsync(ct);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync(user));
    }

    public static TheoryData<string, string> SmuggledFields => new()
    {
        { "/api/me/settings", "{\"digestDay\":\"monday\",\"digestTime\":\"09:00\",\"weeklyBudget\":3,\"exclusions\":[],\"tenantId\":\"b0b00000-0000-4000-8000-00000000000b\"}" },
        { "/api/me/settings", "{\"digestDay\":\"monday\",\"digestTime\":\"09:00\",\"weeklyBudget\":3,\"exclusions\":[],\"userId\":\"x\"}" },
        { "overrides", "{\"muted\":true,\"score\":99}" },
        { "overrides", "{\"note\":\"hi\",\"userId\":\"someone\"}" },
        { "overrides", "{\"note\":\"hi\",\"contact\":\"ceo@enron.com\"}" },
    };

    [Theory]
    [MemberData(nameof(SmuggledFields))]
    public async Task Item15_IdentityOrScoreFields_AreRejectedAndNothingIsStored(string path, string body)
    {
        var ct = TestContext.Current.CancellationToken;
        var user = Other;
        if (path == "overrides")
        {
            path = $"/api/me/ties/{await FirstTieIdAsync(user)}/overrides";
        }

        var before = await SnapshotAsync(user);
        using var response = await app.SendAsync(HttpMethod.Put, path, app.TokenFor(user), new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.True(problem.TryGetProperty("errors", out _));
        Assert.Equal(before, await SnapshotAsync(user));
    }

    [Fact]
    public async Task Item16_OddAddresses_AreStoredAsKeyedHashes_AndTheWriteSucceeds()
    {
        var ct = TestContext.Current.CancellationToken;
        var user = Other;
        string[] odd =
        [
            "a/b\\c#d?e@odd.example",
            "tab\u0001ctl@odd.example",
            "emoji\U0001F600@odd.example",
            new string('l', 1100) + "@long.example",
        ];

        // Mail with these contacts reaches the user's store; the ledger is rebuilt from it (the sync's own path).
        var items = app.Services.GetRequiredService<IMailboxStore>();
        var owner = TabApiFixture.Other;
        var messages = odd.SelectMany((address, i) => new[]
        {
            new Domain.Metadata.MailMessage($"odd-out-{i}", owner, null, [address], [], [], DateTimeOffset.UtcNow.AddDays(-3), DateTimeOffset.UtcNow.AddDays(-3), $"odd-thread-{i}", null, false, Domain.Metadata.MailFolder.SentItems),
            new Domain.Metadata.MailMessage($"odd-in-{i}", address, null, [owner], [], [], DateTimeOffset.UtcNow.AddDays(-2), DateTimeOffset.UtcNow.AddDays(-2), $"odd-thread-{i}", null, false, Domain.Metadata.MailFolder.Inbox),
        }).ToList();
        await items.UpsertMessagesAsync(user, messages, ct);
        await app.Services.GetRequiredService<Application.Scoring.TieScoring>().RescoreAsync(user, owner, null, ct);

        foreach (var address in odd)
        {
            using var list = await app.GetAsync("/api/me/ties?limit=5&q=" + Uri.EscapeDataString(address[..Math.Min(address.Length, 12)]), user);
            Assert.Equal(HttpStatusCode.OK, list.StatusCode);
            var page = await list.Content.ReadFromJsonAsync<JsonElement>(ct);
            var match = page.GetProperty("items").EnumerateArray().Single(t => t.GetProperty("contact").GetString() == Domain.Metadata.MailAddress.Normalize(address));
            var id = match.GetProperty("id").GetString()!;
            Assert.DoesNotContain("@", id, StringComparison.Ordinal);

            using var put = await app.SendAsync(HttpMethod.Put, $"/api/me/ties/{id}/overrides", app.TokenFor(user), Json(new { note = "odd", muted = true }));
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        // The override rows are keyed by hashes: no row key holds any part of the addresses.
        var tables = app.Services.GetRequiredService<Azure.Data.Tables.TableServiceClient>();
        var prefix = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Infrastructure.Storage.StorageOptions>>().Value.TablePrefix;
        var settings = tables.GetTableClient(prefix + "settings");
        var keys = await settings.QueryAsync<Azure.Data.Tables.TableEntity>(select: ["RowKey"], cancellationToken: ct).Select(e => e.RowKey).ToListAsync(ct);
        Assert.DoesNotContain(keys, k => k.Contains("odd.example", StringComparison.Ordinal) || k.Contains("long.example", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Item34_Export_IsMachineReadableJsonOfTheUsersRowsOnly()
    {
        var ct = TestContext.Current.CancellationToken;
        var mine = "mine-" + Guid.NewGuid().ToString("N");
        var theirs = "theirs-" + Guid.NewGuid().ToString("N");
        using (await app.SendAsync(HttpMethod.Put, $"/api/me/ties/{await FirstTieIdAsync(Reader)}/overrides", app.TokenFor(Reader), Json(new { note = mine })))
        using (await app.SendAsync(HttpMethod.Put, $"/api/me/ties/{await FirstTieIdAsync(Other)}/overrides", app.TokenFor(Other), Json(new { note = theirs })))
        {
        }

        using var response = await app.GetAsync("/api/me/export", Reader);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        var text = await response.Content.ReadAsStringAsync(ct);
        using var export = JsonDocument.Parse(text);
        Assert.Equal(Reader.UserId, export.RootElement.GetProperty("user").GetProperty("userId").GetString());
        Assert.Equal(Reader.TenantId, export.RootElement.GetProperty("user").GetProperty("tenantId").GetString());
        Assert.True(export.RootElement.GetProperty("messages").GetArrayLength() > 0);
        Assert.True(export.RootElement.GetProperty("ties").GetArrayLength() > 0);
        Assert.True(export.RootElement.GetProperty("tierHistory").GetArrayLength() > 0);
        Assert.Contains(mine, text, StringComparison.Ordinal);
        Assert.DoesNotContain(theirs, text, StringComparison.Ordinal);
        Assert.DoesNotContain(TabApiFixture.TenantB, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Item35_Delete_AfterTypedConfirmation_RemovesEverything_AndASyncDoesNotBringItBack()
    {
        var ct = TestContext.Current.CancellationToken;
        var user = app.Users[TabApiFixture.Eraser];
        using (var wrong = await app.SendAsync(HttpMethod.Post, "/api/me/delete", app.TokenFor(user), Json(new { confirm = "delete my stuff" })))
        {
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        }

        Assert.NotEmpty(await app.Services.GetRequiredService<ITieStore>().ReadAsync(user, ct).ToListAsync(ct));

        using (var delete = await app.SendAsync(HttpMethod.Post, "/api/me/delete", app.TokenFor(user), Json(new { confirm = "delete my data" })))
        {
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        }

        using (var after = await app.GetAsync("/api/me/summary", user))
        {
            Assert.Equal(HttpStatusCode.Forbidden, after.StatusCode);
        }

        // A sync queued afterwards (a timer tick, a late notification) is dropped: nothing comes back without a new install.
        await app.Services.GetRequiredService<IJobQueue>().EnqueueAsync(new SyncJob(user.TenantId, user.UserId, "timer", DateTimeOffset.UtcNow, "after-erase"), cancellationToken: ct);
        await app.WaitForTiesAsync([app.Users[TabApiFixture.Reader]], ct);
        var export = await app.Services.GetRequiredService<IPrivacyOperations>().ExportAsync(user, ct);
        Assert.Null(export.Enrolment);
        Assert.Empty(export.Messages);
        Assert.Empty(export.Meetings);
        Assert.Empty(export.Ties);
        Assert.Empty(export.SyncState);
        Assert.Empty(export.TierHistory ?? []);
        Assert.Null(export.EngineStateBytes);
    }

    [Fact]
    public async Task Item37_Logs_HoldNoTokensAddressesOrNames()
    {
        // Exercise the API (good and bad tokens, writes) first, then scan everything the hosts logged so far.
        using (await app.GetAsync("/api/me/summary", Reader))
        using (await app.SendAsync(HttpMethod.Get, "/api/me/summary", app.Issuer.Sign(app.Issuer.AccessTokenClaims(Reader.TenantId, Reader.UserId, "api://wrong"))))
        using (await app.SendAsync(HttpMethod.Put, $"/api/me/ties/{await FirstTieIdAsync(Reader)}/overrides", app.TokenFor(Reader), Json(new { note = "log canary note", muted = true })))
        {
        }

        var lines = app.Logs.Lines;
        Assert.NotEmpty(lines);
        Assert.DoesNotContain(lines, l => l.Contains("eyJ", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"));
        Assert.DoesNotContain(lines, l => l.Contains("John Arnold", StringComparison.OrdinalIgnoreCase) || l.Contains("log canary note", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Item38_SameAddressInTwoTenants_HasDifferentIds()
    {
        var ct = TestContext.Current.CancellationToken;
        var a = await (await app.GetAsync("/api/me/ties?limit=20", Reader)).Content.ReadFromJsonAsync<JsonElement>(ct);
        var b = await (await app.GetAsync("/api/me/ties?limit=200", app.ReaderInB)).Content.ReadFromJsonAsync<JsonElement>(ct);
        var inB = b.GetProperty("items").EnumerateArray().ToDictionary(t => t.GetProperty("contact").GetString()!, t => t.GetProperty("id").GetString()!);
        var shared = 0;
        foreach (var tie in a.GetProperty("items").EnumerateArray())
        {
            if (inB.TryGetValue(tie.GetProperty("contact").GetString()!, out var idInB))
            {
                shared++;
                Assert.NotEqual(tie.GetProperty("id").GetString(), idInB);
            }
        }

        Assert.True(shared > 0, "the two tenants' copies of one mailbox share no contact");
    }

    [Fact]
    public async Task Item39_AnAdminOrManagerToken_ReadsOnlyItsOwnData()
    {
        var ct = TestContext.Current.CancellationToken;
        var readersTie = await FirstTieIdAsync(Reader);
        var claims = app.Issuer.AccessTokenClaims(Other.TenantId, Other.UserId, TabApiFixture.Audience);
        claims["roles"] = new[] { "Admin", "Manager" };
        claims["wids"] = new[] { "62e90394-69f5-4237-9190-012177145e10" }; // Global Administrator's role template id
        var admin = app.Issuer.Sign(claims);

        using (var response = await app.SendAsync(HttpMethod.Get, $"/api/me/ties/{readersTie}", admin))
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        // No route takes a user: naming one is refused, not obeyed.
        using (var response = await app.SendAsync(HttpMethod.Get, $"/api/me/ties?user={Uri.EscapeDataString(TabApiFixture.Reader)}", admin))
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }

        var summary = await (await app.SendAsync(HttpMethod.Get, "/api/me/summary", admin)).Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.Equal(TabApiFixture.Other, summary.GetProperty("user").GetProperty("mailAddress").GetString());
    }

    private static string WithoutTraceId(string problem)
    {
        var fields = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(problem)!;
        fields.Remove("traceId");
        return string.Join('\n', fields.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => f.Key + "=" + f.Value.GetRawText()));
    }

    private static StringContent Json(object value) => new(JsonSerializer.Serialize(value), Encoding.UTF8, "application/json");

    private string Sign(Dictionary<string, object> claims, Action<Dictionary<string, object>> change)
    {
        change(claims);
        return app.Issuer.Sign(claims);
    }

    private static string Tamper(string token)
    {
        var parts = token.Split('.');
        var signature = parts[2].ToCharArray();
        signature[10] = signature[10] == 'A' ? 'B' : 'A';
        return $"{parts[0]}.{parts[1]}.{new string(signature)}";
    }

    // A key in the JWKS whose issuer is fixed to another tenant: it may not sign tenant A's tokens.
    private Microsoft.IdentityModel.Tokens.RsaSecurityKey ForeignKey() =>
        s_foreign ??= app.Issuer.Publish(TestIssuer.NewKey(), app.Issuer.IssuerFor("c0c00000-0000-4000-8000-00000000000c"));

    private static Microsoft.IdentityModel.Tokens.RsaSecurityKey? s_foreign;

    private async Task<string> FirstTieIdAsync(UserKey user)
    {
        using var response = await app.GetAsync("/api/me/ties?limit=1&tier=weak", user);
        var page = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        return page.GetProperty("items")[0].GetProperty("id").GetString()!;
    }

    private async Task<HashSet<string>> AllTieIdsAsync(UserKey user)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        string? continuation = null;
        do
        {
            using var response = await app.GetAsync("/api/me/ties?limit=200" + (continuation is null ? string.Empty : "&continuation=" + Uri.EscapeDataString(continuation)), user);
            var page = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
            foreach (var item in page.GetProperty("items").EnumerateArray())
            {
                ids.Add(item.GetProperty("id").GetString()!);
            }

            continuation = page.GetProperty("continuation").GetString();
        }
        while (continuation is not null);
        return ids;
    }

    // What a bad request must leave untouched: the user's settings and overrides as stored.
    private async Task<string> SnapshotAsync(UserKey user)
    {
        var ct = TestContext.Current.CancellationToken;
        var settings = app.Services.GetRequiredService<ISettingsStore>();
        var s = await settings.GetSettingsAsync(user, ct);
        var overrides = await settings.ReadOverridesAsync(user, ct).Select(o => o.ToString()).OrderBy(x => x, StringComparer.Ordinal).ToListAsync(ct);
        return $"{s.WeeklyNudgeBudget}|{s.TimeZone}|{s.DigestDay}|{s.DigestTime}|{string.Join(',', s.ExcludedEntries)}|{string.Join(';', overrides)}";
    }
}
