import { screen } from '@testing-library/react';
import axe from 'axe-core';
import { describe, expect, it } from 'vitest';
import { ApiError } from './api/client';
import { FakeApi } from './test/fakeApi';
import { renderApp } from './test/render';

// axe-core in jsdom: structure, names, roles and ARIA (colour contrast needs a real browser; the browser tests check it).
async function seriousViolations(): Promise<string[]> {
  const results = await axe.run(document.body, { rules: { 'color-contrast': { enabled: false } } });
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
}

const views: [string, string, string][] = [
  ['overview', '#/', 'view-overview'],
  ['ties', '#/ties', 'view-ties'],
  ['tie detail', '#/ties/t3', 'timeline-chart'],
  ['roles', '#/roles', 'view-roles'],
  ['reach', '#/reach', 'view-reach'],
  ['settings', '#/settings', 'view-settings'],
];

describe('Accessibility (axe-core)', () => {
  for (const [name, route, ready] of views) {
    it(`View_${name.replace(' ', '')}_HasNoSeriousViolations`, async () => {
      renderApp(new FakeApi(30), { route });
      await screen.findByTestId(ready);
      expect(await seriousViolations()).toEqual([]);
    });
  }

  it('StateScreens_NotInstalledAndEmpty_HaveNoSeriousViolations', async () => {
    const api = new FakeApi(30);
    api.failWith = new ApiError('notInstalled', 403, 'no');
    const first = renderApp(api);
    await screen.findByTestId('state-not-installed');
    expect(await seriousViolations()).toEqual([]);
    first.unmount();
    renderApp(new FakeApi(0));
    await screen.findByTestId('state-empty');
    expect(await seriousViolations()).toEqual([]);
  });
});
