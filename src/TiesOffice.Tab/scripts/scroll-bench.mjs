// Benchmark (not a test): how smoothly the virtualised tie list scrolls through 5,000 ties in Chromium.
// Serves the production build from a local static server and answers the tab's API calls in the browser
// (Playwright routing) with 5,000 synthetic ties in pages of 200, so the figure is the list's own rendering cost,
// not the DevHost's. The page scrolls the list from top to bottom by a fixed step per animation frame while a
// requestAnimationFrame loop records every frame-to-frame interval (a frame that takes longer than the 16.7 ms
// vsync interval is one the user sees stutter). Prints frame intervals (median, p95, p99, max), the share of frames
// longer than 25 ms and 50 ms, the most rows in the DOM at once, and the pages fetched.
// Usage: npm run build && node scripts/scroll-bench.mjs [pixelsPerFrame] [runs]   (port 42010; tab14's range)
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const step = Number(process.argv[2] ?? 120);
const runs = Number(process.argv[3] ?? 3);
const total = 5000;
const port = Number(process.env.SCROLL_BENCH_PORT ?? 42010);
const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const args = ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2' };

const tiers = ['strong', 'weak', 'weak', 'dormant', 'pseudo'];
const trends = ['cooling', 'rising', 'steady'];
const classes = ['personal', 'mixed', 'positionBased'];
function tie(i) {
  const n = String(i).padStart(4, '0');
  return {
    id: `t${i}`, contact: `person${n}@enron.com`, displayName: `Person ${n}`, tier: tiers[i % 5], inferredTier: tiers[i % 5],
    score: 1 - i / 10000, lastContact: new Date(Date.UTC(2026, 10, 1 + (i % 28))).toISOString(), trend: trends[i % 3], scope: 'internal',
    portability: { class: classes[i % 3], personalShare: (i % 10) / 10 }, reciprocity: { balance: 0.5, owed: 'nobody' },
    why: `weak: in touch in only 2 of the last 26 weeks (strong ties: 4 or more); both ways in ${i % 40} of the last 52 weeks, last contact ${i % 90} days ago`,
    isOverridden: false, muted: false, snoozedUntil: null,
  };
}
const all = Array.from({ length: total }, (_, i) => tie(i));
const summary = {
  user: { displayName: 'Bench User', mailAddress: 'bench@enron.com' }, sync: { state: 'ready', lastSyncedAt: new Date().toISOString() },
  tiers: { strong: 1000, weak: 2000, dormant: 1000, pseudo: 1000 },
  history: Array.from({ length: 12 }, (_, m) => ({ month: `2026-${String(m + 1).padStart(2, '0')}`, strong: 900 + m, weak: 1900 + m, dormant: 1000, pseudo: 1000 })),
  suggestions: [],
};

const server = createServer(async (request, response) => {
  const path = decodeURIComponent(new URL(request.url, 'http://x').pathname);
  if (!path.startsWith('/tab/')) {
    response.writeHead(404).end();
    return;
  }

  const relative = normalize(path.slice('/tab/'.length) || 'index.html');
  try {
    const body = await readFile(join(dist, relative.startsWith('..') ? 'index.html' : relative));
    response.writeHead(200, { 'Content-Type': types[extname(relative)] ?? 'application/octet-stream' }).end(body);
  } catch {
    response.writeHead(404).end();
  }
});
await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args });
try {
  for (let run = 1; run <= runs; run++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
    await context.addInitScript(() => sessionStorage.setItem('tiesoffice.token', JSON.stringify({ token: 'bench', expiresAt: Date.now() + 3_600_000 })));
    let pages = 0;
    await context.route(/\/api\/me\//, async (route) => {
      const url = new URL(route.request().url());
      if (url.pathname === '/api/me/summary') return route.fulfill({ json: summary });
      if (url.pathname === '/api/me/ties') {
        pages++;
        const limit = Number(url.searchParams.get('limit') ?? 50);
        const start = Number(url.searchParams.get('continuation') ?? 0);
        const items = all.slice(start, start + limit);
        return route.fulfill({ json: { items, continuation: start + limit < total ? String(start + limit) : null, total } });
      }
      return route.fulfill({ status: 404, json: { title: 'Not in the benchmark' } });
    });
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${port}/tab/#/ties`);
    await page.getByTestId('ties-count').filter({ hasText: '5,000 ties' }).waitFor({ timeout: 60_000 });
    await page.getByRole('list', { name: 'Ties' }).getByRole('listitem').first().waitFor({ timeout: 60_000 });

    const result = await page.evaluate(async (pixels) => {
      const list = document.querySelector('[role="list"][aria-label="Ties"]');
      const scroller = list.parentElement;
      const intervals = [];
      let maxRows = 0;
      let last = performance.now();
      const started = last;
      await new Promise((resolve) => {
        const frame = (now) => {
          intervals.push(now - last);
          last = now;
          maxRows = Math.max(maxRows, list.querySelectorAll('[role="listitem"]').length);
          const bottom = scroller.scrollHeight - scroller.clientHeight;
          const done = scroller.scrollTop >= bottom - 1 && (list.querySelector('[role="listitem"]:last-child')?.textContent ?? '').includes('Person 4999');
          if (done || intervals.length > 50_000) {
            resolve();
            return;
          }

          scroller.scrollTop = Math.min(bottom, scroller.scrollTop + pixels);
          requestAnimationFrame(frame);
        };
        requestAnimationFrame(frame);
      });
      const lastRow = list.querySelector('[role="listitem"]:last-child')?.textContent ?? '';
      return { intervals: intervals.slice(1), maxRows, seconds: (performance.now() - started) / 1000, lastRow: lastRow.slice(0, 40) };
    }, step);
    const sorted = [...result.intervals].sort((a, b) => a - b);
    const vsync = sorted[Math.floor(sorted.length / 2)];
    const over = (factor) => result.intervals.filter((d) => d > factor * 16.7).length / result.intervals.length;
    console.log(
      `run ${run}: ${result.intervals.length} frames over ${result.seconds.toFixed(1)} s scrolling ${total.toLocaleString('en')} ties at ${step} px/frame; ` +
        `frame interval median ${vsync.toFixed(1)} ms, p95 ${percentile(sorted, 95).toFixed(1)}, p99 ${percentile(sorted, 99).toFixed(1)}, max ${sorted[sorted.length - 1].toFixed(1)} ms; ` +
        `frames > 25 ms ${(100 * over(1.5)).toFixed(1)}%, > 50 ms ${(100 * over(3)).toFixed(1)}%; ` +
        `rows in the DOM at most ${result.maxRows}; ${pages} pages fetched; last row "${result.lastRow}"`,
    );
    await context.close();
  }

  console.log('(headless Chromium, software rendering (--disable-gpu); the machine is shared: note its load average)');
} finally {
  await browser.close();
  server.close();
}
