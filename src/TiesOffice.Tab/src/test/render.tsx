import { render } from '@testing-library/react';
import { App } from '../App';
import type { ApiClient } from '../api/client';
import type { HostInfo } from '../auth/host';
import type { Authenticator } from '../auth/signIn';

export const browserHost: HostInfo = { inM365: false, name: 'Browser', theme: 'default', locale: 'en-GB' };

export function fakeAuth(overrides: Partial<Authenticator> = {}): Authenticator {
  return { kind: 'local', token: () => Promise.resolve('token'), interactive: () => Promise.resolve(), forget: () => {}, ...overrides };
}

export function renderApp(api: ApiClient, options: { route?: string; host?: Partial<HostInfo>; auth?: Authenticator } = {}) {
  window.location.hash = options.route ?? '#/';
  return render(<App api={api} host={{ ...browserHost, ...options.host }} auth={options.auth ?? fakeAuth()} />);
}
