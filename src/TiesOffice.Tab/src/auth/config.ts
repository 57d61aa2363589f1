// Where the tab finds its API and identity settings.
//
// Runtime first: the host may serve `config.json` beside index.html (so one build serves any deployment); anything
// it leaves out comes from the build-time environment (VITE_TIES_* in .env files or the shell), and then from the
// defaults below, which suit the DevHost (API on the same origin, local sign-in page).

export interface TabConfig {
  /** Origin and path prefix of the API; empty means the tab's own origin. */
  apiBaseUrl: string;
  /** The Entra app registration's client ID (for nested app authentication). */
  clientId: string;
  /** The API scope, e.g. "api://tiesoffice.example/<client-id>/access_as_user". */
  scope: string;
  /** Authority for MSAL; "organizations" serves work accounts of any tenant. */
  authority: string;
  /** The DevHost's local sign-in page (Development only), given `?redirect=<same-origin path>`. */
  devSignInUrl: string;
}

export const defaultConfig: TabConfig = {
  apiBaseUrl: import.meta.env.VITE_TIES_API_BASE_URL ?? '',
  clientId: import.meta.env.VITE_TIES_CLIENT_ID ?? '',
  scope: import.meta.env.VITE_TIES_SCOPE ?? '',
  authority: import.meta.env.VITE_TIES_AUTHORITY ?? 'https://login.microsoftonline.com/organizations',
  devSignInUrl: import.meta.env.VITE_TIES_DEV_SIGN_IN_URL ?? '/dev-login/pick',
};

function pick(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

/** Reads `config.json` beside the page; a missing or unreadable file leaves the build-time settings. */
export async function loadConfig(fetcher: typeof fetch = (input, init) => fetch(input, init)): Promise<TabConfig> {
  try {
    const response = await fetcher(new URL('config.json', document.baseURI).toString(), { cache: 'no-store' });
    if (!response.ok) return defaultConfig;
    const raw = (await response.json()) as Record<string, unknown>;
    return {
      apiBaseUrl: pick(raw.apiBaseUrl, defaultConfig.apiBaseUrl),
      clientId: pick(raw.clientId, defaultConfig.clientId),
      scope: pick(raw.scope, defaultConfig.scope),
      authority: pick(raw.authority, defaultConfig.authority),
      devSignInUrl: pick(raw.devSignInUrl, defaultConfig.devSignInUrl),
    };
  } catch {
    return defaultConfig;
  }
}
