import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { iconsDir, templatePath } from '../package.mjs';
import { readPng, outlineViolations, alphaCounts } from '../lib/icons.mjs';

const require = createRequire(import.meta.url);
const { PNG } = require('pngjs');
const icon = (name) => readPng(path.join(iconsDir, name));

test('the colour icon is 192x192 and opaque', () => {
  const png = icon('color.png');
  assert.deepEqual([png.width, png.height], [192, 192]);
  const counts = alphaCounts(png);
  assert.equal(counts.transparent + counts.partial, 0, 'Teams shows the colour icon on its own background; it fills the square');
});

test('the outline icon is 32x32, white on transparent', () => {
  const png = icon('outline.png');
  assert.deepEqual([png.width, png.height], [32, 32]);
  assert.deepEqual(outlineViolations(png), []);
  const counts = alphaCounts(png);
  assert.ok(counts.transparent > 0, 'it has a transparent background');
  assert.ok(counts.opaque > 0, 'it draws something');
});

test('the outline check rejects a coloured pixel and an opaque background', () => {
  const coloured = icon('outline.png');
  const i = coloured.data.findIndex((_, index) => index % 4 === 3 && coloured.data[index] === 255) - 3;
  coloured.data[i + 1] = 128; // the first opaque white pixel turns pink
  assert.equal(outlineViolations(coloured).length, 1);

  const filledBackground = new PNG({ width: 32, height: 32 });
  filledBackground.data.fill(0);
  for (let p = 0; p < 32 * 32; p++) filledBackground.data[p * 4 + 3] = 255; // opaque black
  assert.equal(outlineViolations(filledBackground, 2000).length, 32 * 32);
});

test('the small colour icon is 32x32 with a transparent background', () => {
  const png = icon('color32.png');
  assert.deepEqual([png.width, png.height], [32, 32]);
  assert.equal(png.data[3], 0, 'the top-left corner is transparent');
  assert.ok(alphaCounts(png).opaque > 0);
});

test('the Outlook ribbon icons, desktop and mobile, have the sizes the manifest declares', async () => {
  const manifest = JSON.parse(await readFile(templatePath, 'utf8'));
  const tabs = manifest.extensions[0].ribbons.flatMap((r) => r.tabs);
  const desktop = tabs.flatMap((t) => (t.groups ?? []).flatMap((g) => [...g.icons, ...g.controls.flatMap((c) => c.icons)]));
  const mobile = tabs.flatMap((t) => (t.customMobileRibbonGroups ?? []).flatMap((g) => g.controls.flatMap((c) => c.icons)));
  assert.ok(desktop.length > 0);
  assert.equal(mobile.length, 9, 'a mobile button has 25, 32 and 48 point icons at scales 1, 2 and 3');
  // Mobile sizes are points: the image has size x scale pixels.
  for (const { size, scale = 1, url } of [...desktop, ...mobile]) {
    const file = path.join(iconsDir, url.split('/').at(-1));
    assert.ok(existsSync(file), `${url} has no file in manifest/icons`);
    const png = readPng(file);
    assert.deepEqual([png.width, png.height], [size * scale, size * scale], url);
  }
});

test('every icon has its SVG source beside it, and the package icons are the ones the manifest names', async () => {
  const manifest = JSON.parse(await readFile(templatePath, 'utf8'));
  assert.deepEqual(Object.values(manifest.icons).sort(), ['color.png', 'color32.png', 'outline.png']);
  for (const source of ['color.svg', 'outline.svg', 'color32.svg']) {
    assert.ok(existsSync(path.join(iconsDir, 'src', source)), source);
  }
});
