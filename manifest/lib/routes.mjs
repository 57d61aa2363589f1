// Which URLs the deployed app serves: the HTTP routes the Functions build declares (functions.metadata, the file the
// Functions host reads), under the route prefix of host.json. The Function App is the only host of the deployment
// (docs/Deploy.md, "Why the Function App serves the tab and the pane"), and a test of the end-to-end suite keeps every
// Functions route in the DevHost too.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** Reads the HTTP triggers of a functions.metadata file: [{ name, route, methods }]. */
export function readHttpTriggers(metadataJson) {
  const functions = JSON.parse(metadataJson);
  const triggers = [];
  for (const fn of functions) {
    for (const binding of fn.bindings ?? []) {
      if (binding.type === 'httpTrigger' && binding.direction === 'In') {
        triggers.push({
          name: fn.name,
          route: binding.route ?? fn.name,
          methods: (binding.methods ?? ['get', 'post', 'put', 'delete', 'patch', 'head', 'options']).map((m) => m.toUpperCase()),
        });
      }
    }
  }
  return triggers;
}

/** The HTTP route prefix of a host.json: extensions.http.routePrefix, "api" when absent (the Functions default). */
export function readRoutePrefix(hostJson) {
  const host = JSON.parse(hostJson);
  const prefix = host?.extensions?.http?.routePrefix;
  return typeof prefix === 'string' ? prefix.replace(/^\/+|\/+$/g, '') : 'api';
}

function segments(value) {
  const trimmed = value.replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? [] : trimmed.split('/');
}

/**
 * Whether an ASP.NET Core / Functions route template matches a request path. Supports literal segments, parameters
 * `{name}` and `{name:constraint}` (one non-empty segment), optional `{name?}`, and catch-all `{*name}` / `{**name}`.
 * A trailing slash on the path is ignored, as ASP.NET Core routing does.
 */
export function templateMatches(template, requestPath) {
  const t = segments(template);
  const p = segments(decodeURI(requestPath));
  for (let i = 0; i < t.length; i++) {
    const part = t[i];
    const parameter = /^\{(\*{1,2})?([A-Za-z_][A-Za-z0-9_]*)(:[^}?]*)?(\?)?\}$/.exec(part);
    if (parameter && parameter[1]) {
      return true; // catch-all: the rest, even nothing
    }
    if (i >= p.length) {
      // Only optional parameters may be left.
      return t.slice(i).every((rest) => /^\{[^}]*\?\}$/.test(rest));
    }
    if (parameter) {
      continue;
    }
    if (part.toLowerCase() !== p[i].toLowerCase()) {
      return false;
    }
  }
  return t.length === p.length;
}

/** The served routes as { method, template } with the prefix applied. */
export function servedRoutes(metadataJson, hostJson) {
  const prefix = readRoutePrefix(hostJson);
  return readHttpTriggers(metadataJson).flatMap((trigger) =>
    trigger.methods.map((method) => ({ method, template: prefix === '' ? trigger.route : `${prefix}/${trigger.route}`, name: trigger.name })),
  );
}

/** The route that serves `method path`, or undefined. */
export function findRoute(routes, method, requestPath) {
  return routes.find((route) => route.method === method.toUpperCase() && templateMatches(route.template, requestPath));
}

/**
 * Finds the newest functions.metadata the build wrote (Release or Debug), or the one TIES_FUNCTIONS_METADATA names.
 */
export function locateFunctionsMetadata(repositoryRoot, env = process.env) {
  if (env.TIES_FUNCTIONS_METADATA) {
    return env.TIES_FUNCTIONS_METADATA;
  }
  const candidates = ['Release', 'Debug']
    .map((configuration) => path.join(repositoryRoot, 'src', 'TiesOffice.Functions', 'bin', configuration, 'net10.0', 'functions.metadata'))
    .filter((file) => existsSync(file))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  return candidates[0];
}

/** Every https URL in a JSON value, with the JSON path where it was found. */
export function collectUrls(value, at = '$') {
  if (typeof value === 'string') {
    return /^https?:\/\//i.test(value) ? [{ at, url: value }] : [];
  }
  if (Array.isArray(value)) {
    return value.flatMap((item, index) => collectUrls(item, `${at}[${index}]`));
  }
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => (key === '$schema' ? [] : collectUrls(item, `${at}.${key}`)));
  }
  return [];
}

export function readText(file) {
  return readFileSync(file, 'utf8');
}
