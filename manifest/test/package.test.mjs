import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { main, buildPackage, validateManifest, resolveValues, readOutputs, iconsDir, PackagingError } from '../package.mjs';
import { readPng, outlineViolations } from '../lib/icons.mjs';
import { sample } from '../lib/sample.mjs';

const require = createRequire(import.meta.url);
const JSZip = require('jszip');

// The outputs file as `az deployment group show ... --query properties.outputs` writes it.
const armOutputs = {
  appDomain: { type: 'String', value: sample.domain },
  botAppId: { type: 'String', value: sample.botId },
  entraClientId: { type: 'String', value: sample.clientId },
  tabUrl: { type: 'String', value: `https://${sample.domain}/tab/` },
};

const quiet = async (fn) => {
  const log = console.log;
  console.log = () => {};
  try {
    return await fn();
  } finally {
    console.log = log;
  }
};

test('the package holds manifest.json and the three icons at its root, and its manifest validates', async () => {
  const { bytes } = await buildPackage(sample);
  const zip = await JSZip.loadAsync(bytes);
  assert.deepEqual(Object.keys(zip.files).sort(), ['color.png', 'color32.png', 'manifest.json', 'outline.png']);
  const manifest = JSON.parse(await zip.file('manifest.json').async('string'));
  assert.deepEqual(await validateManifest(manifest), []);
  assert.equal(manifest.id, sample.appId);
  const outline = readPng(await zip.file('outline.png').async('nodebuffer'));
  assert.deepEqual(outlineViolations(outline), []);
  assert.deepEqual(await zip.file('color.png').async('nodebuffer'), await readFile(path.join(iconsDir, 'color.png')));
});

test('the same inputs give the same zip', async () => {
  const first = await buildPackage(sample);
  const second = await buildPackage(sample);
  assert.ok(first.bytes.equals(second.bytes));
});

test('the command reads the deployment outputs, defaults the app id to the client id, and writes the zip', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ties-package-'));
  const outputs = path.join(dir, 'outputs.json');
  await writeFile(outputs, JSON.stringify(armOutputs));
  const out = path.join(dir, 'app.zip');
  const written = await quiet(() => main(['--outputs', outputs, '--out', out, '--version', '2.0.1'], {}));
  assert.equal(written, out);
  const manifest = JSON.parse(await (await JSZip.loadAsync(await readFile(out))).file('manifest.json').async('string'));
  assert.equal(manifest.id, sample.clientId);
  assert.equal(manifest.bots[0].botId, sample.botId);
  assert.equal(manifest.webApplicationInfo.resource, `api://${sample.domain}/${sample.clientId}`);
  assert.equal(manifest.version, '2.0.1');
  assert.deepEqual(await validateManifest(manifest), []);
});

test('the Teams app id comes from the teamsAppId output when the deployment gives one', () => {
  const outputs = readOutputs(JSON.stringify({ ...armOutputs, teamsAppId: { type: 'String', value: sample.appId } }), 'outputs');
  assert.equal(resolveValues({}, {}, outputs, 'outputs').appId, sample.appId);
});

test('an option wins over the environment, and the environment over the outputs', () => {
  const other = '0b5e7c1d-3f2a-4b6c-9d8e-7a1f2e3d4c5b';
  const values = resolveValues({ '--bot-id': other }, { TIES_DOMAIN: 'ties.contoso.com', TIES_BOT_ID: sample.clientId }, readOutputs(JSON.stringify(armOutputs), 'outputs'), 'outputs');
  assert.equal(values.botId, other);
  assert.equal(values.domain, 'ties.contoso.com');
  assert.equal(values.clientId, sample.clientId);
});

const rejects = (options, env, ...expected) => {
  assert.throws(
    () => resolveValues(options, env, null, null),
    (error) => {
      assert.ok(error instanceof PackagingError);
      for (const text of expected) assert.ok(error.message.includes(text), `"${error.message}" should mention "${text}"`);
      return true;
    },
  );
};
const good = { '--domain': sample.domain, '--bot-id': sample.botId, '--client-id': sample.clientId };

test('a missing value is named with where it can come from', () => {
  rejects({ '--bot-id': sample.botId, '--client-id': sample.clientId }, {}, 'domain is missing', '--domain', 'TIES_DOMAIN', 'appDomain');
  rejects({ '--domain': sample.domain, '--client-id': sample.clientId }, {}, 'botId is missing', 'botAppId');
});

