using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace TiesOffice.FakeTeams;

/// <summary>One message the bot sent, as the Connector received it.</summary>
/// <param name="ConversationId">The conversation (decoded from the path).</param>
/// <param name="ActivityId">The id the Connector gave it.</param>
/// <param name="Method">POST (send or reply) or PUT (update).</param>
/// <param name="Activity">The activity as sent.</param>
/// <param name="ReceivedAt">When it arrived.</param>
public sealed record ConnectorMessage(string ConversationId, string ActivityId, string Method, JsonObject Activity, DateTimeOffset ReceivedAt);

/// <summary>What the bot answered to one activity the channel delivered.</summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="Body">The body (an invoke response for invokes), or empty.</param>
public sealed record BotAnswer(int Status, string Body)
{
    /// <summary>The body as JSON, or null.</summary>
    public JsonNode? Json => string.IsNullOrEmpty(Body) ? null : JsonNode.Parse(Body);
}

/// <summary>A fault the Connector returns on its next calls.</summary>
/// <param name="Status">The status (429, 412, 502, 504, 403).</param>
/// <param name="RetryAfterSeconds">The <c>Retry-After</c> to send, if any.</param>
/// <param name="MessageWritesBlocked">A 403 with Teams' MessageWritesBlocked body.</param>
public sealed record ConnectorFault(int Status, int? RetryAfterSeconds = null, bool MessageWritesBlocked = false);

/// <summary>
/// A fake Teams channel on a loopback HTTPS port: it signs Bot Framework tokens with a test RSA key, serves the OpenID
/// metadata and a JWKS with endorsements, an Entra-style token endpoint for the bot's client credentials, the Connector
/// REST routes, and a page that shows each conversation. Tests start it in-process with <see cref="StartAsync"/>;
/// <c>Program</c> runs it as a process for the demo.
/// </summary>
public sealed class FakeTeamsChannel : IAsyncDisposable
{
    private const string KeysPath = "/v1/.well-known/keys";
    private readonly WebApplication _app;
    private readonly FakeTeamsOptions _options;
    private readonly X509Certificate2 _tls;
    private readonly List<(RsaSecurityKey Key, IList<string> Endorsements)> _keys = [];
    private readonly RsaSecurityKey _foreignKey;
    private readonly ConcurrentDictionary<string, byte> _issuedTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<ConnectorFault> _faults = new();
    private readonly ConcurrentDictionary<string, byte> _blocked = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<ConnectorMessage> _received = new();
    private readonly ConcurrentQueue<(string ConversationId, JsonObject Activity)> _delivered = new();
    private readonly Lock _rateLock = new();
    private readonly Dictionary<string, Queue<DateTimeOffset>> _threadSends = new(StringComparer.Ordinal);
    private readonly Queue<DateTimeOffset> _tenantSends = new();
    private readonly JsonWebTokenHandler _tokens = new();
    private int _metadataFetches;
    private int _keyFetches;
    private int _tokenRequests;
    private int _connectorRequests;
    private int _rateLimited;
    private int _nextActivity;

    private FakeTeamsChannel(WebApplication app, FakeTeamsOptions options, X509Certificate2 tls)
    {
        _app = app;
        _options = options;
        _tls = tls;
        _keys.Add((NewKey("fake-key-1"), options.Endorsements));
        _foreignKey = NewKey("foreign-key");
    }

    /// <summary>The channel's root, e.g. <c>https://127.0.0.1:40123/</c>: the <c>serviceUrl</c> of its activities.</summary>
    public Uri BaseAddress { get; private set; } = new("https://127.0.0.1/");

    /// <summary>The OpenID metadata URL to give the bot.</summary>
    public Uri OpenIdMetadataUrl => new(BaseAddress, "v1/.well-known/openidconfiguration");

    /// <summary>The channel's TLS certificate (self-signed, for 127.0.0.1 and localhost).</summary>
    public X509Certificate2 Certificate => _tls;

    /// <summary>The options it was started with (users, app id, tenant).</summary>
    public FakeTeamsOptions Options => _options;

    /// <summary>The client that reaches the bot's <c>/api/messages</c> (a test server's client in-process).</summary>
    public HttpClient? BotClient { get; set; }

    /// <summary>How often the OpenID metadata was fetched.</summary>
    public int MetadataFetches => _metadataFetches;

    /// <summary>How often the JWKS was fetched.</summary>
    public int KeyFetches => _keyFetches;

