// Benchmark (not a test): tab load to first meaningful paint in Chromium on the DevHost with demo data.
// "Meaningful" = the overview's tier counts are on screen (the first thing a person reads); also reports Chromium's
// largest contentful paint. Each run is a fresh browser context (cold cache); prints every run and the median.
// Usage: npm run build && node scripts/load-bench.mjs [runs]   (starts and stops its own DevHost environment)
import { chromium } from 'playwright-core';
import { mainUser, startEnvironment } from '../browser-tests/environment.mjs';

const runs = Number(process.argv[2] ?? 7);
const args = ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const env = await startEnvironment();
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args });
try {
  const tokenResponse = await fetch(`${env.host}/dev-login/token`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ user: mainUser }),
  });
  if (!tokenResponse.ok) throw new Error(`no token: ${tokenResponse.status}`);
  const { access_token: token, expires_in: expiresIn } = await tokenResponse.json();
  const meaningful = [];
  const lcp = [];
  for (let run = 0; run < runs; run++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addInitScript(([t, e]) => {
      sessionStorage.setItem('tiesoffice.token', JSON.stringify({ token: t, expiresAt: Date.now() + e * 1000 }));
      window.__lcp = 0;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) window.__lcp = entry.startTime;
      }).observe({ type: 'largest-contentful-paint', buffered: true });
    }, [token, expiresIn]);
    const page = await context.newPage();
    await page.goto(env.tabUrl);
    await page.getByTestId('tier-count-strong').waitFor({ timeout: 60_000 });
    // The first frame painted after the counts appeared.
    const paint = await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve(performance.now()))));
    await page.getByTestId('network-chart').locator('svg').first().waitFor({ timeout: 60_000 });
    const largest = await page.evaluate(() => window.__lcp);
    meaningful.push(paint);
    lcp.push(largest);
    console.log(`run ${run + 1}: tier counts painted at ${paint.toFixed(0)} ms, LCP ${largest.toFixed(0)} ms`);
    await context.close();
  }
  console.log(`median over ${runs} cold loads: first meaningful paint ${median(meaningful).toFixed(0)} ms, LCP ${median(lcp).toFixed(0)} ms`);
  console.log('(a shared, busy 2-core machine; DevHost, Azurite and the Graph simulator on the same host)');
} finally {
  await browser.close();
  await env.stop();
}
