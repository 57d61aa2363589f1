#!/usr/bin/env node
// Builds the app package an admin uploads: fills manifest.template.json with this deployment's values, checks the
// result against the official schema bundled in @microsoft/app-manifest (offline), and writes a .zip holding
// manifest.json and the three icons at its root.
//
//   node manifest/package.mjs --outputs outputs.json [--app-id GUID] [--version 1.0.0] [--out FILE]
//   node manifest/package.mjs --domain ties.example.com --bot-id GUID --client-id GUID [--app-id GUID]
//
// Each value comes from, in order: a command-line option, an environment variable (TIES_APP_ID, TIES_BOT_ID,
// TIES_CLIENT_ID, TIES_DOMAIN, TIES_VERSION), or the deployment's outputs (the JSON that
// `az deployment group show ... --query properties.outputs` prints; see docs/Deploy.md). A missing or malformed
// value stops it with a message naming the value, and nothing is written.
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
export const manifestDir = path.dirname(fileURLToPath(import.meta.url));
export const templatePath = path.join(manifestDir, 'manifest.template.json');
export const iconsDir = path.join(manifestDir, 'icons');
/** The files at the root of the package besides manifest.json (the names the manifest's `icons` use). */
export const packageIcons = ['color.png', 'outline.png', 'color32.png'];

/**
 * The values packaging fills in. `output` names the deployment output that supplies it (infra/main.bicep).
 * The Teams app id defaults to the Entra client id (so does the deployment's teamsAppId output, which the bot's deep
 * links use): it must stay the same across versions of the package, and the client id already does.
 */
export const settings = [
  { key: 'domain', option: '--domain', env: 'TIES_DOMAIN', output: 'appDomain', placeholder: 'DOMAIN', check: checkDomain },
  { key: 'botId', option: '--bot-id', env: 'TIES_BOT_ID', output: 'botAppId', placeholder: 'BOT_ID', check: checkGuid },
  { key: 'clientId', option: '--client-id', env: 'TIES_CLIENT_ID', output: 'entraClientId', placeholder: 'CLIENT_ID', check: checkGuid },
  { key: 'appId', option: '--app-id', env: 'TIES_APP_ID', output: 'teamsAppId', placeholder: 'APP_ID', check: checkGuid, fallback: 'clientId' },
  { key: 'version', option: '--version', env: 'TIES_VERSION', output: null, placeholder: 'VERSION', check: checkVersion, default: '1.0.0' },
];

/** A configuration error: the message names the value and says what is wrong with it. */
export class PackagingError extends Error {
  constructor(message) {
    super(message);
    this.name = 'PackagingError';
  }
}

const guidPattern = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

function checkGuid(value) {
  if (!guidPattern.test(value)) {
    return 'is not a GUID (expected 8-4-4-4-12 hexadecimal digits, for example 0f8fad5b-d9cb-469f-a165-70867728950e)';
  }
  if (/^[0-]+$/.test(value)) {
    return 'is the empty GUID';
  }
  return null;
}

function checkDomain(value) {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    return 'must be a host name without a scheme (drop "https://")';
  }
  if (/[/?#]/.test(value)) {
    return 'must be a host name alone, without a path, query or fragment';
  }
  if (value.includes(':')) {
    return 'must be a host name without a port (Teams and Outlook load the app over https on 443)';
  }
  if (value.includes('*')) {
    return 'must be the one host that serves the app, not a wildcard';
  }
  if (value.length > 253 || !/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i.test(value)) {
    return 'is not a public DNS host name (labels of letters, digits and hyphens, with a dot, for example ties.contoso.com)';
  }
  if (/^localhost$|\.localhost$/i.test(value)) {
    return 'is a local name; Teams and Outlook need the public host name of the deployment';
  }
  return null;
}

function checkVersion(value) {
  return /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/.test(value)
    ? null
    : 'is not a version of the form MAJOR.MINOR.PATCH (for example 1.0.0)';
}

/** Reads `--name value` and `--name=value` options; unknown options are errors. */
export function parseArguments(argv) {
  const known = new Set([...settings.map((s) => s.option), '--outputs', '--out', '--help']);
  const result = {};
  for (let i = 0; i < argv.length; i++) {
    const argument = argv[i];
    const [name, inline] = argument.includes('=') ? [argument.slice(0, argument.indexOf('=')), argument.slice(argument.indexOf('=') + 1)] : [argument, undefined];
    if (!known.has(name)) {
      throw new PackagingError(`unknown argument "${argument}" (known: ${[...known].join(', ')})`);
    }
    if (name === '--help') {
      result.help = true;
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined || (inline === undefined && value.startsWith('--'))) {
      throw new PackagingError(`${name} needs a value`);
    }
    result[name] = value;
  }
  return result;
}

/**
 * Reads deployment outputs: the ARM form `{ name: { type, value } }` that az prints, or plain `{ name: value }`.
 */