    /// <summary>How many tokens the token endpoint issued.</summary>
    public int TokenRequests => _tokenRequests;

    /// <summary>How many Connector requests arrived (faults and 429s included).</summary>
    public int ConnectorRequests => _connectorRequests;

    /// <summary>How many Connector requests were refused for exceeding Teams' limits.</summary>
    public int RateLimited => _rateLimited;

    /// <summary>Every message the bot sent, in arrival order.</summary>
    public IReadOnlyList<ConnectorMessage> Received => [.. _received];

    /// <summary>The current signing key's id.</summary>
    public string CurrentKeyId => _keys[^1].Key.KeyId;

    /// <summary>Builds and starts the channel on a free loopback port.</summary>
    public static async Task<FakeTeamsChannel> StartAsync(FakeTeamsOptions options, string urls = "https://127.0.0.1:0")
    {
        var channel = Create(options, urls);
        await channel.StartAsync().ConfigureAwait(false);
        return channel;
    }

    /// <summary>Builds the channel (not started).</summary>
    public static FakeTeamsChannel Create(FakeTeamsOptions options, string urls, string[]? args = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Users.Count == 0)
        {
            options.Users.Add(new FakeUser("11111111-2222-3333-4444-555555555555", "Pat Example", "pat@example.test"));
        }

