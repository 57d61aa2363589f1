// Text the user reads: dates in the host's locale, durations in words, tiers by name.
import type { PortabilityClass, Tier, Trend } from './api/types';

export const tierLabel: Record<Tier, string> = { strong: 'Strong', weak: 'Weak', dormant: 'Dormant', pseudo: 'Pseudo' };
export const trendLabel: Record<Trend, string> = { cooling: 'Cooling', warming: 'Warming', steady: 'Steady' };
export const portabilityLabel: Record<PortabilityClass, string> = {
  personal: 'Personal (goes with you)',
  mixed: 'Mixed',
  position: 'Position-based (stays with the role)',
};

export function formatDate(iso: string | null | undefined, locale: string): string {
  if (!iso) return 'never';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(date);
}

export function formatMonth(month: string, locale: string): string {
  const [year, mon] = month.split('-').map(Number);
  if (!year || !mon) return month;
  return new Intl.DateTimeFormat(locale, { month: 'short', year: '2-digit' }).format(new Date(Date.UTC(year, mon - 1, 15)));
}

/** ISO week "2026-W05" to the Monday that starts it. */
export function weekStart(week: string): Date | undefined {
  const match = /^(\d{4})-W(\d{2})$/.exec(week);
  if (!match) return undefined;
  const year = Number(match[1]);
  const weekNo = Number(match[2]);
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const dayOfWeek = jan4.getUTCDay() || 7;
  const monday = new Date(jan4);
  monday.setUTCDate(jan4.getUTCDate() - dayOfWeek + 1 + (weekNo - 1) * 7);
  return monday;
}

/** Hours from an ISO 8601 duration ("P1DT3H", "PT45M") or a plain number of hours. */
export function toHours(value: string | number | null | undefined): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  const dotnet = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})(?:\.\d+)?$/.exec(value);
  if (dotnet) {
    return Number(dotnet[1] ?? 0) * 24 + Number(dotnet[2]) + Number(dotnet[3]) / 60 + Number(dotnet[4]) / 3600;
  }
  const iso = /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(value);
  if (!iso) return undefined;
  return Number(iso[1] ?? 0) * 24 + Number(iso[2] ?? 0) + Number(iso[3] ?? 0) / 60 + Number(iso[4] ?? 0) / 3600;
}

/** "45 min", "3 h", "2 days". */
export function formatDuration(value: string | number | null | undefined): string | undefined {
  const hours = toHours(value);
  if (hours === undefined) return undefined;
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
export function replySentence(their: string | number | null | undefined, own: string | number | null | undefined): string {
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
