// Every card the bot can send renders with the official adaptivecards renderer in Debian chromium with no parse
// errors or warnings; a screenshot of each goes to artifacts/bot-cards/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { root, startBot } from './harness.mjs';

const require = createRequire(import.meta.url);
const renderer = require.resolve('adaptivecards/dist/adaptivecards.min.js');
const shots = path.join(root, 'artifacts', 'bot-cards');
let bot;
let browser;
let cards;

before(async () => {
  bot = await startBot({ users: [{ aadObjectId: 'card-user', name: 'Card User', email: 'card@render.test' }] });
  cards = await (await fetch(`${bot.botUrl}api/dev/bot/cards`)).json();
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  mkdirSync(shots, { recursive: true });
});

after(async () => {
  await browser?.close();
  await bot?.stop();
});

test('the bot offers every card kind for rendering', () => {
  assert.deepEqual(Object.keys(cards).sort(), ['confirmDelete', 'deleted', 'digest', 'digestEmpty', 'help', 'kept', 'suggestion', 'suggestionDone', 'welcome']);
});

for (const name of ['welcome', 'help', 'confirmDelete', 'deleted', 'kept', 'suggestion', 'suggestionDone', 'digest', 'digestEmpty']) {
  test(`card ${name} renders with no parse errors or warnings`, async () => {
    const page = await browser.newPage({ viewport: { width: 520, height: 800 } });
    try {
      await page.setContent('<!doctype html><html><body style="font-family: sans-serif; margin: 8px"><div id="card"></div></body></html>');
      await page.addScriptTag({ path: renderer });
      const result = await page.evaluate((json) => {
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
        return { events, version: card.version?.toString(), height: element.offsetHeight, actions: card.getActionCount() };
      }, cards[name]);

      assert.deepEqual(result.events, []);
      assert.equal(result.version, '1.5');
      assert.ok(result.height > 0, 'the card rendered nothing');
      await page.locator('#card').screenshot({ path: path.join(shots, `${name}.png`) });
    } finally {
      await page.close();
    }
  });
}
