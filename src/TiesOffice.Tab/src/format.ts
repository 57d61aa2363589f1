// Text the user reads: dates in the host's locale, durations in words, tiers by name.
import type { PortabilityClass, Tier, Trend } from './api/types';

export const tierLabel: Record<Tier, string> = { strong: 'Strong', weak: 'Weak', dormant: 'Dormant', pseudo: 'Pseudo' };
export const trendLabel: Record<Trend, string> = { cooling: 'Cooling', rising: 'Warming', steady: 'Steady', silent: 'Silent' };
export const portabilityLabel: Record<PortabilityClass, string> = {
  personal: 'Personal (goes with you)',
  mixed: 'Mixed (partly yours, partly the role\'s)',
  positionBased: 'Position-based (stays with the role)',
  unknown: 'Not known yet',
};

export function formatDate(iso: string | null | undefined, locale: string): string {
  if (!iso) return 'never';
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) {
    // A calendar date (snoozedUntil, a suggestion's day): the same day in every time zone.
    const day = utcDate(iso);
    return day ? new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(day) : iso;
  }
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(date);
}

export function formatMonth(month: string, locale: string): string {
  const [year, mon] = month.split('-').map(Number);
  if (!year || !mon) return month;
  return new Intl.DateTimeFormat(locale, { month: 'short', year: '2-digit' }).format(new Date(Date.UTC(year, mon - 1, 15)));
}

/** "2025-12-01" (a UTC date) as a Date at midday UTC, so every time zone shows the same day. */
export function utcDate(day: string): Date | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(day);
  if (!match) return undefined;
  return new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]), 12));
}

/** "45 min", "3 h", "2 days" from a number of hours. */
export function formatDuration(hours: number | null | undefined): string | undefined {
  if (hours === null || hours === undefined || !Number.isFinite(hours) || hours < 0) return undefined;
  if (hours < 1) return `${Math.max(1, Math.round(hours * 60))} min`;
  if (hours < 36) return `${Math.round(hours)} h`;
  const days = Math.round(hours / 24);
  return `${days} day${days === 1 ? '' : 's'}`;
}

export function formatPercent(share: number | null | undefined, locale: string): string | undefined {
  if (share === null || share === undefined || !Number.isFinite(share)) return undefined;
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(share);
}

/** One sentence on reply times, e.g. "They reply in 3 h, you in 2 days." */
export function replySentence(their: number | null | undefined, own: number | null | undefined): string {
  const t = formatDuration(their);
  const o = formatDuration(own);
  if (t && o) return `They reply in ${t}, you in ${o}.`;
  if (t) return `They reply in ${t}; you have not replied to them in the window.`;
  if (o) return `You reply in ${o}; they have not replied to you in the window.`;
  return 'Neither of you has replied to the other in the window.';
}

export function displayName(tie: { displayName?: string | null; contact: string }): string {
  return tie.displayName?.trim() ? tie.displayName : tie.contact;
}

/** The date a week from now, as "yyyy-mm-dd" (what the overrides' snoozedUntil takes). */
export function dateInDays(days: number, now: Date = new Date()): string {
  const d = new Date(now);
  d.setDate(d.getDate() + days);
  return isoDate(d);
}

export function isoDate(d: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
