// Every URL the app package sends Teams and Outlook to, and the bot's messaging endpoint in infra/main.bicep, must
// be a route the deployed Function App serves: checked against the Functions build's functions.metadata (build
// src/TiesOffice.Functions first; scripts/test.sh does) and the route prefix in its host.json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fillTemplate, templatePath, manifestDir } from '../package.mjs';
import { collectUrls, findRoute, locateFunctionsMetadata, servedRoutes, templateMatches, readRoutePrefix, readHttpTriggers } from '../lib/routes.mjs';
import { sample } from '../lib/sample.mjs';

const root = path.resolve(manifestDir, '..');
const hostJsonPath = path.join(root, 'src', 'TiesOffice.Functions', 'host.json');

// Routes the package points at that a branch has yet to serve; reported as "todo" until served. Once one is served,
// the last test fails until its line here is removed, so this list cannot hide a route that went missing later.
// (Empty since issue 16: the Function App serves /tab/ and /pane/, and the bot's /api/messages.)
const pending = [];
const pendingFor = (method, requestPath) => pending.find((p) => p.method === method && requestPath.startsWith(p.prefix));

// The folders the Function App serves /tab/ and /pane/ from: the tab's builds (copied into the publish output).
const sites = {
  '/tab/': path.join(root, 'src', 'TiesOffice.Tab', 'dist'),
  '/pane/': path.join(root, 'src', 'TiesOffice.Tab', 'dist-pane'),
};

async function loadRoutes() {
  const metadata = locateFunctionsMetadata(root);
  assert.ok(metadata, 'src/TiesOffice.Functions/bin/{Release,Debug}/net10.0/functions.metadata is missing: build src/TiesOffice.Functions first (scripts/test.sh builds the solution)');
  return servedRoutes(await readFile(metadata, 'utf8'), await readFile(hostJsonPath, 'utf8'));
}

/** The requests the package and the bot resource make of the domain: manifest URLs (GET) and the bot endpoint (POST). */
async function requiredRequests() {
  const manifest = fillTemplate(await readFile(templatePath, 'utf8'), sample);
  const requests = collectUrls(manifest).map(({ at, url }) => ({ at, url, method: 'GET' }));
  const bicep = await readFile(path.join(root, 'infra', 'main.bicep'), 'utf8');
  const endpoint = /^\s*endpoint:\s*'https:\/\/\$\{[^}]+\}(\/[^']*)'/m.exec(bicep);
  assert.ok(endpoint, "infra/main.bicep declares the bot's messaging endpoint as endpoint: 'https://${host}/path'");
  requests.push({ at: 'infra/main.bicep bot endpoint', url: `https://${sample.domain}${endpoint[1]}`, method: 'POST' });
  return requests;
}

const requests = await requiredRequests();

test('every URL of the manifest is on the deployment domain, over https', () => {
  assert.ok(requests.length >= 5);
  for (const { at, url } of requests) {
    const parsed = new URL(url);
    assert.equal(parsed.protocol, 'https:', `${at}: ${url}`);
    assert.equal(parsed.host, sample.domain, `${at}: ${url} is not on the app's domain (validDomains)`);
  }
});

// One test per distinct request; the JSON paths that use it are in the name.
const distinct = new Map();
for (const { at, url, method } of requests) {
  const key = `${method} ${new URL(url).pathname}`;
  distinct.set(key, [...(distinct.get(key) ?? []), at]);
}

for (const [key, places] of distinct) {
  const [method, pathname] = key.split(' ');
  const waiting = pendingFor(method, pathname);
  test(`${key} is served by the Function App (${places.join(', ')})`, { todo: waiting ? `waiting for ${waiting.owner}` : false }, async () => {
    const routes = await loadRoutes();
    const route = findRoute(routes, method, pathname);
    assert.ok(route, `no Functions HTTP trigger serves ${method} ${pathname}; served: ${routes.map((r) => `${r.method} /${r.template}`).join(', ')}`);
  });
}

// A route is not enough for static files: the file the URL names must be in the build the route serves.
for (const [key, places] of distinct) {
  const [method, pathname] = key.split(' ');
  const site = Object.keys(sites).find((prefix) => pathname.startsWith(prefix));
  if (method !== 'GET' || !site) continue;
  test(`${pathname} is a file of the ${site} build (${places.join(', ')})`, () => {
    const folder = sites[site];
    assert.ok(existsSync(path.join(folder, 'index.html')), `${folder} is not built: run npm run build in src/TiesOffice.Tab (scripts/tab-test.sh does)`);
    const relative = decodeURI(pathname.slice(site.length)) || 'index.html';
    assert.ok(existsSync(path.join(folder, relative)), `${pathname}: ${relative} is missing from ${folder}`);
  });
}

test('no pending route is already served (remove it from the pending list once its branch lands)', async () => {
  const routes = await loadRoutes();
  const stale = pending.filter((p) => requests.some((r) => r.method === p.method && new URL(r.url).pathname.startsWith(p.prefix) && findRoute(routes, r.method, new URL(r.url).pathname)));
  assert.deepEqual(stale.map((p) => p.prefix), []);
});

test('the route check refuses a path no trigger serves, a wrong method, and a prefix it does not use', () => {
  const metadata = JSON.stringify([
    { name: 'Messages', bindings: [{ type: 'httpTrigger', direction: 'In', route: 'messages', methods: ['post'] }] },
    { name: 'Tab', bindings: [{ type: 'httpTrigger', direction: 'In', route: 'tab/{*path}', methods: ['get'] }] },
    { name: 'Tie', bindings: [{ type: 'httpTrigger', direction: 'In', route: 'me/ties/{id}', methods: ['get'] }] },
  ]);
  const withApi = servedRoutes(metadata, '{"version":"2.0"}');
  assert.ok(findRoute(withApi, 'POST', '/api/messages'));
  assert.equal(findRoute(withApi, 'GET', '/api/messages'), undefined);
  assert.equal(findRoute(withApi, 'POST', '/messages'), undefined);
  assert.equal(findRoute(withApi, 'GET', '/tab/'), undefined, 'the default prefix puts the tab under /api/tab/');
  assert.ok(findRoute(withApi, 'GET', '/api/tab/'));
  const noPrefix = servedRoutes(metadata, '{"version":"2.0","extensions":{"http":{"routePrefix":""}}}');
  assert.ok(findRoute(noPrefix, 'GET', '/tab/'));
  assert.ok(findRoute(noPrefix, 'GET', '/tab/assets/index.js'));
  assert.equal(findRoute(noPrefix, 'GET', '/pane/'), undefined);
  assert.ok(findRoute(noPrefix, 'GET', '/me/ties/abc'));
  assert.equal(findRoute(noPrefix, 'GET', '/me/ties'), undefined);
  assert.equal(findRoute(noPrefix, 'GET', '/me/ties/abc/overrides'), undefined);
});

test('route templates: literals, parameters, optional parameters, catch-alls and trailing slashes', () => {
  assert.ok(templateMatches('api/health', '/api/health/'));
  assert.ok(templateMatches('api/Health', '/api/health'));
  assert.ok(!templateMatches('api/health', '/api/healthz'));
  assert.ok(templateMatches('api/me/ties/{id:guid}', '/api/me/ties/x'));
  assert.ok(templateMatches('api/items/{id?}', '/api/items'));
  assert.ok(templateMatches('pane/{**path}', '/pane'));
  assert.equal(readRoutePrefix('{"extensions":{"http":{"routePrefix":"/x/"}}}'), 'x');
  assert.deepEqual(readHttpTriggers('[{"name":"T","bindings":[{"type":"timerTrigger","direction":"In"}]}]'), []);
});
