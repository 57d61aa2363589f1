import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fillTemplate, templatePath, validateManifest, settings, PackagingError } from '../package.mjs';
import { sample } from '../lib/sample.mjs';

const require = createRequire(import.meta.url);
const template = await readFile(templatePath, 'utf8');
const filled = () => fillTemplate(template, sample);

test('filled template validates against the bundled official schema with no error', async () => {
  const errors = await validateManifest(filled());
  assert.deepEqual(errors, []);
});

test('the schema validation catches a bad bot id, an unknown bot scope and a missing field', async () => {
  const manifest = filled();
  manifest.bots[0].botId = 'not-a-guid';
  manifest.bots[0].scopes = ['everywhere'];
  delete manifest.developer;
  const errors = await validateManifest(manifest);
  assert.ok(errors.some((e) => e.startsWith('/bots/0/botId ')), errors.join('\n'));
  assert.ok(errors.some((e) => e.startsWith('/bots/0/scopes/0 ')), errors.join('\n'));
  assert.ok(errors.some((e) => e.includes("'developer'")), errors.join('\n'));
});

test('the manifest is on the newest schema the bundled package carries, and at least 1.22', async () => {
  const schemas = path.join(path.dirname(require.resolve('@microsoft/app-manifest/package.json')), 'build', 'json-schemas', 'teams');
  const versions = (await readdir(schemas))
    .map((name) => /^v(\d+)\.(\d+)$/.exec(name))
    .filter(Boolean)
    .map((m) => [Number(m[1]), Number(m[2])])
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const [major, minor] = versions.at(-1);
  const manifest = filled();
  assert.equal(manifest.manifestVersion, `${major}.${minor}`);
  assert.equal(manifest.$schema, `https://developer.microsoft.com/json-schemas/teams/v${major}.${minor}/MicrosoftTeams.schema.json`);
  assert.ok(major > 1 || minor >= 22);
});

test('the bot is declared for the personal scope with the bot id', () => {
  const manifest = filled();
  assert.equal(manifest.bots.length, 1);
  assert.equal(manifest.bots[0].botId, sample.botId);
  assert.deepEqual(manifest.bots[0].scopes, ['personal']);
});

test('the personal tab opens /tab/ on the domain, and sign-in names the client id and the app ID URI', () => {
  const manifest = filled();
  const tab = manifest.staticTabs.find((t) => t.entityId === 'ties');
  assert.equal(tab.contentUrl, `https://${sample.domain}/tab/`);
  assert.deepEqual(tab.scopes, ['personal']);
  assert.deepEqual(manifest.webApplicationInfo, { id: sample.clientId, resource: `api://${sample.domain}/${sample.clientId}` });
  assert.deepEqual(manifest.validDomains, [sample.domain]);
  assert.equal(manifest.id, sample.appId);
  assert.equal(manifest.version, sample.version);
});

test('the Outlook add-in is a read-mode task pane at /pane/ whose ribbon button opens it', () => {
  const [extension] = filled().extensions;
  assert.deepEqual(extension.requirements.scopes, ['mail']);
  const runtime = extension.runtimes.find((r) => r.code.page === `https://${sample.domain}/pane/`);
  assert.ok(runtime, 'a runtime loads /pane/');
  const actionIds = new Set(extension.runtimes.flatMap((r) => r.actions.map((a) => a.id)));
  const openPage = runtime.actions.find((a) => a.type === 'openPage');
  assert.ok(openPage, 'the runtime has an openPage action');
  const ribbons = extension.ribbons.filter((r) => r.contexts.includes('mailRead'));
  assert.equal(ribbons.length, 1);
  assert.ok(ribbons.every((r) => !r.contexts.some((c) => c.startsWith('mailCompose'))), 'read mode only');
  assert.deepEqual(ribbons[0].requirements.formFactors, ['desktop', 'mobile']);
  const desktopControls = ribbons[0].tabs.flatMap((t) => (t.groups ?? []).flatMap((g) => g.controls));
  const mobileControls = ribbons[0].tabs.flatMap((t) => (t.customMobileRibbonGroups ?? []).flatMap((g) => g.controls));
  assert.ok(desktopControls.length > 0, 'a desktop button');
  assert.ok(mobileControls.length > 0, 'a mobile button (Outlook mobile runs mailRead add-ins)');
  const controls = [...desktopControls, ...mobileControls];
  // The schema does not check that a control's actionId names an action of a runtime; this test does.
  for (const control of controls) {
    assert.ok(actionIds.has(control.actionId), `control ${control.id} points at unknown action ${control.actionId}`);
  }
  assert.ok(desktopControls.some((c) => c.actionId === openPage.id));
  assert.ok(mobileControls.some((c) => c.actionId === openPage.id));
});

test('every placeholder in the template is one packaging fills, and none is left after filling', () => {
  const placeholders = new Set([...template.matchAll(/\{\{([A-Z_]+)\}\}/g)].map((m) => m[1]));
  assert.deepEqual([...placeholders].sort(), settings.map((s) => s.placeholder).sort());
  assert.doesNotMatch(JSON.stringify(filled()), /\{\{|\}\}/);
});

test('an unknown placeholder in a template is an error, not left in the package', () => {
  assert.throws(() => fillTemplate('{"id":"{{TENANT}}"}', sample), (error) => error instanceof PackagingError && error.message.includes('{{TENANT}}'));
});
