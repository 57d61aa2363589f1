import { Suspense, lazy, useState } from 'react';
import {
  Body1, Button, Card, CardHeader, Link, Spinner, Subtitle2, Text, Title3, makeStyles, tokens,
} from '@fluentui/react-components';
import type { Suggestion, Summary, Tier } from '../api/types';
import { tiers } from '../api/types';
import { useApp } from '../AppContext';
import { dateInDays, displayName, formatDate, tierLabel } from '../format';
import { hrefFor } from '../router';

const NetworkChart = lazy(() => import('../components/NetworkChart'));

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXL },
  counts: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(9rem, 1fr))', gap: tokens.spacingHorizontalM },
  count: { display: 'block', fontSize: tokens.fontSizeHero800, fontWeight: tokens.fontWeightSemibold, lineHeight: tokens.lineHeightHero800 },
  list: { listStyleType: 'none', padding: 0, margin: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap', marginTop: tokens.spacingVerticalS },
});

const tierHint: Record<Tier, string> = {
  strong: 'frequent, two-way',
  weak: 'real, but light',
  dormant: 'quiet for months',
  pseudo: 'one-way or automated',
};

function TierCounts({ summary }: { summary: Summary }) {
  const styles = useStyles();
  return (
    <section aria-labelledby="tier-counts-title">
      <Title3 block as="h2" id="tier-counts-title">
        Your ties
      </Title3>
      <div className={styles.counts}>
        {tiers.map((tier) => (
          <Card key={tier} data-testid={`tier-count-${tier}`}>
            <Link href={hrefFor({ view: 'ties', tier })} aria-label={`${summary.tiers[tier]} ${tierLabel[tier]} ties: show them`}>
              <span className={styles.count}>{summary.tiers[tier].toLocaleString()}</span>
              <span>{tierLabel[tier]}</span>
            </Link>
            <Text size={200}>{tierHint[tier]}</Text>
          </Card>
        ))}
      </div>
    </section>
  );
}

function chatLink(address: string, inM365: boolean): string {
  return inM365 ? `https://teams.microsoft.com/l/chat/0/0?users=${encodeURIComponent(address)}` : `mailto:${address}`;
}

function SuggestionCard({ suggestion, inM365, onSnoozed }: { suggestion: Suggestion; inM365: boolean; onSnoozed: (until: string) => void }) {
  const { api, locale, changed } = useApp();
  const styles = useStyles();
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  const name = displayName(suggestion);
  const snooze = async (): Promise<void> => {
    setBusy(true);
    setFailed(false);
    const until = dateInDays(7);
    try {
      await api.setOverrides(suggestion.tieId, { snoozedUntil: until });
      onSnoozed(until);
      changed();
    } catch {
      setFailed(true);
    } finally {
      setBusy(false);
    }
  };
  return (
    <li>
      <Card>
        <CardHeader header={<Subtitle2 as="h3">{name}</Subtitle2>} description={<Text size={200}>{suggestion.routeText}</Text>} />
        <Body1>{suggestion.why}</Body1>
        <Text size={200}>Suggested for {formatDate(suggestion.day, locale)}</Text>
        <div className={styles.actions}>
          <Button as="a" appearance="primary" href={chatLink(suggestion.contact, inM365)} target="_blank" rel="noreferrer">
            {inM365 ? `Chat with ${name}` : `Write to ${name}`}
          </Button>
          <Button as="a" href={hrefFor({ view: 'tie', id: suggestion.tieId })}>
            Open
          </Button>
          <Button onClick={() => void snooze()} disabled={busy} aria-label={`Snooze ${name} for a week`}>
            Snooze a week
          </Button>
        </div>
        {failed && <Text role="alert">That didn't work; try again.</Text>}
      </Card>
    </li>
  );
}

export default function Overview({ summary, inM365 }: { summary: Summary; inM365: boolean }) {
  const styles = useStyles();
  const { locale } = useApp();
  // Snoozed here: kept on screen as a confirmation even after the refreshed summary drops them.
  const [snoozed, setSnoozed] = useState<{ tieId: string; name: string; until: string }[]>([]);
  const open = summary.suggestions.filter((s) => !snoozed.some((z) => z.tieId === s.tieId));
  const done = snoozed;
  return (
    <div className={styles.root} data-testid="view-overview">
      <TierCounts summary={summary} />
      <section aria-labelledby="history-title">
        <Title3 block as="h2" id="history-title">
          Your network over 12 months
        </Title3>
        <Suspense fallback={<Spinner size="small" label="Drawing the chart…" />}>
          <NetworkChart history={summary.history} locale={locale} />
        </Suspense>
      </section>
      <section aria-labelledby="tend-title">
        <Title3 block as="h2" id="tend-title">
          To tend this week
        </Title3>
        {open.length === 0 && done.length === 0 && <Body1>Nothing to tend this week. Your network is in good shape.</Body1>}
        <ul className={styles.list} data-testid="suggestions">
          {open.map((suggestion) => (
            <SuggestionCard
              key={suggestion.tieId}
              suggestion={suggestion}
              inM365={inM365}
              onSnoozed={(until) => setSnoozed((z) => [...z, { tieId: suggestion.tieId, name: displayName(suggestion), until }])}
            />
          ))}
        </ul>
        {done.length > 0 && (
          <Text role="status">
            Snoozed: {done.map((z) => `${z.name} (until ${formatDate(z.until, locale)})`).join(', ')}
          </Text>
        )}
      </section>
    </div>
  );
}