export function readOutputs(json, source) {
  let parsed;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new PackagingError(`deployment outputs ${source} are not JSON: ${error.message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new PackagingError(`deployment outputs ${source} must be a JSON object of outputs`);
  }
  const outputs = {};
  for (const [name, entry] of Object.entries(parsed)) {
    outputs[name] = entry !== null && typeof entry === 'object' && 'value' in entry ? entry.value : entry;
  }
  return outputs;
}

/**
 * Resolves every value from options, environment and outputs, and checks each one. Collects every problem before
 * failing, so one run names all of them.
 */
export function resolveValues(options, env, outputs, outputsSource) {
  const values = {};
  const problems = [];
  for (const setting of settings) {
    let value = options[setting.option];
    let from = setting.option;
    if (value === undefined && env[setting.env] !== undefined && env[setting.env] !== '') {
      value = env[setting.env];
      from = `environment variable ${setting.env}`;
    }
    if (value === undefined && setting.output && outputs && outputs[setting.output] !== undefined && outputs[setting.output] !== '') {
      value = outputs[setting.output];
      from = `output "${setting.output}" of ${outputsSource}`;
    }
    if (value === undefined && setting.fallback) {
      if (values[setting.fallback] === undefined) {
        // The value it defaults to is missing or invalid, and that problem is already reported.
        problems.push(`${setting.key} is missing: give ${setting.option}, or a valid ${settings.find((s) => s.key === setting.fallback).option} to default to`);
        continue;
      }
      value = values[setting.fallback];
      from = `${setting.option} (defaults to ${settings.find((s) => s.key === setting.fallback).option})`;
    }
    if (value === undefined && setting.default !== undefined) {
      value = setting.default;
      from = `${setting.option} (default)`;
    }
    if (value === undefined) {
      const sources = [setting.option, `environment variable ${setting.env}`];
      if (setting.output) {
        sources.push(`output "${setting.output}" of --outputs`);
      }
      problems.push(`${setting.key} is missing: give ${sources.join(', or ')}`);
      continue;
    }
    if (typeof value !== 'string') {
      problems.push(`${setting.key} from ${from} must be a string, not ${JSON.stringify(value)}`);
      continue;
    }
    const trimmed = value.trim();
    const problem = setting.check(trimmed);
    if (problem) {
      problems.push(`${setting.key} from ${from} ("${trimmed}") ${problem}`);
      continue;
    }
    // Host names and GUIDs compare case-insensitively; the package carries them in lower case.
    values[setting.key] = trimmed.toLowerCase();
  }
  if (problems.length > 0) {
    throw new PackagingError(problems.join('\n'));
  }
  return values;
}

/** Replaces every {{PLACEHOLDER}} in the template; an unknown placeholder is an error (the template and this file drifted). */
export function fillTemplate(template, values) {
  const filled = template.replace(/\{\{([A-Z_]+)\}\}/g, (match, name) => {
    const setting = settings.find((s) => s.placeholder === name);
    if (!setting) {
      throw new PackagingError(`manifest.template.json has an unknown placeholder ${match}`);
    }
    return values[setting.key];
  });
  return JSON.parse(filled);
}

/** Validates a manifest against the schema its $schema names, bundled in @microsoft/app-manifest (no network). */
export async function validateManifest(manifest) {
  const { AppManifestUtils } = require('@microsoft/app-manifest');
  return AppManifestUtils.validateAgainstSchema(manifest);
}

/** Builds the package in memory: returns the manifest and the zip's bytes. */
export async function buildPackage(values) {
  const template = await readFile(templatePath, 'utf8');
  const manifest = fillTemplate(template, values);
  const errors = await validateManifest(manifest);
  if (errors.length > 0) {
    throw new PackagingError(`the filled manifest does not validate against schema ${manifest.manifestVersion}:\n${errors.join('\n')}`);
  }
  const JSZip = require('jszip');
  const zip = new JSZip();
  // A fixed date keeps the zip the same for the same inputs.
  const date = new Date(Date.UTC(2026, 0, 1));
  zip.file('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`, { date });
  for (const icon of packageIcons) {
    zip.file(icon, await readFile(path.join(iconsDir, icon)), { date });
  }
  const bytes = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', platform: 'UNIX' });
  return { manifest, bytes };
}

const usage = `Usage: scripts/package.sh [--outputs FILE] [--domain HOST] [--bot-id GUID] [--client-id GUID] [--app-id GUID] [--version X.Y.Z] [--out FILE]
  --outputs    deployment outputs JSON (az deployment group show -g RG -n NAME --query properties.outputs)
  --domain     host name serving /tab/, /pane/ and /api/messages (output appDomain), no scheme
  --bot-id     the Azure Bot's Microsoft App ID (output botAppId)
  --client-id  the Entra app registration's client id, for sign-in (output entraClientId)
  --app-id     the Teams app id (output teamsAppId); defaults to the client id (keep it the same across versions)
  --version    the package version, MAJOR.MINOR.PATCH (default 1.0.0); raise it for every update
  --out        where to write the zip (default artifacts/app-package/TiesOffice-<version>.zip)
Environment: TIES_DOMAIN, TIES_BOT_ID, TIES_CLIENT_ID, TIES_APP_ID, TIES_VERSION.`;

export async function main(argv, env) {
  const options = parseArguments(argv);
  if (options.help) {
    console.log(usage);
    return null;
  }
  let outputs = null;
  let outputsSource = null;
  if (options['--outputs'] !== undefined) {
    outputsSource = options['--outputs'];
    let json;
    try {
      json = await readFile(outputsSource, 'utf8');
    } catch (error) {
      throw new PackagingError(`cannot read deployment outputs ${outputsSource}: ${error.code ?? error.message}`);
    }
    outputs = readOutputs(json, outputsSource);
  }
  const values = resolveValues(options, env, outputs, outputsSource);
  const { bytes } = await buildPackage(values);
  const out = path.resolve(options['--out'] ?? path.join(manifestDir, '..', 'artifacts', 'app-package', `TiesOffice-${values.version}.zip`));
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, bytes);
  console.log(`wrote ${out} (app ${values.appId}, bot ${values.botId}, https://${values.domain}/, version ${values.version})`);
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2), process.env).catch((error) => {
    if (error instanceof PackagingError) {
      console.error(`package: ${error.message.split('\n').join('\npackage: ')}`);
      console.error('package: nothing was written. Run with --help for the options.');
      process.exit(2);
    }
    throw error;
  });
}
