import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import type { OverridesUpdate, TieDetail } from '../api/types';
import { defaultConfig } from '../auth/config';
import { fakeAuth } from '../test/render';
import { makeTie } from '../test/fakeApi';
import type { PaneApi, SenderLookup } from './api';
import { PaneHttpClient } from './api';
import { choosePaneAuthenticator } from './auth';
import { nextStep, owedText, reciprocityText } from './nextStep';
import type { OfficeInfo } from './office';
import { senderOf, themeOf } from './office';
import { PaneApp } from './PaneApp';

const now = new Date(Date.UTC(2026, 11, 6, 12));

function tie(changes: Partial<TieDetail> = {}, attention: Partial<TieDetail['attention']> = {}): TieDetail {
  const base = makeTie(1);
  return { ...base, snoozedUntil: null, muted: false, ...changes, attention: { ...base.attention, owed: 'nobody', unansweredInARow: 0, ...attention } };
}

class FakePaneApi implements PaneApi {
  calls: string[] = [];
  answer: SenderLookup | Error;
  constructor(answer: SenderLookup | Error) {
    this.answer = answer;
  }
  sender(address: string): Promise<SenderLookup> {
    this.calls.push(`sender:${address}`);
    return this.answer instanceof Error ? Promise.reject(this.answer) : Promise.resolve(this.answer);
  }
  setOverrides(id: string, update: OverridesUpdate): Promise<TieDetail> {
    this.calls.push(`setOverrides:${id}:${JSON.stringify(update)}`);
    const current = (this.answer as { tie: TieDetail }).tie;
    return Promise.resolve({ ...current, snoozedUntil: update.snoozedUntil ?? null });
  }
}

const reading: OfficeInfo = {
  inOutlook: false,
  sender: { address: 'person0001@enron.com', displayName: 'Person 0001' },
  theme: 'default',
  locale: 'en-GB',
  nestedAppAuth: false,
};

function renderPane(api: PaneApi, office: Partial<OfficeInfo> = {}, auth = fakeAuth()) {
  return render(<PaneApp api={api} auth={auth} office={{ ...reading, ...office }} />);
}

describe('next step', () => {
  it('NextStep_ReplyOwed_SaysTheyAreWaiting', () => {
    expect(nextStep(tie({ tier: 'strong' }, { owed: 'owner' }), 'en-GB', now).kind).toBe('reply');
  });

  it('NextStep_TwoUnansweredInARow_SuggestsAnotherRoute', () => {
    expect(nextStep(tie({}, { owed: 'contact', unansweredInARow: 2 }), 'en-GB', now).kind).toBe('anotherRoute');
  });

  it('NextStep_SnoozedInTheFuture_SaysUntilWhen_ButAPastSnoozeIsIgnored', () => {
    const snoozed = nextStep(tie({ tier: 'dormant', snoozedUntil: '2026-12-20' }), 'en-GB', now);
    expect(snoozed.kind).toBe('snoozed');
    expect(snoozed.text).toContain('20 Dec 2026');
    expect(nextStep(tie({ tier: 'dormant', snoozedUntil: '2026-12-01' }), 'en-GB', now).kind).toBe('reactivate');
  });

  it('NextStep_ByTier_WhenNothingIsOwed', () => {
    expect(nextStep(tie({ tier: 'strong' }), 'en-GB', now).kind).toBe('keep');
    expect(nextStep(tie({ tier: 'weak', trend: 'cooling' }), 'en-GB', now).kind).toBe('oneOnOne');
    expect(nextStep(tie({ tier: 'weak', trend: 'steady' }), 'en-GB', now).kind).toBe('write');
    expect(nextStep(tie({ tier: 'pseudo' }), 'en-GB', now).kind).toBe('pseudo');
    expect(nextStep(tie({ tier: 'strong', muted: true }), 'en-GB', now).kind).toBe('muted');
  });

  it('OwedAndReciprocity_InWords', () => {
    expect(owedText(tie({}, { owed: 'contact', unansweredInARow: 3 }))).toBe('They owe you a reply (3 unanswered in a row)');
    expect(reciprocityText(tie({ reciprocity: { balance: 0.2, owed: 'nobody' } }, { sent: 14, received: 2 }), 'en-GB')).toBe('One-sided: 2 from them, 14 from you');
    expect(reciprocityText(tie({ reciprocity: { balance: 0.9, owed: 'nobody' } }), 'en-GB')).toMatch(/^Balanced/);
  });
});

