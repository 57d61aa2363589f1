// The Outlook sender pane in Debian's Chromium against the real DevHost on demo data. Office hosts cannot run here,
// so the page's Office.js (/pane/office/office.js) is replaced by OFFICE_STAND_IN below: a minimal stand-in that
// gives the pane what it reads from Office (Office.onReady, Office.context.mailbox.item with `from` and `sender`,
// Office.context.officeTheme), and nothing else. Everything else is real: the built pane, the DevHost's local sign-in,
// the tab API on the demo tenant. The known-sender, first-contact and not-tracked views are checked with axe-core (no
// serious or critical violation) and photographed in light and dark into artifacts/screenshots.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { artifacts, mainUser, outsideContact, startEnvironment } from './environment.mjs';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const launchArgs = ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const shots = join(artifacts, 'screenshots');
const timeout = 60_000;

/**
 * OFFICE_STAND_IN: the script served instead of Office.js. It stands in for Office.context.mailbox.item (a message in
 * read mode: `from` and `sender` as EmailAddressDetails) and the Office theme. It reports no host, as Office.js does
 * in a plain browser, so the pane signs in with the DevHost's local sign-in page rather than nested app
 * authentication (which needs a real Outlook).
 */
function officeStandIn({ from, dark }) {
  const item = from ? { itemType: 'message', from, sender: from } : null;
  const theme = dark
    ? { isDarkTheme: true, bodyBackgroundColor: '#292929', bodyForegroundColor: '#ffffff', controlBackgroundColor: '#3d3d3d', controlForegroundColor: '#ffffff' }
    : { isDarkTheme: false, bodyBackgroundColor: '#ffffff', bodyForegroundColor: '#242424', controlBackgroundColor: '#ffffff', controlForegroundColor: '#242424' };
  return `/* OFFICE_STAND_IN for the browser tests, not Office.js */
window.Office = {
  onReady: function () { return Promise.resolve({ host: null, platform: null }); },
  EventType: { OfficeThemeChanged: 'officeThemeChanged' },
  context: {
    displayLanguage: 'en-GB',
    officeTheme: ${JSON.stringify(theme)},
    requirements: { isSetSupported: function () { return false; } },
    mailbox: { item: ${JSON.stringify(item)}, addHandlerAsync: function () {} },
  },
};`;
}

let env;
let browser;
let context;
let page;
let token;
/** What the stand-in serves on the next load: the open message's sender and the theme. */
let opened = { from: null, dark: false };

async function api(method, path, body) {
  const response = await fetch(`${env.host}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return response;
}

async function accessible(label) {
  // As in tab.test.mjs: Fluent's focus-trap sentinels (data-tabster-dummy) are a known axe false positive.
  const results = await new AxeBuilder({ page }).exclude('[data-tabster-dummy]').analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(
    serious.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => `${n.target.join(' ')} ${n.html.slice(0, 160)} ${n.failureSummary ?? ''}`).slice(0, 3).join(' | ')}`),
    [],
    `axe found serious or critical violations in ${label}`,
  );
}

/** Opens the pane on a message from `from` in light and in dark, checks it with axe and photographs each. */
async function inBothThemes(from, name, testId) {
  for (const dark of [false, true]) {
    opened = { from, dark };
    await page.goto(env.paneUrl);
    await page.getByTestId(testId).waitFor({ timeout });
    await page.locator(`[data-theme="${dark ? 'dark' : 'default'}"]`).waitFor({ timeout });
    await accessible(`${name} (${dark ? 'dark' : 'light'})`);
    await page.screenshot({ path: join(shots, `pane-${name}-${dark ? 'dark' : 'light'}.png`), fullPage: true });
  }
}

