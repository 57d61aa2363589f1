import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ApiError } from './api/client';
import { SignInRequired } from './auth/signIn';
import { FakeApi } from './test/fakeApi';
import { fakeAuth, renderApp } from './test/render';

describe('App states', () => {
  it('Overview_ReadyUser_ShowsTierCountsAndSuggestions', async () => {
    const api = new FakeApi(30);
    renderApp(api);
    const weak = await screen.findByTestId('tier-count-weak');
    expect(within(weak).getByText('12')).toBeTruthy();
    expect(screen.getByTestId('tier-count-strong').textContent).toContain('6');
    const suggestions = screen.getByTestId('suggestions');
    expect(within(suggestions).getAllByRole('listitem')).toHaveLength(2);
    expect(screen.getByTestId('user-name').textContent).toBe('Demo User');
  });

  it('Overview_SnoozeSuggestion_CallsOverridesAndRemovesIt', async () => {
    const api = new FakeApi(30);
    renderApp(api);
    const buttons = await screen.findAllByRole('button', { name: /Snooze .* for a week/ });
    await userEvent.click(buttons[0]!);
    await waitFor(() => expect(api.calls.some((c) => c.startsWith('setOverrides:t1:') && c.includes('snoozedUntil'))).toBe(true));
    expect(await screen.findByText(/Snoozed: Person 0001/)).toBeTruthy();
  });

  it('App_NoToken_ShowsSignInScreen', async () => {
    let signedIn = false;
    const api = new FakeApi();
    api.failWith = new SignInRequired();
    renderApp(api, { auth: fakeAuth({ interactive: () => { signedIn = true; return Promise.resolve(); } }) });
    const button = await screen.findByRole('button', { name: 'Sign in' });
    await userEvent.click(button);
    expect(signedIn).toBe(true);
  });

  it('App_403_ShowsNotInstalled', async () => {
    const api = new FakeApi();
    api.failWith = new ApiError('notInstalled', 403, 'Forbidden');
    renderApp(api);
    expect(await screen.findByTestId('state-not-installed')).toBeTruthy();
  });

  it('App_ConsentProblem_ShowsConsentScreen', async () => {
    const api = new FakeApi();
    api.failWith = new ApiError('consent', 403, 'Consent');
    renderApp(api);
    expect(await screen.findByTestId('state-consent')).toBeTruthy();
  });

  it('App_ServerError_ShowsErrorThenRecoversOnRetry', async () => {
    const api = new FakeApi();
    api.failWith = new ApiError('server', 500, 'Storage is down');
    renderApp(api);
    expect(await screen.findByTestId('state-server-error')).toBeTruthy();
    expect(screen.getByText(/Storage is down/)).toBeTruthy();
    api.failWith = undefined;
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByTestId('view-overview')).toBeTruthy();
  });

  it('App_Unreachable_ShowsOffline', async () => {
    const api = new FakeApi();
    api.failWith = new ApiError('offline', 0, 'unreachable');
    renderApp(api);
    expect(await screen.findByTestId('state-offline')).toBeTruthy();
  });

  it('App_BrowserGoesOffline_ShowsOfflineScreen', async () => {
    renderApp(new FakeApi());
    await screen.findByTestId('view-overview');
    act(() => {
      window.dispatchEvent(new Event('offline'));
    });
    expect(await screen.findByTestId('state-offline')).toBeTruthy();
  });

  it('App_NewUserBeforeSync_ShowsEmptyStateWithProgress', async () => {
    const api = new FakeApi(0);
    api.syncState = 'syncing';
    renderApp(api);
    const empty = await screen.findByTestId('state-empty');
    expect(within(empty).getByRole('progressbar')).toBeTruthy();
    expect(empty.textContent).toContain('Reading your mail');
  });

  it('App_DarkTheme_AppliesTeamsDarkTheme', async () => {
    const { container } = renderApp(new FakeApi(), { host: { theme: 'dark' } });
    await screen.findByTestId('view-overview');
    expect(container.querySelector('[data-theme="dark"]')).not.toBeNull();
  });
});
