// An in-memory ApiClient for component tests: deterministic ties, filters, paging, overrides, settings, delete.
import type { ApiClient } from '../api/client';
import { ApiError } from '../api/client';
import type {
  OverridesUpdate, Reach, RoleChange, Settings, Summary, TieDetail, TiePage, TieQuery, TieSummary, Tier, Trend, PortabilityClass,
} from '../api/types';

const tierCycle: Tier[] = ['strong', 'weak', 'weak', 'dormant', 'pseudo'];
const trendCycle: Trend[] = ['cooling', 'rising', 'steady'];
const portCycle: PortabilityClass[] = ['personal', 'mixed', 'positionBased'];

export function makeTie(i: number): TieDetail {
  const domain = i % 4 === 0 ? 'partner.example' : 'enron.com';
  const contact = `person${String(i).padStart(4, '0')}@${domain}`;
  return {
    id: `t${i}`,
    contact,
    displayName: `Person ${String(i).padStart(4, '0')}`,
    tier: tierCycle[i % tierCycle.length]!,
    score: 1 - i / 10000,
    lastContact: new Date(Date.UTC(2026, 10, 1 + (i % 28))).toISOString(),
    trend: trendCycle[i % trendCycle.length]!,
    portability: { class: portCycle[i % portCycle.length]!, personalShare: (i % 10) / 10 },
    reciprocity: { balance: 0, owed: 'nobody' },
    scope: domain === 'enron.com' ? 'internal' : 'external',
    inferredTier: tierCycle[i % tierCycle.length]!,
    why: `2 messages each way in the last 60 days (tie ${i})`,
    isOverridden: false,
    muted: false,
    snoozedUntil: null,
    timeline: Array.from({ length: 53 }, (_, w) => ({
      weekStart: new Date(Date.UTC(2025, 11, 1 + 7 * w)).toISOString().slice(0, 10),
      sent: (w + i) % 3 === 0 ? 1 + (w % 4) : 0,
      received: (w * i) % 4 === 1 ? 2 : 0,
    })),
    attention: { sent: 14, received: 9, theirReplyRate: 0.8, ownerReplyRate: 0.5, theirReplyTimeHours: 3, ownerReplyTimeHours: 48, ownerInitiationShare: 0.4, invitationsAccepted: 1, owed: 'owner', unansweredInARow: 2 },
    rhythmDays: 14,
    whyParts: { reason: 'weak', twoWayWeeksLastYear: 6, activeWeeks26: 3, daysSinceLast: 40, rhythmDays: 21 },
    overrides: { muted: false },
  };
}

function summaryOf(tie: TieDetail): TieSummary {
  const { timeline: _t, attention: _a, rhythmDays: _r, whyParts: _w, overrides: _o, ...summary } = tie;
  return summary;
}

export class FakeApi implements ApiClient {
  ties_: TieDetail[];
  settings_: Settings = { digestDay: 'monday', digestTime: '09:00', weeklyBudget: 5, timeZone: 'Europe/London', exclusions: [] };
  calls: string[] = [];
  failWith: unknown;
  syncState: Summary['sync']['state'] = 'ready';

  constructor(count = 30) {
    this.ties_ = Array.from({ length: count }, (_, i) => makeTie(i));
  }

  private guard(name: string): void {
    this.calls.push(name);
    if (this.failWith) throw this.failWith;
  }

  private visible(): TieDetail[] {
    return this.ties_.filter((t) => !this.settings_.exclusions.some((e) => t.contact === e || t.contact.endsWith(`@${e}`)));
  }

  summary(): Promise<Summary> {
    try {
      this.guard('summary');
    } catch (e) {
      return Promise.reject(e);
    }
    const ties = this.visible();
    const count = (tier: Tier): number => ties.filter((t) => t.tier === tier).length;
    return Promise.resolve({
      user: { displayName: 'Demo User', mailAddress: 'demo@enron.com' },
      sync: { state: ties.length === 0 && this.syncState === 'ready' ? 'notStarted' : this.syncState, itemsStored: ties.length * 10 },
      tiers: { strong: count('strong'), weak: count('weak'), dormant: count('dormant'), pseudo: count('pseudo') },
      history: Array.from({ length: 12 }, (_, m) => ({ month: `2026-${String(m + 1).padStart(2, '0')}`, strong: m, weak: 2 * m, dormant: 1, pseudo: 0 })),
      suggestions: ties.filter((t) => t.tier === 'weak' && !t.snoozedUntil).slice(0, 2).map((t) => ({
        tieId: t.id, contact: t.contact, displayName: t.displayName ?? null, kind: 'reconnect', route: 'oneOnOne', routeText: 'Propose a 1:1', day: '2026-12-07', why: t.why,
      })),
    });
  }

