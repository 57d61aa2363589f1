import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { FakeApi } from '../test/fakeApi';
import { renderApp } from '../test/render';
import { normaliseExclusion } from './SettingsView';

describe('Ties view', () => {
  it('TiesView_FilterWeak_AsksApiForWeakAndShowsOnlyWeak', async () => {
    const api = new FakeApi(30);
    renderApp(api, { route: '#/ties' });
    await screen.findByText('30 ties');
    await userEvent.selectOptions(screen.getByLabelText('Tier'), 'weak');
    await screen.findByText('12 ties');
    expect(api.calls.some((c) => c.includes('tier=weak'))).toBe(true);
    const badges = screen.getAllByTestId('tier-badge').map((b) => b.textContent);
    expect(badges.length).toBeGreaterThan(0);
    expect(new Set(badges)).toEqual(new Set(['Weak']));
  });

  it('TiesView_Search_FiltersByText', async () => {
    const api = new FakeApi(30);
    renderApp(api, { route: '#/ties' });
    await screen.findByText('30 ties');
    await userEvent.type(screen.getByRole('searchbox'), 'person0004');
    await screen.findByText('1 tie');
    expect(screen.getByRole('link', { name: 'Person 0004' })).toBeTruthy();
  });

  it('TiesView_5000Ties_RendersOnlyAWindowOfRows', async () => {
    const api = new FakeApi(5000);
    renderApp(api, { route: '#/ties' });
    await screen.findByText('5,000 ties');
    const rows = screen.getAllByTestId('tie-row');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(60);
    expect(rows[0]!.getAttribute('aria-setsize')).toBe('5000');
  });

  it('TiesView_TierFromOverviewLink_StartsFiltered', async () => {
    const api = new FakeApi(30);
    renderApp(api, { route: '#/ties?tier=dormant' });
    await screen.findByText('6 ties');
    expect((screen.getByLabelText('Tier') as HTMLSelectElement).value).toBe('dormant');
  });
});

