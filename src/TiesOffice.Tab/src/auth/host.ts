// Which host runs the tab (Teams, Outlook, microsoft365.com, or a plain browser), its theme and its locale.
import { app } from '@microsoft/teams-js';

export type ThemeName = 'default' | 'dark' | 'contrast';

export interface HostInfo {
  /** True inside a Microsoft 365 host (teams-js initialised). */
  inM365: boolean;
  /** "Teams", "Outlook", "Office" or "Browser". */
  name: string;
  theme: ThemeName;
  locale: string;
}

export function themeFrom(value: string | null | undefined): ThemeName {
  return value === 'dark' || value === 'contrast' ? value : 'default';
}

/** A page that is framed, opened by another window, or inside a mobile host's web view may be in a Microsoft 365 host. */
function mayBeInHost(): boolean {
  const w = window as Window & { nativeInterface?: unknown };
  let framed = false;
  try {
    framed = window.self !== window.top;
  } catch {
    framed = true;
  }
  return framed || window.opener !== null || w.nativeInterface !== undefined;
}

function browserHost(): HostInfo {
  const params = new URLSearchParams(window.location.search);
  return { inM365: false, name: 'Browser', theme: themeFrom(params.get('theme')), locale: navigator.language || 'en-US' };
}

/**
 * Initialises teams-js where the page may be in a host. A plain browser tab (the DevHost demo) skips it; its theme
 * is light unless `?theme=dark` or `?theme=contrast` is given.
 */
export async function detectHost(initTimeoutMs = 5000): Promise<HostInfo> {
  if (!mayBeInHost()) return browserHost();
  try {
    await Promise.race([
      app.initialize(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('host did not answer')), initTimeoutMs)),
    ]);
    const context = await app.getContext();
    const hostName = String(context.app.host.name);
    app.notifySuccess();
    return {
      inM365: true,
      name: hostName,
      theme: themeFrom(context.app.theme),
      locale: context.app.locale || navigator.language || 'en-US',
    };
  } catch {
    return browserHost();
  }
}

/** Calls back when the Teams theme changes; outside a host it does nothing. */
export function onHostThemeChange(host: HostInfo, handler: (theme: ThemeName) => void): void {
  if (host.inM365) app.registerOnThemeChangeHandler((theme) => handler(themeFrom(theme)));
}
