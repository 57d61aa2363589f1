using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace TiesOffice.FakeTeams;

/// <summary>
/// The local page of the fake channel: it shows each user's conversation with the bot (cards rendered by the
/// <c>adaptivecards</c> renderer), lets a person type a message, click a card's buttons, install and uninstall.
/// </summary>
internal static class FakeTeamsPage
{
    private static readonly ConcurrentDictionary<string, JsonNode> s_refreshedCards = new(StringComparer.Ordinal);

    public static void Map(WebApplication app, FakeTeamsChannel channel)
    {
        app.MapGet("/", () => Results.Content(Html, "text/html; charset=utf-8"));
        app.MapGet("/_fake/adaptivecards.js", () => channel.Options.AdaptiveCardsScriptPath is { } path && File.Exists(path)
            ? Results.File(path, "text/javascript")
            : Results.Content("window.AdaptiveCards = undefined;", "text/javascript"));
        app.MapGet("/_fake/users", () => Results.Json(new JsonArray([.. channel.Options.Users.Select((u, i) => (JsonNode)new JsonObject { ["index"] = i, ["name"] = u.Name })])));
        app.MapGet("/_fake/transcript/{index:int}", (int index) =>
        {
            if (User(channel, index) is not { } user)
            {
                return Results.NotFound();
            }

            var items = new JsonArray();
            foreach (var (from, id, activity) in channel.Transcript(user.ConversationId))
            {
                var shown = (JsonObject)activity.DeepClone();
                if (id is not null && s_refreshedCards.TryGetValue(id, out var card) && shown["attachments"] is JsonArray { Count: > 0 } attachments)
                {
                    attachments[0]!["content"] = card.DeepClone();
                }

                items.Add(new JsonObject { ["from"] = from, ["id"] = id, ["activity"] = shown });
            }

            return Results.Json(items);
        });
        app.MapPost("/_fake/say/{index:int}", async (int index, HttpRequest request) =>
            await DeliverAsync(channel, index, u => channel.Message(u, request.Query["text"].ToString())).ConfigureAwait(false));
        app.MapPost("/_fake/install/{index:int}", async (int index) =>
            await DeliverAsync(channel, index, u => channel.InstallationUpdate(u, "add")).ConfigureAwait(false));
        app.MapPost("/_fake/uninstall/{index:int}", async (int index) =>
            await DeliverAsync(channel, index, u => channel.InstallationUpdate(u, "remove")).ConfigureAwait(false));
        // Signs and delivers any activity as given (an outside harness's own payloads, with its own serviceUrl).
        app.MapPost("/_fake/deliver", async (HttpRequest request) =>
        {
            if (await JsonNode.ParseAsync(request.Body).ConfigureAwait(false) is not JsonObject activity)
            {
                return Results.BadRequest();
            }

            var answer = await channel.DeliverAsync(activity).ConfigureAwait(false);
            return Results.Json(new JsonObject { ["status"] = answer.Status, ["body"] = answer.Json?.DeepClone() });
        });
        app.MapPost("/_fake/execute/{index:int}", async (int index, HttpRequest request) =>
        {
            if (User(channel, index) is not { } user || await JsonNode.ParseAsync(request.Body).ConfigureAwait(false) is not JsonObject body)
            {
                return Results.BadRequest();
            }

            var activityId = body["activityId"]?.GetValue<string>();
            var verb = body["verb"]?.GetValue<string>() ?? string.Empty;
            var data = body["data"]?.DeepClone() as JsonObject;

            // "channel": "outlook" presses the button as an actionable message's would (the Outlook channel's invoke).
            var invoke = body["channel"]?.GetValue<string>() == "outlook" ? channel.OutlookExecute(user, verb, data) : channel.Execute(user, verb, data, activityId);
            var answer = await channel.DeliverAsync(invoke).ConfigureAwait(false);
            if (activityId is not null && answer.Json?["type"]?.GetValue<string>() == "application/vnd.microsoft.card.adaptive" && answer.Json["value"] is { } card)
            {
                s_refreshedCards[activityId] = card.DeepClone();
            }

            return Results.Json(new JsonObject { ["status"] = answer.Status, ["body"] = answer.Json?.DeepClone() });
        });
    }