test('a domain with a scheme, a path, a port, a wildcard or no dot is refused', () => {
  rejects({ ...good, '--domain': 'https://ties.contoso.com' }, {}, 'domain', 'without a scheme');
  rejects({ ...good, '--domain': 'ties.contoso.com/tab' }, {}, 'domain', 'without a path');
  rejects({ ...good, '--domain': 'ties.contoso.com:8443' }, {}, 'domain', 'without a port');
  rejects({ ...good, '--domain': '*.contoso.com' }, {}, 'domain', 'wildcard');
  rejects({ ...good, '--domain': 'ties' }, {}, 'domain', 'not a public DNS host name');
  rejects({ ...good, '--domain': 'localhost' }, {}, 'domain');
});

test('ids that are not GUIDs, the empty GUID and a bad version are refused, each named', () => {
  rejects({ ...good, '--bot-id': 'ties-bot' }, {}, 'botId from --bot-id ("ties-bot") is not a GUID');
  rejects({ ...good, '--client-id': '00000000-0000-0000-0000-000000000000' }, {}, 'clientId', 'empty GUID');
  rejects({ ...good, '--app-id': '{' + sample.appId + '}' }, {}, 'appId', 'not a GUID');
  rejects({ ...good, '--version': '1.0' }, {}, 'version', 'MAJOR.MINOR.PATCH');
});

test('every problem is reported in one run, and nothing is written', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ties-package-'));
  const out = path.join(dir, 'app.zip');
  await assert.rejects(
    main(['--domain', 'http://x', '--bot-id', 'nope', '--out', out], {}),
    (error) => error instanceof PackagingError && /domain/.test(error.message) && /botId/.test(error.message) && /clientId is missing/.test(error.message),
  );
  assert.equal(existsSync(out), false);
  assert.deepEqual(await readdir(dir), []);
});

test('unreadable or malformed outputs, and unknown arguments, stop it with a message', async () => {
  await assert.rejects(main(['--outputs', '/nonexistent/outputs.json'], {}), /cannot read deployment outputs \/nonexistent\/outputs.json/);
  assert.throws(() => readOutputs('{"appDomain": ', 'o.json'), /o.json are not JSON/);
  assert.throws(() => readOutputs('[1]', 'o.json'), /must be a JSON object/);
  await assert.rejects(main(['--domian', 'x'], {}), /unknown argument "--domian"/);
  await assert.rejects(main(['--domain'], {}), /--domain needs a value/);
});

test('an output of the wrong type is named', () => {
  assert.throws(
    () => resolveValues({}, {}, { appDomain: 42, botAppId: sample.botId, entraClientId: sample.clientId }, 'o.json'),
    /domain from output "appDomain" of o.json must be a string/,
  );
});

test('every deployment output packaging reads is declared by infra/main.bicep as a string', async () => {
  const { settings } = await import('../package.mjs');
  const bicep = await readFile(path.join(iconsDir, '..', '..', 'infra', 'main.bicep'), 'utf8');
  const declared = new Set([...bicep.matchAll(/^output\s+(\w+)\s+string\b/gm)].map((m) => m[1]));
  assert.ok(declared.size > 0);
  const read = settings.filter((s) => s.output).map((s) => s.output);
  assert.deepEqual(read.sort(), ['appDomain', 'botAppId', 'entraClientId', 'teamsAppId']);
  assert.deepEqual(read.filter((name) => !declared.has(name)), []);
});

test('scripts/package.sh, the command an admin runs, writes the zip, and exits 2 naming a bad value', async () => {
  const { spawnSync } = await import('node:child_process');
  const script = path.join(iconsDir, '..', '..', 'scripts', 'package.sh');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ties-package-'));
  const out = path.join(dir, 'app.zip');
  const env = { PATH: process.env.PATH, HOME: process.env.HOME ?? os.tmpdir() };

  const ok = spawnSync('bash', [script, '--domain', sample.domain, '--bot-id', sample.botId, '--client-id', sample.clientId, '--out', out], { env, encoding: 'utf8' });
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /^wrote /);
  const manifest = JSON.parse(await (await JSZip.loadAsync(await readFile(out))).file('manifest.json').async('string'));
  assert.equal(manifest.validDomains[0], sample.domain);

  const bad = spawnSync('bash', [script, '--domain', `https://${sample.domain}`, '--bot-id', sample.botId, '--client-id', sample.clientId, '--out', path.join(dir, 'bad.zip')], { env, encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /domain from --domain .* without a scheme/);
  assert.match(bad.stderr, /nothing was written/);
  assert.equal(existsSync(path.join(dir, 'bad.zip')), false);
});
