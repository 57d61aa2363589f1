// The tab in Debian's Chromium against the real DevHost on demo data: sign in as a demo user, load the overview,
// filter weak ties, open a tie and see its timeline, snooze it and see the snooze survive a reload, exclude a domain
// and see its ties gone, export, delete everything and see the empty state. Every view is checked with axe-core (no
// serious or critical violation) and photographed in light, dark and high contrast into artifacts/screenshots.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { artifacts, mainUser, outsideContact, startEnvironment } from './environment.mjs';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const launchArgs = ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const shots = join(artifacts, 'screenshots');
const timeout = 60_000;

let env;
let browser;
let context;
let page;

async function accessible(label) {
  // Fluent UI's focus manager (tabster) puts empty, aria-hidden <i tabindex="0" data-tabster-dummy> sentinels at the
  // edges of focus groups; they pass focus on at once and are never read. axe's aria-hidden-focus rule flags them
  // (a known false positive of Fluent v9), so they alone are left out; everything else on the page is checked.
  const results = await new AxeBuilder({ page }).exclude('[data-tabster-dummy]').analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(
    serious.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => `${n.target.join(' ')} ${n.html.slice(0, 160)} ${n.failureSummary ?? ''}`).slice(0, 3).join(' | ')}`),
    [],
    `axe found serious or critical violations in ${label}`,
  );
}

/** Opens a route in light, dark and high contrast (the three Teams themes), waits for it, checks it with axe and saves a screenshot of each. */
async function inEveryTheme(route, name, ready) {
  for (const theme of ['light', 'dark', 'contrast']) {
    await page.goto(`${env.tabUrl}${theme === 'light' ? '' : `?theme=${theme}`}${route}`);
    await ready().waitFor({ timeout });
    await page.locator(`[data-theme="${theme === 'light' ? 'default' : theme}"]`).waitFor({ timeout });
    await accessible(`${name} (${theme})`);
    await page.screenshot({ path: join(shots, `${name}-${theme}.png`), fullPage: true });
  }
}

async function tiesCount() {
  const text = await page.getByTestId('ties-count').filter({ hasText: /^[\d,]+ ties?$/ }).textContent({ timeout });
  return Number(text.replace(/[^\d]/g, ''));
}

describe('TiesOffice tab on the DevHost', { timeout: 900_000 }, () => {
  before(async () => {
    mkdirSync(shots, { recursive: true });
    env = await startEnvironment();
    browser = await chromium.launch({ executablePath: chromiumPath, args: launchArgs });
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB', acceptDownloads: true });
    page = await context.newPage();
    page.setDefaultTimeout(timeout);
  });

  after(async () => {
    await context?.close();
    await browser?.close();
    await env?.stop();
  });

  it('signs in through the local sign-in page and shows the overview', async () => {
    await page.goto(env.tabUrl);
    await page.getByTestId('state-sign-in').waitFor();
    await accessible('sign-in');
    await page.screenshot({ path: join(shots, 'sign-in-light.png') });
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: new RegExp(mainUser.replace(/\./g, '\\.')) }).click();
    await page.getByTestId('view-overview').waitFor();
    assert.ok(!page.url().includes('access_token'), 'the token is taken off the address');
    const strong = Number((await page.getByTestId('tier-count-strong').locator('a').textContent()).match(/[\d,]+/)[0].replace(/,/g, ''));
    const weak = Number((await page.getByTestId('tier-count-weak').locator('a').textContent()).match(/[\d,]+/)[0].replace(/,/g, ''));
    assert.ok(strong + weak > 0, 'the demo user has strong or weak ties');
    await page.getByTestId('network-chart').locator('svg').first().waitFor();
    await inEveryTheme('#/', 'overview', () => page.getByTestId('view-overview').getByTestId('network-chart').locator('svg').first());
  });

  it('works by keyboard alone: from the page start to the ties list', async () => {
    await page.goto(`${env.tabUrl}#/`);
    await page.getByTestId('view-overview').waitFor();
    await page.keyboard.press('Tab'); // the skip link
    await page.keyboard.press('Tab'); // the selected tab
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('role')), 'tab');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await page.getByTestId('view-ties').waitFor();
    await page.keyboard.press('Tab'); // into the search box
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('type')), 'search');
  });

  it('filters weak ties', async () => {
    await page.goto(`${env.tabUrl}#/ties`);
    const all = await tiesCount();
    await page.getByLabel('Tier').selectOption('weak');
    await page.waitForFunction((before) => {
      const text = document.querySelector('[data-testid="ties-count"]')?.textContent ?? '';
      return /^[\d,]+ ties?$/.test(text) && Number(text.replace(/[^\d]/g, '')) !== before;
    }, all);
    const weak = await tiesCount();
    assert.ok(weak > 0 && weak < all, `weak ties (${weak}) are some of all (${all})`);
    const badges = await page.getByTestId('tie-row').getByTestId('tier-badge').allTextContents();
    assert.ok(badges.length > 0);
    assert.deepEqual([...new Set(badges)], ['Weak']);
    await inEveryTheme('#/ties?tier=weak', 'ties', () => page.getByTestId('tie-row').first());
  });

  it('opens a tie and shows its two-way timeline', async () => {
    await page.goto(`${env.tabUrl}#/ties?tier=weak`);
    const first = page.getByTestId('tie-row').first().getByRole('link');
    const name = await first.textContent();
    await first.click();
    await page.getByRole('heading', { level: 1, name }).waitFor();
    await page.getByTestId('timeline-chart').locator('svg').first().waitFor();
    const caption = await page.locator('#timeline-chart-caption').textContent();
    assert.match(caption, /over the last 5\d weeks/);
    assert.match(await page.getByTestId('attention').textContent(), /Reply times/);
    const route = new URL(page.url()).hash;
    await inEveryTheme(route, 'tie-detail', () => page.getByTestId('timeline-chart').locator('svg').first());
  });

  it('snoozes a tie and keeps the snooze after a reload', async () => {
    await page.goto(`${env.tabUrl}#/ties?tier=weak`);
    await page.getByTestId('tie-row').first().getByRole('link').click();
    await page.getByTestId('view-tie').waitFor();
    assert.equal(await page.getByTestId('snoozed-badge').count(), 0, 'not snoozed before');
    await page.getByRole('button', { name: 'Snooze a week' }).click();
    await page.getByTestId('overrides-status').filter({ hasText: 'Snoozed for a week.' }).waitFor();
    await page.reload();
    await page.getByTestId('view-tie').waitFor();
    await page.getByTestId('snoozed-badge').waitFor();
    assert.match(await page.getByTestId('snoozed-badge').textContent(), /Snoozed until/);
  });

  it('excludes a domain and its ties are gone', async () => {
    const domain = outsideContact.split('@')[1];
    await page.goto(`${env.tabUrl}#/ties`);
    await tiesCount();
    await page.getByRole('searchbox').fill(domain);
    await page.getByTestId('tie-row').filter({ hasText: outsideContact }).waitFor();

    await page.goto(`${env.tabUrl}#/settings`);
    await page.getByLabel('Address or domain to exclude').fill(domain);
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByTestId('exclusions').getByText(domain).waitFor();
    await page.getByRole('button', { name: 'Save settings' }).click();
    // Saving an exclusion removes the contact's stored items and rebuilds the ledger before the answer.
    await page.getByTestId('settings-status').filter({ hasText: /./ }).waitFor({ timeout: 180_000 });
    assert.equal(await page.getByTestId('settings-status').textContent(), 'Settings saved.');

    await page.goto(`${env.tabUrl}#/ties`);
    await tiesCount();
    await page.getByRole('searchbox').fill(domain);
    await page.getByTestId('ties-none').waitFor();
    assert.equal(await tiesCount(), 0);
    await inEveryTheme('#/settings', 'settings', () => page.getByTestId('exclusions').getByText(domain));
  });

  it('shows the role-change and reach views', async () => {
    await inEveryTheme('#/roles', 'roles', () => page.getByTestId('view-roles'));
    await inEveryTheme('#/reach', 'reach', () => page.getByTestId('view-reach'));
  });

  it('exports everything as a JSON download', async () => {
    await page.goto(`${env.tabUrl}#/settings`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export everything (JSON)' }).click()]);
    assert.match(download.suggestedFilename(), /\.json$/);
    const exported = JSON.parse(readFileSync(await download.path(), 'utf8'));
    assert.equal(typeof exported, 'object');
    assert.ok(JSON.stringify(exported).length > 100, 'the export holds the user\'s data');
    assert.ok(!JSON.stringify(exported).includes(outsideContact), 'an excluded contact is not in the export');
  });

  it('shows a clear screen when offline', async () => {
    await page.goto(`${env.tabUrl}#/`);
    await page.getByTestId('view-overview').waitFor();
    await context.setOffline(true);
    await page.getByTestId('state-offline').waitFor();
    await accessible('offline');
    await page.screenshot({ path: join(shots, 'offline-light.png') });
    await context.setOffline(false);
    await page.getByTestId('view-overview').waitFor();
  });

  it('deletes everything after a typed confirmation and shows the empty state', async () => {
    await page.goto(`${env.tabUrl}#/settings`);
    const remove = page.getByRole('button', { name: 'Delete all my data' });
    await remove.waitFor();
    assert.equal(await remove.isDisabled(), true);
    await page.getByLabel('Type "delete my data"').fill('delete my data');
    await remove.click();
    await page.getByTestId('state-empty').waitFor();
    await accessible('empty after delete');
    await page.screenshot({ path: join(shots, 'empty-light.png') });
    // The API now treats the user as never installed: a reload says so, not a blank page.
    await page.reload();
    await page.getByTestId('state-not-installed').waitFor();
    await page.screenshot({ path: join(shots, 'not-installed-light.png') });
  });
});
