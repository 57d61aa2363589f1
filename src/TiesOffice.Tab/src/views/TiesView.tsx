import { useEffect, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import {
  Body1, Caption1, Field, Link, SearchBox, Select, Spinner, Text, makeStyles, tokens,
} from '@fluentui/react-components';
import type { PortabilityClass, Scope, SortKey, TieQuery, TieSummary, Tier, Trend } from '../api/types';
import { isAppWide, useApp } from '../AppContext';
import { ErrorPanel } from '../components/ErrorPanel';
import { TieBadges } from '../components/TieBadges';
import { displayName, formatDate, portabilityLabel } from '../format';
import { hrefFor } from '../router';

const pageSize = 200;

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, minHeight: 0, flexGrow: 1 },
  filters: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalM, alignItems: 'flex-end' },
  scroller: {
    height: 'calc(100vh - 16rem)',
    minHeight: '18rem',
    overflowY: 'auto',
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  row: {
    position: 'absolute',
    left: 0,
    right: 0,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    borderBottom: `1px solid ${tokens.colorNeutralStroke3}`,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXXS,
  },
  line: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap', alignItems: 'baseline' },
});

export interface TieFilters {
  tier: Tier | '';
  portability: PortabilityClass | '';
  trend: Trend | '';
  scope: Scope | '';
  q: string;
  sort: SortKey;
}

function toQuery(filters: TieFilters, continuation?: string): TieQuery {
  const query: TieQuery = { sort: filters.sort, limit: pageSize };
  if (filters.tier) query.tier = filters.tier;
  if (filters.portability) query.portability = filters.portability;
  if (filters.trend) query.trend = filters.trend;
  if (filters.scope) query.scope = filters.scope;
  if (filters.q.trim()) query.q = filters.q.trim();
  if (continuation) query.continuation = continuation;
  return query;
}

function TieRow({ tie, locale, start, index, total, measure }: {
  tie: TieSummary; locale: string; start: number; index: number; total: number; measure: (el: Element | null) => void;
}) {
  const styles = useStyles();
  return (
    <div
      role="listitem"
      aria-setsize={total}
      aria-posinset={index + 1}
      data-index={index}
      ref={measure}
      className={styles.row}
      style={{ transform: `translateY(${start}px)` }}
      data-testid="tie-row"
    >
      <div className={styles.line}>
        <Link href={hrefFor({ view: 'tie', id: tie.id })}>{displayName(tie)}</Link>
        {tie.displayName && <Caption1>{tie.contact}</Caption1>}
        <TieBadges tie={tie} locale={locale} />
      </div>
      <Text size={200}>
        Last contact {formatDate(tie.lastContact, locale)} · {portabilityLabel[tie.portability.class]}
      </Text>
      <Text size={200}>{tie.why}</Text>
    </div>
  );
}

function FilterBar({ filters, onChange }: { filters: TieFilters; onChange: (next: TieFilters) => void }) {
  const styles = useStyles();
  const set = <K extends keyof TieFilters>(key: K, value: TieFilters[K]): void => onChange({ ...filters, [key]: value });
  return (
    <div className={styles.filters} role="search" aria-label="Find ties">
      <Field label="Search">
        <SearchBox value={filters.q} onChange={(_, data) => set('q', data.value)} placeholder="Name or address" />
      </Field>
      <Field label="Tier">
        <Select value={filters.tier} onChange={(_, data) => set('tier', data.value as Tier | '')}>
          <option value="">All tiers</option>
          <option value="strong">Strong</option>
          <option value="weak">Weak</option>
          <option value="dormant">Dormant</option>
          <option value="pseudo">Pseudo</option>
        </Select>
      </Field>
      <Field label="Portability">
        <Select value={filters.portability} onChange={(_, data) => set('portability', data.value as PortabilityClass | '')}>
          <option value="">Any</option>
          <option value="personal">Personal</option>
          <option value="mixed">Mixed</option>
          <option value="positionBased">Position-based</option>
          <option value="unknown">Not known</option>
        </Select>
      </Field>
      <Field label="Trend">
        <Select value={filters.trend} onChange={(_, data) => set('trend', data.value as Trend | '')}>
          <option value="">Any</option>
          <option value="cooling">Cooling</option>
          <option value="rising">Warming</option>
          <option value="steady">Steady</option>
          <option value="silent">Silent</option>
        </Select>
      </Field>
      <Field label="Where">
        <Select value={filters.scope} onChange={(_, data) => set('scope', data.value as Scope | '')}>
          <option value="">Inside and outside</option>
          <option value="internal">Inside your organisation</option>
          <option value="external">Outside your organisation</option>
        </Select>
      </Field>
      <Field label="Sort by">
        <Select value={filters.sort} onChange={(_, data) => set('sort', data.value as SortKey)}>
          <option value="score">Strength</option>
          <option value="lastContact">Last contact</option>
          <option value="name">Name</option>
        </Select>
      </Field>
    </div>
  );
}

