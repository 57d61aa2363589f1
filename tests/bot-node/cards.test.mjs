// Every card the bot can send renders with the official adaptivecards renderer in Debian chromium with no parse
// errors or warnings; a screenshot of each goes to artifacts/bot-cards/. The digest mail (an Outlook actionable
// message) is parsed by chromium's HTML parser, and the card in its head renders the same way.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { httpsJson, outlookOriginator, root, startBot } from './harness.mjs';

const require = createRequire(import.meta.url);
const renderer = require.resolve('adaptivecards/dist/adaptivecards.min.js');
const shots = path.join(root, 'artifacts', 'bot-cards');
let bot;
let browser;
let cards;

before(async () => {
  bot = await startBot({ users: [{ aadObjectId: 'card-user', name: 'Card User', email: 'card@render.test' }], outlook: true });
  cards = await (await fetch(`${bot.botUrl}api/dev/bot/cards`)).json();
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  mkdirSync(shots, { recursive: true });
});

after(async () => {
  await browser?.close();
  await bot?.stop();
});

test('the bot offers every card kind for rendering', () => {
  assert.deepEqual(Object.keys(cards).sort(), ['confirmDelete', 'deleted', 'digest', 'digestEmpty', 'digestMail', 'digestMailAfterSnooze', 'digestMailEmpty',
    'help', 'kept', 'suggestion', 'suggestionDone', 'welcome']);
});

/** Parses and renders a card in the page with the official renderer; returns its parse and validation events. */
function renderCard(json) {
  const AC = window.AdaptiveCards;
  const card = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  card.parse(json, context);
  const events = [];
  for (let i = 0; i < context.eventCount; i++) {
    const e = context.getEventAt(i);
    events.push(`${AC.ValidationEvent[e.event]}: ${e.message}`);
  }
  for (const e of card.validateProperties().validationEvents) events.push(`${AC.ValidationEvent[e.event]}: ${e.message}`);
  const element = card.render();
  document.getElementById('card').appendChild(element);
  const executes = [];
  const walk = (node) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      if (node.type === 'Action.Execute') executes.push(node.verb);
      Object.values(node).forEach(walk);
    }
  };
  walk(json);
  return { events, version: card.version?.toString(), height: element.offsetHeight, actions: card.getActionCount(), executes,
    buttons: [...element.querySelectorAll('button')].map((b) => b.textContent.trim()) };
}

for (const name of ['welcome', 'help', 'confirmDelete', 'deleted', 'kept', 'suggestion', 'suggestionDone', 'digest', 'digestEmpty',
  'digestMail', 'digestMailEmpty', 'digestMailAfterSnooze']) {
  test(`card ${name} renders with no parse errors or warnings`, async () => {
    const page = await browser.newPage({ viewport: { width: 520, height: 800 } });
    try {
      await page.setContent('<!doctype html><html><body style="font-family: sans-serif; margin: 8px"><div id="card"></div></body></html>');
      await page.addScriptTag({ path: renderer });
      await page.addScriptTag({ content: renderCard.toString() });
      const result = await page.evaluate((json) => renderCard(json), cards[name]);

      assert.deepEqual(result.events, []);
      // Teams gets 1.5; Outlook's actionable messages 1.4, the version of its Universal Actions documentation.
      assert.equal(result.version, name.startsWith('digestMail') ? '1.4' : '1.5');
      assert.ok(result.height > 0, 'the card rendered nothing');
      await page.locator('#card').screenshot({ path: path.join(shots, `${name}.png`) });
    } finally {
      await page.close();
    }
  });
}

test('the digest mail is HTML whose head carries the card with its originator, and the card renders with no parse errors or warnings', async () => {
  const response = await fetch(`${bot.botUrl}api/dev/bot/digest-mail`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type'), /^text\/html/);
  const html = await response.text();
  const page = await browser.newPage({ viewport: { width: 640, height: 900 } });
  try {
    // chromium's HTML parser reads the mail as a mail client's would; the card's script type is data, never run.
    await page.setContent(html);
    const mail = await page.evaluate(() => {
      const scripts = [...document.querySelectorAll('script')];
      const script = document.head.querySelector('script[type="application/adaptivecard+json"]');
      return {
        scripts: scripts.length,
        inHead: script !== null && script.parentElement === document.head,
        json: script?.textContent ?? null,
        title: document.title,
        items: [...document.querySelectorAll('body ol > li')].map((li) => li.querySelector('strong').textContent),
        links: [...document.querySelectorAll('body a')].map((a) => a.href),
      };
    });
    assert.equal(mail.scripts, 1);
    assert.ok(mail.inHead, 'the card is in the head');
    assert.equal(mail.title, 'Your week in ties');
    // The fallback body: the suggestions as text (markup in a name stays text) and links to chat and to the tab.
    assert.deepEqual(mail.items, ['Kim <Example> & Co', 'Lee Sample']);
    assert.ok(mail.links.some((l) => l.startsWith('https://teams.microsoft.com/l/chat/0/0?users=kim%40example.test')));
    assert.ok(mail.links.some((l) => l.startsWith('https://teams.microsoft.com/l/entity/')));

    const card = JSON.parse(mail.json);
    assert.match(card.originator, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(card.hideOriginalBody, true);
    assert.equal(card.refresh, undefined);

    await page.setContent('<!doctype html><html><body style="font-family: sans-serif; margin: 8px"><div id="card"></div></body></html>');
    await page.addScriptTag({ path: renderer });
    await page.addScriptTag({ content: renderCard.toString() });
    const result = await page.evaluate((json) => renderCard(json), card);
    assert.deepEqual(result.events, []);
    assert.equal(result.version, '1.4');
    assert.ok(result.height > 0, 'the card rendered nothing');
    assert.deepEqual(result.executes, ['done', 'snooze', 'done', 'snooze']);
    assert.ok(result.buttons.includes('I reached out') && result.buttons.includes('Snooze 2 weeks'), `buttons: ${result.buttons}`);
    await page.locator('#card').screenshot({ path: path.join(shots, 'digestMail-from-html.png') });
  } finally {
    await page.close();
  }
});

test('a card the bot answers with on the Outlook channel carries the originator, no refresh, and renders with no warnings', async () => {
  await httpsJson(`${bot.teamsUrl}_fake/install/0`, 'POST', undefined, bot.ca);
  const teams = await httpsJson(`${bot.teamsUrl}_fake/execute/0`, 'POST', { verb: 'help', data: {} }, bot.ca);
  const outlook = await httpsJson(`${bot.teamsUrl}_fake/execute/0`, 'POST', { verb: 'help', data: {}, channel: 'outlook' }, bot.ca);

  assert.equal(teams.status, 200);
  assert.equal(outlook.status, 200);
  assert.equal(outlook.body.type, 'application/vnd.microsoft.card.adaptive');
  const card = outlook.body.value;
  assert.equal(card.originator, outlookOriginator);
  assert.equal(card.refresh, undefined);
  assert.ok(teams.body.value.refresh, 'the Teams card keeps its refresh');
  assert.deepEqual(card.body, teams.body.value.body);

  const page = await browser.newPage({ viewport: { width: 520, height: 800 } });
  try {
    await page.setContent('<!doctype html><html><body style="font-family: sans-serif; margin: 8px"><div id="card"></div></body></html>');
    await page.addScriptTag({ path: renderer });
    await page.addScriptTag({ content: renderCard.toString() });
    const result = await page.evaluate((json) => renderCard(json), card);
    assert.deepEqual(result.events, []);
    assert.equal(result.version, '1.4');
    assert.ok(result.height > 0, 'the card rendered nothing');
  } finally {
    await page.close();
  }
});
