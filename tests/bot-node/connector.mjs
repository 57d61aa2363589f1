// Microsoft's own server side of the Bot Connector REST API (botbuilder's ChannelServiceRoutes and
// ChannelServiceHandlerBase) on a thin node:http shim that gives it the restify-style req/res/next it expects.
import http from 'node:http';
import { ChannelServiceHandlerBase, ChannelServiceRoutes } from 'botbuilder';
import { freePort } from './harness.mjs';

class Shim {
  constructor() { this.routes = []; }
  add(method, pattern, handler) {
    const names = [];
    const regex = new RegExp('^' + pattern.replace(/:([A-Za-z]+)/g, (_, n) => { names.push(n); return '([^/]+)'; }) + '$');
    this.routes.push({ method, regex, names, handler });
  }
  get(p, h) { this.add('GET', p, h); }
  post(p, h) { this.add('POST', p, h); }
  put(p, h) { this.add('PUT', p, h); }
  del(p, h) { this.add('DELETE', p, h); }

  handle(req, res) {
    const url = new URL(req.url, 'http://localhost');
    // Longer patterns first, so /activities/history is not taken for /activities/:activityId.
    const routes = this.routes.filter((r) => r.method === req.method).sort((a, b) => b.regex.source.length - a.regex.source.length);
    for (const route of routes) {
      const match = route.regex.exec(url.pathname);
      if (!match) continue;
      req.params = Object.fromEntries(route.names.map((n, i) => [n, decodeURIComponent(match[i + 1])]));
      req.query = Object.fromEntries(url.searchParams);
      res.status = (code) => { res.statusCode = code; };
      res.send = (body) => {
        if (typeof body === 'object') { res.setHeader('content-type', 'application/json'); res.write(JSON.stringify(body)); } else { res.write(String(body)); }
      };
      route.handler(req, res, () => {});
      return;
    }
    res.statusCode = 404;
    res.end();
  }
}

/** A Connector that records every call the bot makes to it. */
class RecordingHandler extends ChannelServiceHandlerBase {
  constructor(users) {
    super();
    this.users = users;
    this.calls = [];
    this.nextId = 0;
  }

  async authenticate(authHeader) {
    // The token comes from the fake channel's token endpoint via Azure.Identity; the Connector only sees it here.
    if (!/^Bearer fake-connector-token-/.test(authHeader)) {
      const error = new Error('Unauthorized'); error.statusCode = 401; throw error;
    }
    return { isAuthenticated: true, claims: [] };
  }

  record(kind, conversationId, activity, activityId) {
    const id = `c:${++this.nextId}`;
    this.calls.push({ kind, conversationId, activityId, activity, id });
    return { id };
  }

  async onSendToConversation(_c, conversationId, activity) { return this.record('send', conversationId, activity); }
  async onReplyToActivity(_c, conversationId, activityId, activity) { return this.record('reply', conversationId, activity, activityId); }
  async onUpdateActivity(_c, conversationId, activityId, activity) { return this.record('update', conversationId, activity, activityId); }
  async onCreateConversation(_c, parameters) { this.calls.push({ kind: 'create', parameters }); return { id: parameters.members?.[0]?.id }; }
  async onGetConversationMember(_c, userId, conversationId) {
    this.calls.push({ kind: 'member', userId, conversationId });
    const user = this.users.find((u) => `29:${u.aadObjectId}` === userId);
    if (!user) { const error = new Error('Not found'); error.statusCode = 404; throw error; }
    return { id: userId, name: user.name, aadObjectId: user.aadObjectId, email: user.email, userPrincipalName: user.email };
  }
}

/** Starts the botbuilder Connector on a free loopback port. */
export async function startConnector(users) {
  const handler = new RecordingHandler(users);
  const shim = new Shim();
  new ChannelServiceRoutes(handler).register(shim);
  const server = http.createServer((req, res) => shim.handle(req, res));
  const wanted = process.env.BOT_NODE_PORTS ? await freePort() : 0;
  await new Promise((r) => server.listen(wanted, '127.0.0.1', r));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/`, handler, close: () => new Promise((r) => server.close(r)) };
}