  async ties(query: TieQuery): Promise<TiePage> {
    this.guard(`ties:${new URLSearchParams(query as Record<string, string>).toString()}`);
    let ties = this.visible();
    if (query.tier) ties = ties.filter((t) => t.tier === query.tier);
    if (query.trend) ties = ties.filter((t) => t.trend === query.trend);
    if (query.portability) ties = ties.filter((t) => t.portability.class === query.portability);
    if (query.scope) ties = ties.filter((t) => (query.scope === 'internal') === t.contact.endsWith('@enron.com'));
    if (query.q) {
      const q = query.q.toLowerCase();
      ties = ties.filter((t) => t.contact.includes(q) || (t.displayName ?? '').toLowerCase().includes(q));
    }
    if (query.sort === 'name') ties = [...ties].sort((a, b) => (a.displayName ?? a.contact).localeCompare(b.displayName ?? b.contact));
    const start = query.continuation ? Number(query.continuation) : 0;
    const limit = query.limit ?? 50;
    const page = ties.slice(start, start + limit);
    return { items: page.map(summaryOf), continuation: start + limit < ties.length ? String(start + limit) : null, total: ties.length };
  }

  private find(id: string): TieDetail {
    const tie = this.visible().find((t) => t.id === id);
    if (!tie) throw new ApiError('notFound', 404, 'Not found');
    return tie;
  }

  async tie(id: string): Promise<TieDetail> {
    this.guard(`tie:${id}`);
    return structuredClone(this.find(id));
  }

  async setOverrides(id: string, update: OverridesUpdate): Promise<TieDetail> {
    this.guard(`setOverrides:${id}:${JSON.stringify(update)}`);
    const tie = this.find(id);
    tie.overrides = { ...tie.overrides, ...update, muted: update.muted ?? tie.overrides.muted };
    if (update.tier !== undefined) tie.tier = update.tier ?? tie.tier;
    tie.snoozedUntil = tie.overrides.snoozedUntil ?? null;
    tie.muted = tie.overrides.muted;
    tie.isOverridden = true;
    return structuredClone(tie);
  }

  async clearOverrides(id: string): Promise<TieDetail> {
    this.guard(`clearOverrides:${id}`);
    const tie = this.find(id);
    tie.overrides = { muted: false };
    tie.snoozedUntil = null;
    tie.muted = false;
    tie.isOverridden = false;
    return structuredClone(tie);
  }

  async settings(): Promise<Settings> {
    this.guard('settings');
    return structuredClone(this.settings_);
  }

  async saveSettings(settings: Settings): Promise<Settings> {
    this.guard(`saveSettings:${JSON.stringify(settings)}`);
    this.settings_ = structuredClone(settings);
    return structuredClone(settings);
  }

  async roleChange(): Promise<RoleChange> {
    this.guard('roleChange');
    const ties = this.visible().map(summaryOf);
    return { survive: ties.filter((t) => t.portability.class === 'personal'), go: ties.filter((t) => t.portability.class === 'positionBased'), unknown: [] };
  }

  async reach(): Promise<Reach> {
    this.guard('reach');
    const weak = this.visible().filter((t) => t.tier === 'weak');
    return {
      internalDomain: 'enron.com',
      groups: [
        { name: 'ENA Gas Trading', kind: 'department', internal: true, strong: 1, weak: 2 },
        { name: 'enron.com', kind: 'domain', internal: true, strong: 2, weak: weak.filter((t) => t.contact.endsWith('@enron.com')).length },
        { name: 'partner.example', kind: 'domain', internal: false, strong: 0, weak: 1, onlyBridge: weak[0] ? summaryOf(weak[0]) : null },
      ],
    };
  }

  async exportData(): Promise<{ blob: Blob; fileName: string }> {
    this.guard('export');
    return { blob: new Blob([JSON.stringify({ ties: this.visible().length })], { type: 'application/json' }), fileName: 'tiesoffice-export.json' };
  }

  async deleteAll(confirm: string): Promise<void> {
    this.guard(`delete:${confirm}`);
    if (confirm !== 'delete my data') throw new ApiError('badRequest', 400, 'Type the confirmation exactly.');
    this.ties_ = [];
  }
}