export default function TiesView({ initialTier }: { initialTier?: string | undefined }) {
  const styles = useStyles();
  const { api, locale, reportFailure, version } = useApp();
  const [filters, setFilters] = useState<TieFilters>({
    tier: (['strong', 'weak', 'dormant', 'pseudo'].includes(initialTier ?? '') ? initialTier : '') as Tier | '',
    portability: '',
    trend: '',
    scope: '',
    q: '',
    sort: 'score',
  });
  const [query, setQuery] = useState(filters);
  const [items, setItems] = useState<TieSummary[]>([]);
  const [total, setTotal] = useState(0);
  const [continuation, setContinuation] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(undefined);
  const generation = useRef(0);
  const scroller = useRef<HTMLDivElement>(null);

  // Search text waits for a pause in typing; the other filters apply at once.
  useEffect(() => {
    if (filters.q === query.q) {
      setQuery(filters);
      return undefined;
    }
    const timer = setTimeout(() => setQuery(filters), 250);
    return () => clearTimeout(timer);
  }, [filters, query.q]);

  const fetchPage = (from: TieFilters, token: string | undefined, gen: number): void => {
    setLoading(true);
    api.ties(toQuery(from, token)).then(
      (page) => {
        if (gen !== generation.current) return;
        setItems((old) => (token ? [...old, ...page.items] : page.items));
        setTotal(page.total);
        setContinuation(page.continuation);
        setLoading(false);
      },
      (failure: unknown) => {
        if (gen !== generation.current) return;
        setLoading(false);
        if (isAppWide(failure)) reportFailure(failure);
        else setError(failure);
      },
    );
  };

  useEffect(() => {
    generation.current += 1;
    setError(undefined);
    setItems([]);
    setContinuation(null);
    fetchPage(query, undefined, generation.current);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [query, version]);

  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => 84,
    overscan: 8,
  });
  const virtualItems = virtualizer.getVirtualItems();
  const lastIndex = virtualItems.length > 0 ? virtualItems[virtualItems.length - 1]!.index : -1;

  useEffect(() => {
    if (continuation && !loading && lastIndex >= items.length - 20) fetchPage(query, continuation, generation.current);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [lastIndex, continuation, loading, items.length]);

  return (
    <div className={styles.root} data-testid="view-ties">
      <FilterBar filters={filters} onChange={setFilters} />
      <Text role="status" aria-live="polite" data-testid="ties-count">
        {loading && items.length === 0 ? 'Loading ties…' : `${total.toLocaleString()} ${total === 1 ? 'tie' : 'ties'}`}
      </Text>
      {error !== undefined && <ErrorPanel error={error} onRetry={() => setQuery({ ...query })} />}
      {!loading && error === undefined && items.length === 0 && <Body1 data-testid="ties-none">No ties match these filters.</Body1>}
      <div ref={scroller} className={styles.scroller}>
        <div role="list" aria-label="Ties" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualItems.map((row) => (
            <TieRow
              key={items[row.index]!.id}
              tie={items[row.index]!}
              locale={locale}
              start={row.start}
              index={row.index}
              total={total}
              measure={virtualizer.measureElement}
            />
          ))}
        </div>
      </div>
      {loading && items.length > 0 && <Spinner size="tiny" label="Loading more…" />}
    </div>
  );
}