describe('TiesOffice Outlook pane on the DevHost (Office.js replaced by a stand-in)', { timeout: 900_000 }, () => {
  let known;

  before(async () => {
    mkdirSync(shots, { recursive: true });
    env = await startEnvironment();
    const minted = await fetch(`${env.host}/dev-login/token`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ user: mainUser }) });
    assert.equal(minted.status, 200);
    token = (await minted.json()).access_token;
    // A weak tie of the main user: the sender of the "known" message.
    const page1 = await (await api('GET', '/api/me/ties?tier=weak&limit=1')).json();
    known = page1.items[0];
    assert.ok(known, 'the demo user has a weak tie');
    browser = await chromium.launch({ executablePath: chromiumPath, args: launchArgs });
    // A task pane is narrow: Outlook's is about 320 to 450 pixels wide.
    context = await browser.newContext({ viewport: { width: 380, height: 760 }, locale: 'en-GB' });
    await context.route('**/pane/office/office.js', (route) => route.fulfill({ status: 200, contentType: 'text/javascript', body: officeStandIn(opened) }));
    page = await context.newPage();
    page.setDefaultTimeout(timeout);
  });

  after(async () => {
    await context?.close();
    await browser?.close();
    await env?.stop();
  });

  it('signs in through the local sign-in page and shows the known sender', async () => {
    opened = { from: { emailAddress: known.contact, displayName: known.displayName ?? known.contact }, dark: false };
    await page.goto(env.paneUrl);
    await page.getByTestId('state-sign-in').waitFor();
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: new RegExp(mainUser.replace(/\./g, '\\.')) }).click();
    await page.getByTestId('pane-known').waitFor();
    assert.ok(!page.url().includes('access_token'), 'the token is taken off the address');
    assert.equal(new URL(page.url()).pathname, '/pane/');
  });

  it('shows the tier, last contact, who owes a reply, reciprocity, portability and a next step', async () => {
    const from = { emailAddress: known.contact.toUpperCase(), displayName: 'Shown As In Outlook' };
    opened = { from, dark: false };
    await page.goto(env.paneUrl);
    await page.getByTestId('pane-known').waitFor();
    assert.equal(await page.getByTestId('tier-badge').textContent(), 'Weak');
    const facts = await page.getByTestId('pane-facts').textContent();
    for (const term of ['Last contact', 'Who owes a reply', 'Reciprocity', 'Portability']) assert.ok(facts.includes(term), `${term} in ${facts}`);
    assert.ok((await page.getByTestId('pane-next-step-text').textContent()).length > 10);
    const detail = await (await api('GET', `/api/me/ties/${known.id}`)).json();
    assert.equal(await page.getByTestId('pane-why').textContent(), detail.why);
    const href = await page.getByRole('link', { name: 'Open in TiesOffice' }).getAttribute('href');
    assert.equal(href, `${env.host}/tab/#/ties/${encodeURIComponent(known.id)}`);
    await inBothThemes(from, 'known-sender', 'pane-known');
  });

  it('snoozes the tie from the pane, and the tab API has the snooze', async () => {
    opened = { from: { emailAddress: known.contact, displayName: known.displayName ?? known.contact }, dark: false };
    await page.goto(env.paneUrl);
    await page.getByTestId('pane-known').waitFor();
    await page.getByRole('button', { name: 'Snooze a week' }).click();
    await page.getByTestId('pane-status').filter({ hasText: /^Snoozed until / }).waitFor();
    const detail = await (await api('GET', `/api/me/ties/${known.id}`)).json();
    assert.ok(detail.snoozedUntil, 'the snooze was saved');
    await page.reload();
    await page.getByTestId('snoozed-badge').waitFor();
    assert.equal(await page.getByTestId('pane-next-step-text').getAttribute('data-kind'), 'snoozed');
  });

  it("the DevHost's pane preview (its own Office.js stand-in, for the demo) shows the same pane", async () => {
    await page.goto(`${env.host}/dev-pane/`);
    await page.getByRole('button', { name: 'Open the pane' }).waitFor();
    await page.getByLabel("Sender's address").fill(known.contact);
    await page.getByRole('button', { name: 'Open the pane' }).click();
    await page.getByTestId('pane-known').waitFor();
    assert.equal(new URL(page.url()).pathname, '/dev-pane/');
    assert.equal(await page.getByTestId('tier-badge').textContent(), 'Weak');
  });

  it('shows a first-contact view for an unknown sender', async () => {
    const from = { emailAddress: 'new.partner@contoso.example', displayName: 'New Partner' };
    assert.equal((await api('POST', '/api/me/sender', { address: from.emailAddress })).status, 404);
    await inBothThemes(from, 'first-contact', 'pane-first-contact');
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'New Partner');
    assert.equal(await page.getByTestId('pane-facts').count(), 0);
  });

  it('shows nothing tracked for a sender on the exclusion list', async () => {
    const from = { emailAddress: outsideContact, displayName: 'Kim Lee' };
    assert.equal((await api('POST', '/api/me/sender', { address: outsideContact })).status, 200, 'a tie before the exclusion');
    const settings = await (await api('GET', '/api/me/settings')).json();
    const domain = outsideContact.split('@')[1];
    const saved = await api('PUT', '/api/me/settings', { ...settings, exclusions: [...settings.exclusions, domain] });
    assert.equal(saved.status, 200);
    await inBothThemes(from, 'not-tracked', 'pane-not-tracked');
    assert.equal(await page.getByTestId('tier-badge').count(), 0);
    assert.equal(await page.getByTestId('pane-facts').count(), 0);
    assert.ok(!(await page.locator('main').textContent()).includes('Kim Lee'), 'nothing about the sender but the address they wrote from');
  });

  it('asks for a message when none is open', async () => {
    opened = { from: null, dark: false };
    await page.goto(env.paneUrl);
    await page.getByTestId('pane-no-message').waitFor();
    await accessible('no message');
  });

  it('shows a clear screen when offline, and the sender again when back online', async () => {
    opened = { from: { emailAddress: known.contact, displayName: known.displayName ?? known.contact }, dark: false };
    await page.goto(env.paneUrl);
    await page.getByTestId('pane-known').waitFor();
    await context.setOffline(true);
    await page.getByTestId('state-offline').waitFor();
    await accessible('offline');
    await page.screenshot({ path: join(shots, 'pane-offline-light.png') });
    await context.setOffline(false);
    await page.getByTestId('pane-known').waitFor();
  });
});