        var tls = CreateCertificate();
        var builder = WebApplication.CreateSlimBuilder(args ?? []);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = tls));
        builder.WebHost.UseUrls(urls);
        var app = builder.Build();
        var channel = new FakeTeamsChannel(app, options, tls);
        channel.Map(app);
        if (options.CertificatePemPath is { } pemPath)
        {
            File.WriteAllText(pemPath, tls.ExportCertificatePem());
        }

        return channel;
    }

    /// <summary>Starts listening.</summary>
    public async Task StartAsync()
    {
        await _app.StartAsync().ConfigureAwait(false);
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
    }

    /// <summary>Runs until the host stops (the process mode).</summary>
    public Task RunAsync() => _app.WaitForShutdownAsync();

    /// <summary>Adds a new signing key (the old ones stay in the JWKS unless <paramref name="dropOld"/>).</summary>
    /// <param name="dropOld">Remove the old keys from the JWKS.</param>
    /// <param name="endorsements">The new key's endorsements (the options' by default).</param>
    public string RotateKey(bool dropOld = false, IList<string>? endorsements = null)
    {
        lock (_keys)
        {
            if (dropOld)
            {
                _keys.Clear();
            }

            _keys.Add((NewKey("fake-key-" + Guid.NewGuid().ToString("N")[..8]), endorsements ?? _options.Endorsements));
            return CurrentKeyId;
        }
    }

    /// <summary>Makes the Connector answer its next calls with these faults, one each.</summary>
    public void Inject(params ConnectorFault[] faults)
    {
        foreach (var fault in faults)
        {
            _faults.Enqueue(fault);
        }
    }

    /// <summary>Makes every later send to the user's conversation get 403 MessageWritesBlocked (the user blocked the bot).</summary>
    public void Block(FakeUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        _blocked[user.ConversationId] = 0;
    }

    /// <summary>Forgets what the bot sent and the counters (not the keys).</summary>
    public void Reset()
    {
        _received.Clear();
        _faults.Clear();
        _blocked.Clear();
        _metadataFetches = _keyFetches = _tokenRequests = _connectorRequests = _rateLimited = 0;
        lock (_rateLock)
        {
            _threadSends.Clear();
            _tenantSends.Clear();
        }
    }

    /// <summary>Messages the bot sent to one user's conversation.</summary>
    public IReadOnlyList<ConnectorMessage> SentTo(FakeUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return _received.Where(m => m.ConversationId == user.ConversationId).ToList();
    }

    /// <summary>Signs a token for the bot.</summary>
    public string CreateToken(FakeTokenSpec spec, string serviceUrl)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var now = DateTime.UtcNow;
        var claims = new Dictionary<string, object>(StringComparer.Ordinal);
        var claimUrl = spec.ServiceUrl ?? serviceUrl;
        if (claimUrl.Length > 0)
        {
            claims["serviceurl"] = claimUrl;
        }

        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = spec.Issuer ?? _options.Issuer,
            Audience = spec.Audience ?? _options.BotAppId,
            NotBefore = now + spec.NotBefore,
            Expires = now + spec.Expires,
            IssuedAt = now + spec.NotBefore,
            Claims = claims,
        };
        if (spec.NoSignature)
        {
            return _tokens.CreateToken(descriptor);
        }

        if (spec.SymmetricWithPublicKey)
        {
            var publicBytes = _keys[^1].Key.Rsa.ExportSubjectPublicKeyInfo();
            descriptor.SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(publicBytes) { KeyId = CurrentKeyId }, SecurityAlgorithms.HmacSha256);
            return _tokens.CreateToken(descriptor);
        }

        var key = spec.ForeignKey ? _foreignKey : _keys[^1].Key;
        descriptor.SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256);
        var token = _tokens.CreateToken(descriptor);
        if (spec.TamperSignature)
        {
            var last = token[^2];
            token = token[..^2] + (last == 'A' ? 'B' : 'A') + token[^1];
        }

        return token;
    }

    /// <summary>Delivers an activity to the bot with a valid token (or the given one) and returns its answer.</summary>
    public async Task<BotAnswer> DeliverAsync(JsonObject activity, FakeTokenSpec? spec = null, string? authorization = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var client = BotClient ?? throw new InvalidOperationException("Set BotClient (or Options.BotEndpoint) before delivering activities.");
        var serviceUrl = activity["serviceUrl"]?.GetValue<string>() ?? BaseAddress.ToString();
        var header = authorization ?? "Bearer " + CreateToken(spec ?? new FakeTokenSpec(), serviceUrl);
        using var request = new HttpRequestMessage(HttpMethod.Post, _options.BotEndpoint ?? new Uri("/api/messages", UriKind.Relative))
        {
            Content = new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (header.Length > 0)
        {
            request.Headers.TryAddWithoutValidation("Authorization", header);
        }

        if (activity["conversation"]?["id"]?.GetValue<string>() is { } conversation)
        {
            _delivered.Enqueue((conversation, (JsonObject)activity.DeepClone()));
        }

        using var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return new BotAnswer((int)response.StatusCode, body);
    }

    // ── Teams payloads ──

    /// <summary>The personal-scope <c>installationUpdate</c> (action add or remove) Teams sends on install and uninstall.</summary>
    public JsonObject InstallationUpdate(FakeUser user, string action) => Base(user, "installationUpdate", o => o["action"] = action);

    /// <summary>The <c>conversationUpdate</c> adding the bot to the user's personal chat.</summary>
    public JsonObject BotAdded(FakeUser user) => Base(user, "conversationUpdate", o =>
    {
        o["membersAdded"] = new JsonArray(new JsonObject { ["id"] = "28:" + _options.BotAppId });
        o["channelData"]!["eventType"] = "teamMemberAdded";
    });

    /// <summary>A text message from the user.</summary>
    public JsonObject Message(FakeUser user, string? text) => Base(user, "message", o =>
    {
        o["text"] = text;
        o["textFormat"] = "plain";
        o["locale"] = "en-US";
    });

    /// <summary>An <c>adaptiveCard/action</c> invoke for an <c>Action.Execute</c> with this verb and data.</summary>
    public JsonObject Execute(FakeUser user, string verb, JsonObject? data = null, string? replyToId = null, string trigger = "manual") => Base(user, "invoke", o =>
    {
        o["name"] = "adaptiveCard/action";
        o["value"] = new JsonObject
        {
            ["action"] = new JsonObject { ["type"] = "Action.Execute", ["id"] = "action-" + verb, ["verb"] = verb, ["data"] = data ?? new JsonObject() },
            ["trigger"] = trigger,
        };
        if (replyToId is not null)
        {
            o["replyToId"] = replyToId;
        }
    });

    /// <summary>
    /// An <c>adaptiveCard/action</c> invoke as Azure Bot Service's Outlook channel delivers it when the user presses an
    /// <c>Action.Execute</c> button of an actionable message (channel id <c>outlook</c>). Only <c>type</c>, <c>name</c>
    /// and <c>value</c> are documented for it (bot-docs, "Connect a bot to the Outlook channel for Actionable
    /// Messages"); the rest follows the Bot Framework activity schema, with the user's Entra ids and tenant as Teams
    /// sends them. The signing key must be endorsed for <c>outlook</c> (<see cref="FakeTeamsOptions.Endorsements"/>).
    /// </summary>
    public JsonObject OutlookExecute(FakeUser user, string verb, JsonObject? data = null) => Base(user, "invoke", o =>
    {
        o["channelId"] = "outlook";
        o["name"] = "adaptiveCard/action";
        o["from"] = new JsonObject { ["id"] = user.AadObjectId, ["name"] = user.Name, ["aadObjectId"] = user.AadObjectId };
        o["conversation"] = new JsonObject { ["id"] = "outlook:" + user.AadObjectId, ["tenantId"] = _options.TenantId };
        o["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = _options.TenantId } };
        o.Remove("entities");
        o["value"] = new JsonObject
        {
            ["action"] = new JsonObject { ["type"] = "Action.Execute", ["id"] = "action-" + verb, ["verb"] = verb, ["data"] = data ?? new JsonObject() },
            ["trigger"] = "manual",
        };
    });

    /// <summary>A Teams activity with the common fields filled in.</summary>
    public JsonObject Base(FakeUser user, string type, Action<JsonObject>? fill = null)
    {
        ArgumentNullException.ThrowIfNull(user);
        var activity = new JsonObject
        {
            ["type"] = type,
            ["id"] = "f:" + Interlocked.Increment(ref _nextActivity).ToString(CultureInfo.InvariantCulture),
            ["timestamp"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            ["localTimestamp"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            ["localTimezone"] = "Europe/London",
            ["serviceUrl"] = BaseAddress.ToString(),
            ["channelId"] = _options.ChannelId,
            ["from"] = new JsonObject { ["id"] = user.ChannelId, ["name"] = user.Name, ["aadObjectId"] = user.AadObjectId },
            ["conversation"] = new JsonObject
            {
                ["conversationType"] = "personal",
                ["tenantId"] = _options.TenantId,
                ["id"] = user.ConversationId,
            },
            ["recipient"] = new JsonObject { ["id"] = "28:" + _options.BotAppId, ["name"] = "TiesOffice" },
            ["entities"] = new JsonArray(new JsonObject { ["type"] = "clientInfo", ["locale"] = "en-US", ["country"] = "GB", ["platform"] = "Web", ["timezone"] = "Europe/London" }),
            ["channelData"] = new JsonObject
            {
                ["tenant"] = new JsonObject { ["id"] = _options.TenantId },
                ["source"] = new JsonObject { ["name"] = "message" },
            },
            ["locale"] = "en-US",
        };
        fill?.Invoke(activity);
        return activity;
    }

    // ── HTTP ──

    private void Map(WebApplication app)
    {
        app.MapGet("/v1/.well-known/openidconfiguration", () =>
        {
            Interlocked.Increment(ref _metadataFetches);
            return Results.Json(new JsonObject
            {
                ["issuer"] = _options.Issuer,
                ["authorization_endpoint"] = new Uri(BaseAddress, "v1/authorize").ToString(),
                ["jwks_uri"] = new Uri(BaseAddress, KeysPath.TrimStart('/')).ToString(),
                ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
                ["token_endpoint_auth_methods_supported"] = new JsonArray("private_key_jwt"),
            });
        });
        app.MapGet(KeysPath, () =>
        {
            Interlocked.Increment(ref _keyFetches);
            var keys = new JsonArray();
            lock (_keys)
            {
                foreach (var (key, endorsements) in _keys)
                {
                    var parameters = key.Rsa.ExportParameters(false);
                    keys.Add(new JsonObject
                    {
                        ["kty"] = "RSA",
                        ["use"] = "sig",
                        ["kid"] = key.KeyId,
                        ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
                        ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
                        ["endorsements"] = new JsonArray([.. endorsements.Select(e => JsonValue.Create(e))]),
                    });
                }
            }

            return Results.Json(new JsonObject { ["keys"] = keys });
        });

        // Entra-style authority metadata and token endpoint, for Azure.Identity's ClientSecretCredential.
        app.MapGet("/{tenant}/v2.0/.well-known/openid-configuration", (string tenant) => Results.Json(new JsonObject
        {
            ["issuer"] = new Uri(BaseAddress, $"{tenant}/v2.0").ToString(),
            ["authorization_endpoint"] = new Uri(BaseAddress, $"{tenant}/oauth2/v2.0/authorize").ToString(),
            ["token_endpoint"] = new Uri(BaseAddress, $"{tenant}/oauth2/v2.0/token").ToString(),
            ["jwks_uri"] = new Uri(BaseAddress, $"{tenant}/discovery/v2.0/keys").ToString(),
            ["response_types_supported"] = new JsonArray("code", "id_token", "token"),
            ["subject_types_supported"] = new JsonArray("pairwise"),
            ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
            ["tenant_region_scope"] = "EU",
        }));
        app.MapPost("/{tenant}/oauth2/v2.0/token", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync().ConfigureAwait(false);
            if (form["grant_type"] != "client_credentials" || form["client_id"] != _options.BotAppId || form["client_secret"] != _options.BotClientSecret
                || form["scope"] != "https://api.botframework.com/.default")
            {
                return Results.Json(new JsonObject { ["error"] = "invalid_client", ["error_description"] = "Unknown client or scope." }, statusCode: 401);
            }

            Interlocked.Increment(ref _tokenRequests);
            var token = "fake-connector-token-" + Guid.NewGuid().ToString("N");
            _issuedTokens[token] = 0;
            return Results.Json(new JsonObject { ["token_type"] = "Bearer", ["expires_in"] = 3600, ["ext_expires_in"] = 3600, ["access_token"] = token });
        });

        // The Connector.
        app.MapPost("/v3/conversations/{conversationId}/activities", (HttpRequest request, string conversationId) => ConnectorAsync(request, conversationId, null, "POST"));
        app.MapPost("/v3/conversations/{conversationId}/activities/{activityId}", (HttpRequest request, string conversationId, string activityId) => ConnectorAsync(request, conversationId, activityId, "POST"));
        app.MapPut("/v3/conversations/{conversationId}/activities/{activityId}", (HttpRequest request, string conversationId, string activityId) => ConnectorAsync(request, conversationId, activityId, "PUT"));
        app.MapPost("/v3/conversations", CreateConversationAsync);
        app.MapGet("/v3/conversations/{conversationId}/members/{memberId}", (HttpRequest request, string conversationId, string memberId) =>
        {
            if (!Authorized(request))
            {
                return Results.StatusCode(401);
            }

            var user = _options.Users.FirstOrDefault(u => u.ChannelId == memberId || u.AadObjectId == memberId);
            return user is null
                ? Results.Json(new JsonObject { ["error"] = new JsonObject { ["code"] = "MemberNotFoundInConversation", ["message"] = "No such member." } }, statusCode: 404)
                : Results.Json(new JsonObject
                {
                    ["id"] = user.ChannelId,
                    ["name"] = user.Name,
                    ["aadObjectId"] = user.AadObjectId,
                    ["email"] = user.Email,
                    ["userPrincipalName"] = user.Email,
                    ["tenantId"] = _options.TenantId,
                    ["userRole"] = "user",
                });
        });

        FakeTeamsPage.Map(app, this);
    }

    private async Task<IResult> ConnectorAsync(HttpRequest request, string conversationId, string? activityId, string method)
    {
        Interlocked.Increment(ref _connectorRequests);
        if (!Authorized(request))
        {
            return Results.Json(new JsonObject { ["error"] = new JsonObject { ["code"] = "Unauthorized", ["message"] = "Bad token." } }, statusCode: 401);
        }

        if (Fault() is { } fault)
        {
            return fault;
        }

        if (_blocked.ContainsKey(conversationId))
        {
            return Blocked();
        }

        if (_options.EnforceRateLimits && !TakeRateSlot(conversationId))
        {
            Interlocked.Increment(ref _rateLimited);
            request.HttpContext.Response.Headers.RetryAfter = "1";
            return Results.Json(new JsonObject { ["error"] = new JsonObject { ["code"] = "TooManyRequests", ["message"] = "Rate limit." } }, statusCode: 429);
        }

        JsonObject activity;
        try
        {
            activity = (await JsonNode.ParseAsync(request.Body).ConfigureAwait(false)) as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException)
        {
            return Results.Json(new JsonObject { ["error"] = new JsonObject { ["code"] = "BadArgument", ["message"] = "The body is not an activity." } }, statusCode: 400);
        }

        if (activity["type"] is null)
        {
            return Results.Json(new JsonObject { ["error"] = new JsonObject { ["code"] = "BadArgument", ["message"] = "Missing type." } }, statusCode: 400);
        }

        var id = method == "PUT" ? activityId! : "m:" + Interlocked.Increment(ref _nextActivity).ToString(CultureInfo.InvariantCulture);
        _received.Enqueue(new ConnectorMessage(conversationId, id, method, activity, DateTimeOffset.UtcNow));
        return Results.Json(new JsonObject { ["id"] = id });
    }

    private async Task<IResult> CreateConversationAsync(HttpRequest request)
    {
        Interlocked.Increment(ref _connectorRequests);
        if (!Authorized(request))
        {
            return Results.StatusCode(401);
        }

        if (Fault() is { } fault)
        {
            return fault;
        }

        var body = await JsonNode.ParseAsync(request.Body).ConfigureAwait(false);
        var member = body?["members"]?[0]?["id"]?.GetValue<string>();
        var user = _options.Users.FirstOrDefault(u => u.ChannelId == member || u.AadObjectId == member);
        if (user is null)
        {
            return Results.Json(new JsonObject { ["error"] = new JsonObject { ["code"] = "BadArgument", ["message"] = "Unknown member." } }, statusCode: 400);
        }

        if (_blocked.ContainsKey(user.ConversationId))
        {
            return Blocked();
        }

        return Results.Json(new JsonObject { ["id"] = user.ConversationId }, statusCode: 201);
    }

    private bool Authorized(HttpRequest request) =>
        AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header)
        && string.Equals(header.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase)
        && header.Parameter is { } token && _issuedTokens.ContainsKey(token);

    private IResult? Fault()
    {
        if (!_faults.TryDequeue(out var fault))
        {
            return null;
        }

        if (fault.MessageWritesBlocked)
        {
            return Blocked();
        }

        return new FaultResult(fault);
    }

    private static IResult Blocked() => Results.Json(
        new JsonObject
        {
            ["errorCode"] = 209,
            ["message"] = "{\"errorCode\":209,\"message\":\"{\\r\\n  \\\"subCode\\\": \\\"MessageWritesBlocked\\\",\\r\\n  \\\"details\\\": \\\"Thread is blocked from message writes.\\\"\\r\\n}\"}",
        },
        statusCode: 403);

    private bool TakeRateSlot(string conversationId)
    {
        lock (_rateLock)
        {
            var now = DateTimeOffset.UtcNow;
            if (!_threadSends.TryGetValue(conversationId, out var thread))
            {
                thread = new Queue<DateTimeOffset>();
                _threadSends[conversationId] = thread;
            }

            while (thread.Count > 0 && now - thread.Peek() >= TimeSpan.FromHours(1))
            {
                thread.Dequeue();
            }

            while (_tenantSends.Count > 0 && now - _tenantSends.Peek() >= TimeSpan.FromSeconds(1))
            {
                _tenantSends.Dequeue();
            }

            var times = thread.ToArray();
            (TimeSpan Window, int Limit)[] limits = [(TimeSpan.FromSeconds(1), 7), (TimeSpan.FromSeconds(2), 8), (TimeSpan.FromSeconds(30), 60), (TimeSpan.FromHours(1), 1800)];
            foreach (var (window, limit) in limits)
            {
                if (times.Count(t => now - t < window) >= limit)
                {
                    return false;
                }
            }

            if (_tenantSends.Count >= 50)
            {
                return false;
            }

            thread.Enqueue(now);
            _tenantSends.Enqueue(now);
            return true;
        }
    }

    /// <summary>The transcript of one conversation: what the user sent and what the bot sent, in order.</summary>
    internal IEnumerable<(string From, string? Id, JsonObject Activity)> Transcript(string conversationId)
    {
        var fromUser = _delivered.Where(d => d.ConversationId == conversationId).Select(d => ("user", d.Activity["id"]?.GetValue<string>(), d.Activity));
        var fromBot = _received.Where(m => m.ConversationId == conversationId).Select(m => ("bot", (string?)m.ActivityId, m.Activity));
        return fromUser.Concat(fromBot)
            .OrderBy(t => t.Activity["timestamp"]?.GetValue<string>() ?? string.Empty, StringComparer.Ordinal);
    }

    private static RsaSecurityKey NewKey(string kid) => new(RSA.Create(2048)) { KeyId = kid };

    private static X509Certificate2 CreateCertificate()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=TiesOffice fake Teams channel", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync().ConfigureAwait(false);
        _tls.Dispose();
        foreach (var (key, _) in _keys)
        {
            key.Rsa.Dispose();
        }

        _foreignKey.Rsa.Dispose();
    }

    private sealed class FaultResult(ConnectorFault fault) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = fault.Status;
            if (fault.RetryAfterSeconds is { } seconds)
            {
                httpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            }

            return httpContext.Response.WriteAsJsonAsync(new JsonObject { ["error"] = new JsonObject { ["code"] = "Fault", ["message"] = "Injected fault." } });
        }
    }
}
