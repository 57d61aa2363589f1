import { Suspense, lazy, useEffect, useState } from 'react';
import {
  Body1, Button, Field, Input, Link, Select, Spinner, Switch, Text, Textarea, Title2, Title3, makeStyles, tokens,
} from '@fluentui/react-components';
import type { OverridesUpdate, TieDetail, Tier, WhyParts } from '../api/types';
import { useApp, useLoad } from '../AppContext';
import { ErrorPanel } from '../components/ErrorPanel';
import { Loading } from '../components/StateScreen';
import { TieBadges } from '../components/TieBadges';
import { dateInDays, displayName, formatDate, formatPercent, portabilityLabel, replySentence } from '../format';
import { hrefFor } from '../router';

const TimelineChart = lazy(() => import('../components/TimelineChart'));

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXL },
  header: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  facts: { display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: tokens.spacingHorizontalL, rowGap: tokens.spacingVerticalXS, margin: 0 },
  term: { fontWeight: tokens.fontWeightSemibold },
  form: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(14rem, 1fr))', gap: tokens.spacingHorizontalL, alignItems: 'end' },
  buttons: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
});

function AttentionFacts({ tie }: { tie: TieDetail }) {
  const styles = useStyles();
  const { locale } = useApp();
  const a = tie.attention;
  const owes = a.owed === 'owner' ? 'You owe a reply' : a.owed === 'contact' ? 'They owe you a reply' : 'Nobody';
  const rows: [string, string][] = [
    ['Messages', `${a.received.toLocaleString(locale)} from them, ${a.sent.toLocaleString(locale)} from you (all time)`],
    ['Reply times', replySentence(a.theirReplyTimeHours, a.ownerReplyTimeHours)],
    ['They reply to', formatPercent(a.theirReplyRate, locale) ? `${formatPercent(a.theirReplyRate, locale)} of your messages` : 'not measured yet'],
    ['You reply to', formatPercent(a.ownerReplyRate, locale) ? `${formatPercent(a.ownerReplyRate, locale)} of their messages` : 'not measured yet'],
    ['Who starts threads', formatPercent(a.ownerInitiationShare, locale) ? `you start ${formatPercent(a.ownerInitiationShare, locale)}` : 'not measured yet'],
    ['Invitations accepted', formatPercent(a.invitationsAccepted, locale) ?? 'no invitations yet'],
    ['Who owes a reply', a.unansweredInARow > 1 ? `${owes} (${a.unansweredInARow} unanswered in a row)` : owes],
    ['Rhythm', tie.rhythmDays ? `about every ${Math.round(tie.rhythmDays)} days` : 'no steady rhythm'],
    ['Portability', `${portabilityLabel[tie.portability.class]}; ${formatPercent(tie.portability.personalShare, locale) ?? '?'} personal`],
  ];
  return (
    <dl className={styles.facts} data-testid="attention">
      {rows.map(([term, value]) => (
        <div key={term} style={{ display: 'contents' }}>
          <dt className={styles.term}>{term}</dt>
          <dd style={{ margin: 0 }}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function WhyFigures({ parts }: { parts: WhyParts }) {
  const figures: string[] = [];
  const n = (value: number | null | undefined): value is number => typeof value === 'number' && Number.isFinite(value);
  if (n(parts.twoWayWeeksLastYear)) figures.push(`${parts.twoWayWeeksLastYear} weeks with messages both ways in the last 52 weeks`);
  if (n(parts.activeWeeks26)) figures.push(`${parts.activeWeeks26} active weeks in the last 26 weeks`);
  if (n(parts.daysSinceLast)) figures.push(parts.daysSinceLast === 0 ? 'last contact today' : `last contact ${parts.daysSinceLast} days ago`);
  if (n(parts.rhythmDays)) figures.push(`usual rhythm about every ${Math.round(parts.rhythmDays)} days`);
  if (figures.length === 0) return null;
  return (
    <ul data-testid="why-figures">
      {figures.map((figure) => (
        <li key={figure}>{figure}</li>
      ))}
    </ul>
  );
}

interface Draft {
  tier: Tier | '';
  positionBased: '' | 'yes' | 'no';
  muted: boolean;
  snoozedUntil: string;
  cadenceDays: string;
  note: string;
}

function draftFrom(tie: TieDetail): Draft {
  const o = tie.overrides;
  return {
    tier: o.tier ?? '',
    positionBased: o.positionBased === true ? 'yes' : o.positionBased === false ? 'no' : '',
    muted: o.muted,
    snoozedUntil: o.snoozedUntil ? o.snoozedUntil.slice(0, 10) : '',
    cadenceDays: o.cadenceDays ? String(o.cadenceDays) : '',
    note: o.note ?? '',
  };
}

function updateFrom(draft: Draft): OverridesUpdate {
  return {
    tier: draft.tier || null,
    positionBased: draft.positionBased === '' ? null : draft.positionBased === 'yes',
    muted: draft.muted,
    snoozedUntil: draft.snoozedUntil || null,
    cadenceDays: draft.cadenceDays ? Number(draft.cadenceDays) : null,
    note: draft.note.trim() ? draft.note : null,
  };
}

function OverridesForm({ tie, onSaved }: { tie: TieDetail; onSaved: (tie: TieDetail) => void }) {
  const styles = useStyles();
  const { api, changed } = useApp();
  const [draft, setDraft] = useState<Draft>(() => draftFrom(tie));
  const [status, setStatus] = useState<string>('');
  const [busy, setBusy] = useState(false);
  useEffect(() => setDraft(draftFrom(tie)), [tie]);
  const cadenceValid = draft.cadenceDays === '' || (/^\d+$/.test(draft.cadenceDays) && Number(draft.cadenceDays) >= 1 && Number(draft.cadenceDays) <= 3650);

  const run = async (action: () => Promise<TieDetail>, done: string): Promise<void> => {
    setBusy(true);
    setStatus('');
    try {
      const saved = await action();
      onSaved(saved);
      changed();
      setStatus(done);
    } catch (error) {
      setStatus(`Not saved: ${error instanceof Error ? error.message : 'unknown error'}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="overrides-title">
      <Title3 block as="h2" id="overrides-title">
        Your settings for this tie
      </Title3>
      <Body1>What you set here wins over what TiesOffice infers.</Body1>
      <div className={styles.buttons} style={{ margin: `${tokens.spacingVerticalM} 0` }}>
        <Button
          disabled={busy}
          onClick={() => void run(() => api.setOverrides(tie.id, { snoozedUntil: dateInDays(7) }), 'Snoozed for a week.')}
        >
          Snooze a week
        </Button>
        <Button disabled={busy} onClick={() => void run(() => api.setOverrides(tie.id, { muted: !tie.overrides.muted }), tie.overrides.muted ? 'Unmuted.' : 'Muted.')}>
          {tie.overrides.muted ? 'Unmute' : 'Mute'}
        </Button>
      </div>
      <form
        className={styles.form}
        onSubmit={(event) => {
          event.preventDefault();
          if (cadenceValid) void run(() => api.setOverrides(tie.id, updateFrom(draft)), 'Saved.');
        }}
      >
        <Field label="Tier">
          <Select value={draft.tier} onChange={(_, d) => setDraft({ ...draft, tier: d.value as Tier | '' })}>
            <option value="">As inferred ({tie.tier})</option>
            <option value="strong">Strong</option>
            <option value="weak">Weak</option>
            <option value="dormant">Dormant</option>
            <option value="pseudo">Pseudo</option>
          </Select>
        </Field>
        <Field label="Tie comes with">
          <Select value={draft.positionBased} onChange={(_, d) => setDraft({ ...draft, positionBased: d.value as Draft['positionBased'] })}>
            <option value="">As inferred</option>
            <option value="yes">My role (position-based)</option>
            <option value="no">Me (personal)</option>
          </Select>
        </Field>
        <Field label="Snoozed until">
          <Input type="date" value={draft.snoozedUntil} onChange={(_, d) => setDraft({ ...draft, snoozedUntil: d.value })} />
        </Field>
        <Field
          label="Keep in touch every (days)"
          validationMessage={cadenceValid ? null : 'A whole number of days from 1 to 3650.'}
        >
          <Input inputMode="numeric" value={draft.cadenceDays} onChange={(_, d) => setDraft({ ...draft, cadenceDays: d.value })} />
        </Field>
        <Switch label="Mute (no suggestions)" checked={draft.muted} onChange={(_, d) => setDraft({ ...draft, muted: d.checked })} />
        <Field label="Private note" hint="Only you see this." style={{ gridColumn: '1 / -1' }}>
          <Textarea value={draft.note} resize="vertical" maxLength={2000} onChange={(_, d) => setDraft({ ...draft, note: d.value })} />
        </Field>
        <div className={styles.buttons}>
          <Button type="submit" appearance="primary" disabled={busy || !cadenceValid}>
            Save
          </Button>
          <Button type="button" disabled={busy || !tie.isOverridden} onClick={() => void run(() => api.clearOverrides(tie.id), 'Back to inferred.')}>
            Clear my settings
          </Button>
        </div>
      </form>
      <Text role="status" data-testid="overrides-status">
        {status}
      </Text>
    </section>
  );
}

export default function TieDetailView({ id }: { id: string }) {
  const styles = useStyles();
  const { locale } = useApp();
  const loaded = useLoad((api) => api.tie(id), [id]);
  if (loaded.loading && !loaded.data) return <Loading label="Loading the tie…" />;
  if (loaded.error !== undefined) {
    return (
      <div className={styles.root}>
        <Link href={hrefFor({ view: 'ties' })}>Back to all ties</Link>
        <ErrorPanel error={loaded.error} onRetry={loaded.reload} />
      </div>
    );
  }
  const tie = loaded.data;
  if (!tie) return <Loading />;
  const name = displayName(tie);
  return (
    <article className={styles.root} data-testid="view-tie" aria-labelledby="tie-title">
      <Link href={hrefFor({ view: 'ties' })}>Back to all ties</Link>
      <header className={styles.header}>
        <Title2 block as="h1" id="tie-title">
          {name}
        </Title2>
        {tie.displayName && <Text>{tie.contact}</Text>}
        <TieBadges tie={tie} locale={locale} />
        <Text>Last contact {formatDate(tie.lastContact, locale)}</Text>
      </header>
      <section aria-labelledby="why-title">
        <Title3 block as="h2" id="why-title">
          Why this tier
        </Title3>
        <Body1 as="p" data-testid="why">
          {tie.why}
        </Body1>
        {tie.whyParts && <WhyFigures parts={tie.whyParts} />}
      </section>
      <section aria-labelledby="timeline-title">
        <Title3 block as="h2" id="timeline-title">
          Week by week
        </Title3>
        <Suspense fallback={<Spinner size="small" label="Drawing the timeline…" />}>
          <TimelineChart timeline={tie.timeline} locale={locale} name={name} />
        </Suspense>
      </section>
      <section aria-labelledby="attention-title">
        <Title3 block as="h2" id="attention-title">
          Attention both ways
        </Title3>
        <AttentionFacts tie={tie} />
      </section>
      <OverridesForm tie={tie} onSaved={loaded.setData} />
    </article>
  );
}
