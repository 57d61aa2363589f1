// The tab API's shapes (docs/Api.md is the contract). JSON is camelCase; dates are ISO 8601 strings.

export type Tier = 'strong' | 'weak' | 'dormant' | 'pseudo';
export type PortabilityClass = 'personal' | 'mixed' | 'positionBased' | 'unknown';
export type Trend = 'cooling' | 'rising' | 'steady' | 'silent';
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
  /** The tier after the user's overrides (what to show). */
  tier: Tier;
  /** The engine's own tier. */
  inferredTier?: Tier | null;
  score: number;
  lastContact?: string | null;
  trend: Trend;
  scope?: Scope | null;
  portability: { class: PortabilityClass; personalShare: number };
  reciprocity: { balance: number; owed: Owed };
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

/** Who owes the next reply: the user ("owner"), the contact, or nobody. */
export type Owed = 'owner' | 'contact' | 'nobody';

/** One week (starting Monday, UTC): whether the user wrote to the contact, and the contact to the user. */
export interface WeekPoint {
  /** "2025-12-01", a Monday (UTC). */
  weekStart: string;
  /** Your direct messages to them that week (a small meeting you both attended counts one). */
  sent: number;
  /** Their direct messages to you that week (the same meetings count one). */
  received: number;
}

export interface Attention {
  /** All-time direct messages. */
  sent: number;
  received: number;
  theirReplyRate?: number | null;
  ownerReplyRate?: number | null;
  theirReplyTimeHours?: number | null;
  ownerReplyTimeHours?: number | null;
  ownerInitiationShare?: number | null;
  invitationsAccepted?: number | null;
  owed: Owed;
  unansweredInARow: number;
}

/** The figures behind the why. */
export interface WhyParts {
  reason?: string | null;
  twoWayWeeksLastYear?: number | null;
  activeWeeks26?: number | null;
  daysSinceLast?: number | null;
  rhythmDays?: number | null;
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
  whyParts?: WhyParts | null;
  overrides: Overrides;
}

export type Weekday = 'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday' | 'sunday';

export interface Settings {
  digestDay: Weekday;
  /** "HH:mm" */
  digestTime: string;
  /** 0..20 */
  weeklyBudget: number;
  timeZone?: string | null;
  exclusions: string[];
}

export interface RoleChange {
  survive: TieSummary[];
  go: TieSummary[];
  /** No direct contact to judge by. */
  unknown?: TieSummary[] | null;
}

export interface ReachGroup {
  name: string;
  kind: 'domain' | 'department';
  internal: boolean;
  strong: number;
  weak: number;
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