describe('Office', () => {
  it('SenderOf_PrefersFrom_FallsBackToSender_AndNeedsAnAddress', () => {
    expect(senderOf({ from: { emailAddress: 'a@x.com', displayName: 'A', recipientType: 'user' } as Office.EmailAddressDetails, sender: { emailAddress: 'b@x.com', displayName: 'B' } as Office.EmailAddressDetails })).toEqual({ address: 'a@x.com', displayName: 'A' });
    expect(senderOf({ sender: { emailAddress: 'b@x.com', displayName: '' } as Office.EmailAddressDetails })).toEqual({ address: 'b@x.com', displayName: 'b@x.com' });
    expect(senderOf({ from: { emailAddress: 'not an address', displayName: 'X' } as Office.EmailAddressDetails })).toBeUndefined();
    expect(senderOf(null)).toBeUndefined();
  });

  it('ThemeOf_UsesIsDarkTheme_ElseTheBodyBackground', () => {
    expect(themeOf({ isDarkTheme: true }, 'default')).toBe('dark');
    expect(themeOf({ isDarkTheme: false, bodyBackgroundColor: '#000000' }, 'dark')).toBe('default');
    expect(themeOf({ bodyBackgroundColor: '#1f1f1f' }, 'default')).toBe('dark');
    expect(themeOf({ bodyBackgroundColor: '#ffffff' }, 'dark')).toBe('default');
    expect(themeOf(undefined, 'dark')).toBe('dark');
  });

  it('ChoosePaneAuthenticator_NestedAppAuthInOutlook_LocalInABrowser_NoneOtherwise', () => {
    const config = { ...defaultConfig, clientId: '11111111-1111-1111-1111-111111111111', scope: 'api://x/y/access_as_user' };
    expect(choosePaneAuthenticator({ inOutlook: true, nestedAppAuth: true }, config)?.kind).toBe('naa');
    expect(choosePaneAuthenticator({ inOutlook: true, nestedAppAuth: false }, config)).toBeUndefined();
    expect(choosePaneAuthenticator({ inOutlook: true, nestedAppAuth: true }, defaultConfig)).toBeUndefined();
    expect(choosePaneAuthenticator({ inOutlook: false, nestedAppAuth: false }, config)?.kind).toBe('local');
  });
});

describe('the sender route client', () => {
  function client(status: number, body: unknown, seen: { url?: string; init?: RequestInit }) {
    return new PaneHttpClient('', () => Promise.resolve('tok'), (input, init) => {
      seen.url = String(input);
      if (init) seen.init = init;
      return Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }));
    });
  }

  it('Sender_PostsTheAddressInTheBody_NotTheUrl', async () => {
    const seen: { url?: string; init?: RequestInit } = {};
    const result = await client(200, makeTie(3), seen).sender('kim@northwind.example');
    expect(result.kind).toBe('tie');
    expect(seen.url).toBe('/api/me/sender');
    expect(seen.url).not.toContain('kim');
    expect(seen.init?.method).toBe('POST');
    expect(JSON.parse(String(seen.init?.body))).toEqual({ address: 'kim@northwind.example' });
  });

  it('Sender_404_TellsFirstContactNotTrackedAndSelfApart', async () => {
    const problem = (type: string) => ({ type: `https://tiesoffice.example/problems/${type}`, status: 404 });
    await expect(client(404, problem('not-found'), {}).sender('a@b.c')).resolves.toEqual({ kind: 'firstContact' });
    await expect(client(404, problem('not-tracked'), {}).sender('a@b.c')).resolves.toEqual({ kind: 'notTracked' });
    await expect(client(404, problem('self'), {}).sender('a@b.c')).resolves.toEqual({ kind: 'self' });
    await expect(client(403, { type: 'https://tiesoffice.example/problems/not-installed' }, {}).sender('a@b.c')).rejects.toMatchObject({ kind: 'notInstalled' });
  });
});

