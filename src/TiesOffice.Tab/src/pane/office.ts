/// <reference types="office-js" />
// What the pane needs from Office.js: whether it runs in Outlook, the open message's sender, the Office theme, and
// whether nested app authentication is available. pane.html loads Office.js (the @microsoft/office-js files, copied
// beside the pane by the build) in its <head>, as Office requires; everything here reads the global `Office`.
import type { ThemeName } from '../auth/host';

export interface Sender {
  address: string;
  displayName: string;
}

export interface OfficeInfo {
  /** True when Office.js says the host is Outlook. */
  inOutlook: boolean;
  /** The open item's sender, or undefined when no message is open (or outside Outlook with no item). */
  sender: Sender | undefined;
  theme: ThemeName;
  locale: string;
  /** Outlook can broker tokens for the pane (requirement set NestedAppAuth 1.1). */
  nestedAppAuth: boolean;
}

type OfficeGlobal = typeof Office;

function officeGlobal(): OfficeGlobal | undefined {
  return (globalThis as { Office?: OfficeGlobal }).Office;
}

/** The sender of a message in read mode: `from` (who wrote it), else `sender` (who sent it on their behalf). */
export function senderOf(item: { from?: Office.EmailAddressDetails | undefined; sender?: Office.EmailAddressDetails | undefined } | null | undefined): Sender | undefined {
  const who = item?.from ?? item?.sender;
  const address = typeof who?.emailAddress === 'string' ? who.emailAddress.trim() : '';
  if (!address.includes('@')) return undefined;
  return { address, displayName: who?.displayName?.trim() || address };
}

/** Dark when Office says so, or when its body background is dark (older hosts without `isDarkTheme`). */
export function themeOf(theme: Partial<Office.OfficeTheme> | undefined, fallback: ThemeName): ThemeName {
  if (!theme) return fallback;
  if (typeof theme.isDarkTheme === 'boolean') return theme.isDarkTheme ? 'dark' : 'default';
  const match = /^#?([0-9a-f]{6})$/i.exec(theme.bodyBackgroundColor ?? '');
  if (!match?.[1]) return fallback;
  const n = parseInt(match[1], 16);
  const luminance = (0.2126 * ((n >> 16) & 255) + 0.7152 * ((n >> 8) & 255) + 0.0722 * (n & 255)) / 255;
  return luminance < 0.5 ? 'dark' : 'default';
}

function browserTheme(): ThemeName {
  const value = new URLSearchParams(window.location.search).get('theme');
  return value === 'dark' || value === 'contrast' ? value : 'default';
}

/** Waits for Office.js (at most `timeoutMs`), then reads what the pane shows. Without Office.js: a plain browser. */
export async function readOffice(timeoutMs = 10_000): Promise<OfficeInfo> {
  const office = officeGlobal();
  const plain: OfficeInfo = { inOutlook: false, sender: undefined, theme: browserTheme(), locale: navigator.language || 'en-US', nestedAppAuth: false };
  if (!office?.onReady) return plain;
  let info: { host: Office.HostType | null } | undefined;
  try {
    info = await Promise.race([
      office.onReady(),
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), timeoutMs)),
    ]);
  } catch {
    info = undefined;
  }
  if (!info) return plain;
  const context = office.context;
  const mailbox = context?.mailbox;
  let nestedAppAuth = false;
  try {
    nestedAppAuth = context?.requirements?.isSetSupported('NestedAppAuth', '1.1') ?? false;
  } catch {
    nestedAppAuth = false;
  }
  return {
    inOutlook: String(info.host) === 'Outlook',
    sender: senderOf(mailbox?.item as Parameters<typeof senderOf>[0]),
    theme: themeOf(context?.officeTheme, plain.theme),
    locale: context?.displayLanguage || plain.locale,
    nestedAppAuth,
  };
}

/** Calls back when Outlook's theme changes (task panes only; older hosts have no such event). */
export function onOfficeThemeChange(handler: (theme: ThemeName) => void): void {
  const office = officeGlobal();
  const mailbox = office?.context?.mailbox;
  const eventType = office?.EventType?.OfficeThemeChanged;
  if (!mailbox?.addHandlerAsync || !eventType) return;
  try {
    mailbox.addHandlerAsync(eventType, (args: { officeTheme?: Office.OfficeTheme }) => handler(themeOf(args.officeTheme, 'default')));
  } catch {
    // Not supported here: the pane keeps the theme it opened with.
  }
}
