// The tab API's shapes (docs/Api.md is the contract). JSON is camelCase; dates are ISO 8601 strings.

export type Tier = 'strong' | 'weak' | 'dormant' | 'pseudo';
export type PortabilityClass = 'personal' | 'mixed' | 'position';
export type Trend = 'cooling' | 'warming' | 'steady';
export type Scope = 'internal' | 'external';
export type SortKey = 'score' | 'lastContact' | 'name';
export type SyncState = 'notStarted' | 'syncing' | 'ready' | 'needsConsent';

export const tiers: readonly Tier[] = ['strong', 'weak', 'dormant', 'pseudo'];

export interface TierCounts {
  strong: number;
  weak: number;
  dormant: number;
  pseudo: number;
}

export interface MonthCounts extends TierCounts {
  /** "2026-01" */
  month: string;
}

export interface Suggestion {
  tieId: string;
  contact: string;
  displayName?: string | null;
  kind: string;
  route: string;
  routeText: string;
  day: string;
  why: string;
}

export interface SyncStatus {
  state: SyncState;
  lastSyncedAt?: string | null;
  itemsStored?: number | null;
}

export interface Summary {
  user: { displayName?: string | null; mailAddress?: string | null };
  sync: SyncStatus;
  tiers: TierCounts;
  history: MonthCounts[];
  suggestions: Suggestion[];
}

export interface TieSummary {
  id: string;
  contact: string;
  displayName?: string | null;
  tier: Tier;
  score: number;
  lastContact?: string | null;
  trend: Trend;
  portability: { class: PortabilityClass; personalShare: number };
  reciprocity: { balance: number; owed: 'owner' | 'contact' | 'none' | string };
  why: string;
  isOverridden: boolean;
  muted: boolean;
  snoozedUntil?: string | null;
}

export interface TiePage {
  items: TieSummary[];
  continuation: string | null;
  total: number;
}

export interface TieQuery {
  tier?: Tier;
  portability?: PortabilityClass;
  trend?: Trend;
  scope?: Scope;
  q?: string;
  sort?: SortKey;
  limit?: number;
  continuation?: string;
}

export interface WeekPoint {
  /** ISO week, "2026-W05" */
  week: string;
  sent: number;
  received: number;
}

export interface Attention {
  theirReplyRate?: number | null;
  ownerReplyRate?: number | null;
  /** ISO 8601 duration ("PT3H") or a number of hours; see formatDuration. */
  theirReplyTime?: string | number | null;
  ownerReplyTime?: string | number | null;
  ownerInitiationShare?: number | null;
  invitationsAccepted?: number | null;
  owed: 'owner' | 'contact' | 'none' | string;
  unansweredInARow: number;
}

export interface Overrides {
  tier?: Tier | null;
  positionBased?: boolean | null;
  muted: boolean;
  snoozedUntil?: string | null;
  cadenceDays?: number | null;
  note?: string | null;
}

export interface OverridesUpdate {
  tier?: Tier | null;
  positionBased?: boolean | null;
  muted?: boolean;
  snoozedUntil?: string | null;
  cadenceDays?: number | null;
  note?: string | null;
}

export interface TieDetail extends TieSummary {
  timeline: WeekPoint[];
  attention: Attention;
  rhythmDays?: number | null;
  whyParts?: string[] | null;
  overrides: Overrides;
}

export type Weekday = 'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday' | 'sunday';

export interface Settings {
  digestDay: Weekday;
  digestTime: string;
  weeklyBudget: number;
  timeZone: string;
  exclusions: string[];
}

export interface RoleChange {
  survive: TieSummary[];
  go: TieSummary[];
}

export interface ReachGroup {
  name: string;
  kind: 'domain' | 'department';
  weakTies: number;
  onlyBridge?: TieSummary | null;
}

export interface Reach {
  internalDomain: string;
  groups: ReachGroup[];
}

/** An RFC 9457 problem, as the API returns it. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: Record<string, string[]>;
}