describe('Tie detail', () => {
  it('TieDetail_Shows_TimelineAttentionAndWhy', async () => {
    renderApp(new FakeApi(30), { route: '#/ties/t3' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Person 0003' })).toBeTruthy();
    const timeline = await screen.findByTestId('timeline-chart');
    expect(within(timeline).getAllByRole('row')).toHaveLength(54);
    // Counts per week, not presence: in the fake's first week of tie 3 you wrote 1 message and they wrote none.
    const first = within(timeline).getAllByRole('row')[1]!;
    expect(within(first).getAllByRole('cell').map((c) => c.textContent)).toEqual(['1 Dec 2025', '0', '1']);
    expect(timeline.textContent).toMatch(/Direct messages each way per week, over the last 53 weeks: Person 0003 wrote \d+ messages in \d+ weeks/);
    expect(screen.getByTestId('attention').textContent).toContain('They reply in 3 h, you in 2 days.');
    expect(screen.getByTestId('why-figures').textContent).toContain('6 weeks with messages both ways in the last 52 weeks');
  });

  it('TieDetail_SnoozeAWeek_SavesAndShowsSnoozed', async () => {
    const api = new FakeApi(30);
    renderApp(api, { route: '#/ties/t3' });
    await userEvent.click(await screen.findByRole('button', { name: 'Snooze a week' }));
    expect(await screen.findByText('Snoozed for a week.')).toBeTruthy();
    expect(api.calls.some((c) => c.startsWith('setOverrides:t3:{"snoozedUntil":'))).toBe(true);
    expect(screen.getByTestId('snoozed-badge').textContent).toMatch(/Snoozed until/);
  });

  it('TieDetail_NoteAndTier_SavedAsOverrides', async () => {
    const api = new FakeApi(30);
    renderApp(api, { route: '#/ties/t3' });
    await userEvent.selectOptions(await screen.findByLabelText('Tier'), 'strong');
    await userEvent.type(screen.getByLabelText(/Private note/), 'Met at the offsite');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Saved.');
    const call = api.calls.find((c) => c.startsWith('setOverrides:t3:'))!;
    expect(JSON.parse(call.slice('setOverrides:t3:'.length))).toMatchObject({ tier: 'strong', note: 'Met at the offsite' });
  });

  it('TieDetail_BadCadence_BlocksSave', async () => {
    const api = new FakeApi(30);
    renderApp(api, { route: '#/ties/t3' });
    await userEvent.type(await screen.findByLabelText(/Keep in touch every/), 'soon');
    expect(screen.getByText('A whole number of days from 1 to 3650.')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Save' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('TieDetail_UnknownId_ShowsNotFound', async () => {
    renderApp(new FakeApi(3), { route: '#/ties/nope' });
    expect(await screen.findByTestId('state-not-found')).toBeTruthy();
  });
});

describe('Settings and privacy', () => {
  it('Settings_AddDomainAndSave_ExcludedTiesGone', async () => {
    const api = new FakeApi(30);
    renderApp(api, { route: '#/settings' });
    await userEvent.type(await screen.findByLabelText('Address or domain to exclude'), 'Partner.Example{Enter}');
    expect(within(screen.getByTestId('exclusions')).getByText('partner.example')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    await screen.findByText('Settings saved.');
    expect(api.settings_.exclusions).toEqual(['partner.example']);
    window.location.hash = '#/ties';
    await screen.findByText('22 ties');
  });

  it('Settings_BadExclusion_ExplainsAndAddsNothing', async () => {
    renderApp(new FakeApi(3), { route: '#/settings' });
    await userEvent.type(await screen.findByLabelText('Address or domain to exclude'), 'not a domain{Enter}');
    expect(screen.getByText(/Enter an address/)).toBeTruthy();
    expect(screen.getByText('Nothing excluded.')).toBeTruthy();
  });

  it('Settings_Delete_NeedsTypedConfirmationThenShowsEmptyState', async () => {
    const api = new FakeApi(30);
    renderApp(api, { route: '#/settings' });
    const button = (await screen.findByRole('button', { name: 'Delete all my data' })) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    await userEvent.type(screen.getByLabelText(/Type "delete my data"/), 'delete my dat');
    expect(button.disabled).toBe(true);
    await userEvent.type(screen.getByLabelText(/Type "delete my data"/), 'a');
    expect(button.disabled).toBe(false);
    await userEvent.click(button);
    expect(await screen.findByTestId('state-empty')).toBeTruthy();
    expect(api.calls).toContain('delete:delete my data');
  });

  it('Settings_Export_DownloadsFile', async () => {
    const api = new FakeApi(3);
    const created: string[] = [];
    URL.createObjectURL = () => {
      created.push('blob:1');
      return 'blob:1';
    };
    URL.revokeObjectURL = () => {};
    renderApp(api, { route: '#/settings' });
    await userEvent.click(await screen.findByRole('button', { name: 'Export everything (JSON)' }));
    await screen.findByText('Exported as tiesoffice-export.json.');
    expect(created).toEqual(['blob:1']);
  });

  it('NormaliseExclusion_AcceptsAddressesAndDomains_RejectsOthers', () => {
    expect(normaliseExclusion(' Someone@Example.COM ')).toBe('someone@example.com');
    expect(normaliseExclusion('@example.org')).toBe('example.org');
    expect(normaliseExclusion('sub.example.co.uk')).toBe('sub.example.co.uk');
    expect(normaliseExclusion('example')).toBeUndefined();
    expect(normaliseExclusion('a@b@example.com')).toBeUndefined();
    expect(normaliseExclusion('exa mple.com')).toBeUndefined();
  });
});

describe('Role change and reach', () => {
  it('RoleChange_ListsSurvivingAndGoingTies', async () => {
    renderApp(new FakeApi(30), { route: '#/roles' });
    expect(await screen.findByRole('heading', { name: 'Would come with you (10)' })).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Would stay with the role (10)' })).toBeTruthy();
  });

  it('Reach_ShowsGroupsAndOnlyBridge', async () => {
    renderApp(new FakeApi(30), { route: '#/reach' });
    const table = await screen.findByRole('table', { name: 'Groups your weak ties reach' });
    expect(within(table).getByText('partner.example')).toBeTruthy();
    expect(within(table).getByRole('link', { name: 'Person 0001' })).toBeTruthy();
    // A department from the directory is a group of its own; the rest of the organisation is named as such.
    expect(within(within(table).getByText('ENA Gas Trading').closest('tr')!).getByText('Department of your organisation')).toBeTruthy();
    expect(within(table).getByText('Your organisation, no department known')).toBeTruthy();
  });
});

describe('Navigation', () => {
  it('Tabs_KeyboardOnly_ReachEveryView', async () => {
    renderApp(new FakeApi(30));
    await screen.findByTestId('view-overview');
    const tabs = screen.getAllByRole('tab');
    tabs[1]!.focus();
    await userEvent.keyboard('{Enter}');
    await waitFor(() => expect(window.location.hash).toBe('#/ties'));
    await screen.findByTestId('view-ties');
  });
});