describe('the pane', () => {
  it('KnownSender_ShowsTierLastContactOwedReciprocityPortabilityAndANextStep', async () => {
    const api = new FakePaneApi({ kind: 'tie', tie: tie({ tier: 'weak', trend: 'cooling' }, { owed: 'owner' }) });
    renderPane(api);
    await screen.findByTestId('pane-known');
    expect(api.calls).toEqual(['sender:person0001@enron.com']);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Person 0001');
    expect(screen.getByTestId('tier-badge').textContent).toBe('Weak');
    const facts = screen.getByTestId('pane-facts').textContent ?? '';
    for (const term of ['Last contact', 'Who owes a reply', 'You owe them a reply', 'Reciprocity', 'Portability']) expect(facts).toContain(term);
    expect(screen.getByTestId('pane-next-step-text').textContent).toBe('They are waiting for your reply.');
    const open = screen.getByRole('link', { name: 'Open in TiesOffice' });
    expect(open.getAttribute('href')).toMatch(/\/tab\/#\/ties\/t1$/);
  });

  it('Snooze_And_Done_SaveASnoozeOfAWeekAndOfTwoWeeks', async () => {
    const api = new FakePaneApi({ kind: 'tie', tie: tie() });
    renderPane(api);
    await screen.findByTestId('pane-known');
    await userEvent.click(screen.getByRole('button', { name: 'Snooze a week' }));
    await waitFor(() => expect(screen.getByTestId('pane-status').textContent).toMatch(/^Snoozed until /));
    await userEvent.click(screen.getByRole('button', { name: 'Done' }));
    await waitFor(() => expect(screen.getByTestId('pane-status').textContent).toContain('two weeks'));
    const days = api.calls.filter((c) => c.startsWith('setOverrides:t1:')).map((c) => {
      const until = (JSON.parse(c.slice('setOverrides:t1:'.length)) as { snoozedUntil: string }).snoozedUntil;
      return Math.round((Date.parse(`${until}T12:00:00`) - Date.now()) / 86_400_000);
    });
    expect(days).toEqual([7, 14]);
  });

  it('KnownSender_WithoutAStoredName_UsesTheNameOutlookShows', async () => {
    renderPane(new FakePaneApi({ kind: 'tie', tie: tie({ displayName: null }) }), { sender: { address: 'person0001@enron.com', displayName: 'Pat Example' } });
    await screen.findByTestId('pane-known');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Pat Example');
  });

  it('UnknownSender_GetsTheFirstContactView', async () => {
    renderPane(new FakePaneApi({ kind: 'firstContact' }));
    await screen.findByTestId('pane-first-contact');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Person 0001');
    expect(screen.queryByTestId('pane-facts')).toBeNull();
  });

  it('ExcludedSender_IsNotTracked_AndShowsNoTieFacts', async () => {
    renderPane(new FakePaneApi({ kind: 'notTracked' }));
    await screen.findByTestId('pane-not-tracked');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Not tracked');
    expect(screen.queryByTestId('pane-facts')).toBeNull();
    expect(screen.queryByTestId('tier-badge')).toBeNull();
  });

  it('OwnMessage_SaysSo', async () => {
    renderPane(new FakePaneApi({ kind: 'self' }));
    await screen.findByTestId('pane-self');
  });

  it('NoMessageOpen_AsksForOne_AndCallsNothing', () => {
    const api = new FakePaneApi({ kind: 'firstContact' });
    renderPane(api, { sender: undefined });
    expect(screen.getByTestId('pane-no-message')).toBeTruthy();
    expect(api.calls).toEqual([]);
  });

  it('OutlookWithoutNestedAppAuth_SaysItCannotSignIn_AndCallsNothing', () => {
    const api = new FakePaneApi({ kind: 'firstContact' });
    render(<PaneApp api={api} auth={undefined} office={{ ...reading, inOutlook: true }} />);
    expect(screen.getByTestId('pane-unsupported')).toBeTruthy();
    expect(api.calls).toEqual([]);
  });

  it('States_SignInOfflineNotInstalledAndServerError_EachHaveTheirScreen', async () => {
    const cases: [unknown, string][] = [
      [new ApiError('unauthorized', 401, 'no'), 'state-sign-in'],
      [new ApiError('offline', 0, 'unreachable'), 'state-offline'],
      [new ApiError('notInstalled', 403, 'not installed'), 'state-not-installed'],
      [new ApiError('consent', 403, 'scope'), 'state-consent'],
      [new ApiError('server', 500, 'boom'), 'state-server-error'],
    ];
    for (const [error, testId] of cases) {
      const { unmount } = renderPane(new FakePaneApi(error as Error));
      await screen.findByTestId(testId);
      unmount();
    }
  });

  it('ServerError_TryAgain_LooksUpAgain', async () => {
    const api = new FakePaneApi(new ApiError('server', 500, 'boom'));
    renderPane(api);
    await screen.findByTestId('state-server-error');
    api.answer = { kind: 'firstContact' };
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await screen.findByTestId('pane-first-contact');
    expect(api.calls).toHaveLength(2);
  });

  it('Theme_FollowsOffice', async () => {
    const { container } = renderPane(new FakePaneApi({ kind: 'firstContact' }), { theme: 'dark' });
    await screen.findByTestId('pane-first-contact');
    expect(container.querySelector('[data-theme="dark"]')).not.toBeNull();
  });
});
