// Getting an access token for the TiesOffice API.
//
// - In a Microsoft 365 host that recommends it: nested app authentication (MSAL's nestable client), silent first.
// - In other hosts: teams-js authentication.getAuthToken() (Teams single sign-on).
// - In a plain browser (the DevHost in Development): the DevHost's local sign-in page, which redirects back here
//   with "#access_token=...&expires_in=..."; the token is kept in this tab's sessionStorage until it expires.
import { authentication, nestedAppAuth } from '@microsoft/teams-js';
import type { IPublicClientApplication } from '@azure/msal-browser';
import type { TabConfig } from './config';
import type { HostInfo } from './host';

/** The user must sign in (local sign-in) before any call. */
export class SignInRequired extends Error {
  constructor() {
    super('Sign-in required');
    this.name = 'SignInRequired';
  }
}

/** The user (or an admin) must consent to the app's permissions first. */
export class ConsentRequired extends Error {
  constructor(message = 'Consent required') {
    super(message);
    this.name = 'ConsentRequired';
  }
}

export interface Authenticator {
  /** An access token for the API, or throws SignInRequired / ConsentRequired. */
  token(): Promise<string>;
  /** Starts interactive sign-in or consent; must be called from a click. */
  interactive(): Promise<void>;
  /** Forgets the token (after a 401 or a sign-out). */
  forget(): void;
  readonly kind: 'naa' | 'teamsSso' | 'local';
}

const storageKey = 'tiesoffice.token';
const routeKey = 'tiesoffice.route';

interface StoredToken {
  token: string;
  expiresAt: number;
}

/** Takes "#access_token=...&expires_in=..." off the address (if there) into sessionStorage; returns the route to restore. */
export function captureRedirectToken(now: number = Date.now()): string | undefined {
  const hash = window.location.hash;
  if (!hash.startsWith('#access_token=')) return undefined;
  const params = new URLSearchParams(hash.slice(1));
  const token = params.get('access_token');
  const expiresIn = Number(params.get('expires_in') ?? '3600');
  if (token) {
    const stored: StoredToken = { token, expiresAt: now + (Number.isFinite(expiresIn) ? expiresIn : 3600) * 1000 };
    sessionStorage.setItem(storageKey, JSON.stringify(stored));
  }
  const route = sessionStorage.getItem(routeKey) ?? '#/';
  sessionStorage.removeItem(routeKey);
  // Remove the token from the address bar and history.
  window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}${route}`);
  return route;
}

export function localAuthenticator(config: TabConfig, now: () => number = Date.now): Authenticator {
  return {
    kind: 'local',
    token() {
      const raw = sessionStorage.getItem(storageKey);
      if (raw) {
        try {
          const stored = JSON.parse(raw) as StoredToken;
          if (stored.expiresAt - 30_000 > now()) return Promise.resolve(stored.token);
        } catch {
          // unreadable: sign in again
        }
        sessionStorage.removeItem(storageKey);
      }
      return Promise.reject(new SignInRequired());
    },
    interactive() {
      sessionStorage.setItem(routeKey, window.location.hash.startsWith('#/') ? window.location.hash : '#/');
      // The page only returns to a path on its own origin.
      const url = new URL(config.devSignInUrl, window.location.origin);
      url.searchParams.set('redirect', `${window.location.pathname}${window.location.search}`);
      window.location.assign(url.toString());
      return Promise.resolve();
    },
    forget() {
      sessionStorage.removeItem(storageKey);
    },
  };
}

function isInteractionRequired(error: unknown): boolean {
  const e = error as { name?: string; errorCode?: string; message?: string };
  return (
    e?.name === 'InteractionRequiredAuthError' ||
    /consent|interaction_required|login_required/i.test(`${e?.errorCode ?? ''} ${e?.message ?? ''}`)
  );
}

export function naaAuthenticator(config: TabConfig): Authenticator {
  let pca: Promise<IPublicClientApplication> | undefined;
  const client = (): Promise<IPublicClientApplication> => {
    pca ??= import('@azure/msal-browser').then(({ createNestablePublicClientApplication }) =>
      createNestablePublicClientApplication({ auth: { clientId: config.clientId, authority: config.authority } }),
    );
    return pca;
  };
  const request = { scopes: [config.scope] };
  return {
    kind: 'naa',
    async token() {
      const msal = await client();
      try {
        const account = msal.getActiveAccount() ?? msal.getAllAccounts()[0];
        const result = await msal.acquireTokenSilent({ ...request, ...(account ? { account } : {}) });
        return result.accessToken;
      } catch (error) {
        if (isInteractionRequired(error)) throw new ConsentRequired();
        throw error;
      }
    },
    async interactive() {
      const msal = await client();
      const result = await msal.acquireTokenPopup(request);
      msal.setActiveAccount(result.account);
    },
    forget() {
      // MSAL owns its cache; a fresh silent call renews the token.
    },
  };
}

export function teamsSsoAuthenticator(): Authenticator {
  return {
    kind: 'teamsSso',
    async token() {
      try {
        return await authentication.getAuthToken();
      } catch (error) {
        if (isInteractionRequired(error) || /resourceRequiresConsent|CancelledByUser/i.test(String(error))) {
          throw new ConsentRequired();
        }
        throw error;
      }
    },
    async interactive() {
      // Teams shows its own consent prompt when getAuthToken is called without `silent`.
      await authentication.getAuthToken({ silent: false });
    },
    forget() {
      // Teams caches and renews the token itself.
    },
  };
}

export function chooseAuthenticator(host: HostInfo, config: TabConfig): Authenticator {
  if (!host.inM365) return localAuthenticator(config);
  let naa = false;
  try {
    naa = nestedAppAuth.isNAAChannelRecommended();
  } catch {
    naa = false;
  }
  return naa && config.clientId ? naaAuthenticator(config) : teamsSsoAuthenticator();
}