    private static FakeUser? User(FakeTeamsChannel channel, int index) =>
        index >= 0 && index < channel.Options.Users.Count ? channel.Options.Users[index] : null;

    private static async Task<IResult> DeliverAsync(FakeTeamsChannel channel, int index, Func<FakeUser, JsonObject> make)
    {
        if (User(channel, index) is not { } user)
        {
            return Results.NotFound();
        }

        var answer = await channel.DeliverAsync(make(user)).ConfigureAwait(false);
        return Results.Json(new JsonObject { ["status"] = answer.Status });
    }

    private const string Html = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>Fake Teams: TiesOffice</title>
        <style>
          body { font-family: system-ui, sans-serif; margin: 0; display: flex; height: 100vh; }
          nav { width: 14rem; background: #33344a; color: #fff; padding: 1rem; }
          nav button { display: block; width: 100%; margin: .25rem 0; }
          main { flex: 1; display: flex; flex-direction: column; background: #f5f5f5; }
          #log { flex: 1; overflow-y: auto; padding: 1rem; }
          .msg { max-width: 36rem; margin: .5rem 0; padding: .5rem .75rem; border-radius: .5rem; background: #fff; }
          .user { margin-left: auto; background: #e8ebfa; }
          form { display: flex; padding: .5rem; gap: .5rem; background: #fff; }
          form input { flex: 1; padding: .5rem; }
        </style>
        <script src="/_fake/adaptivecards.js"></script></head>
        <body>
        <nav><h3>Fake Teams</h3><label>User <select id="user"></select></label>
          <button id="install">Install the app</button><button id="uninstall">Uninstall</button></nav>
        <main><div id="log" aria-live="polite"></div>
          <form id="say"><input id="text" placeholder="Type a message, e.g. help" autocomplete="off"><button>Send</button></form></main>
        <script>
        const userBox = document.getElementById('user'), log = document.getElementById('log');
        const post = (url, body) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : null });
        function renderCard(card, activityId) {
          if (!window.AdaptiveCards) { const pre = document.createElement('pre'); pre.textContent = JSON.stringify(card, null, 1); return pre; }
          const ac = new AdaptiveCards.AdaptiveCard();
          ac.onExecuteAction = async action => {
            if (action instanceof AdaptiveCards.OpenUrlAction) { window.open(action.url, '_blank'); return; }
            await post('/_fake/execute/' + userBox.value, { verb: action.verb, data: action.data, activityId });
            await refresh();
          };
          ac.parse(card);
          return ac.render();
        }
        async function refresh() {
          const items = await (await fetch('/_fake/transcript/' + userBox.value)).json();
          log.replaceChildren(...items.map(item => {
            const div = document.createElement('div'); div.className = 'msg ' + item.from;
            const a = item.activity;
            if (a.type !== 'message') { div.textContent = '(' + a.type + (a.action ? ' ' + a.action : '') + (a.name ? ' ' + a.name : '') + ')'; return div; }
            if (a.text) { const p = document.createElement('p'); p.textContent = a.text; div.append(p); }
            for (const att of a.attachments || []) {
              if (att.contentType === 'application/vnd.microsoft.card.adaptive') div.append(renderCard(att.content, item.id));
            }
            return div;
          }));
          log.scrollTop = log.scrollHeight;
        }
        (async () => {
          const users = await (await fetch('/_fake/users')).json();
          for (const u of users) userBox.append(new Option(u.name, u.index));
          userBox.onchange = refresh;
          document.getElementById('install').onclick = async () => { await post('/_fake/install/' + userBox.value); await refresh(); };
          document.getElementById('uninstall').onclick = async () => { await post('/_fake/uninstall/' + userBox.value); await refresh(); };
          document.getElementById('say').onsubmit = async e => {
            e.preventDefault(); const t = document.getElementById('text');
            await post('/_fake/say/' + userBox.value + '?text=' + encodeURIComponent(t.value)); t.value = ''; await refresh();
          };
          await refresh(); setInterval(refresh, 3000);
        })();
        </script></body></html>
        """;
}
