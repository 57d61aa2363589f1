// What the pane shows for a message's sender: the tie (known sender), a first contact, not tracked (excluded), the
// user's own message, or no message open.
import { useState } from 'react';
import {
  Body1, Button, Caption1, Link, MessageBar, MessageBarBody, Text, Title3, makeStyles, tokens,
} from '@fluentui/react-components';
import type { TieDetail } from '../api/types';
import { TieBadges } from '../components/TieBadges';
import { dateInDays, displayName, formatDate, formatPercent, portabilityLabel } from '../format';
import { nextStep, owedText, reciprocityText } from './nextStep';
import type { Sender } from './office';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, padding: tokens.spacingHorizontalM },
  header: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS, overflowWrap: 'anywhere' },
  facts: { display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: tokens.spacingHorizontalM, rowGap: tokens.spacingVerticalXS, margin: 0 },
  term: { fontWeight: tokens.fontWeightSemibold },
  step: {
    display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, padding: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusMedium, backgroundColor: tokens.colorNeutralBackground1, border: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  buttons: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap', alignItems: 'center' },
});

/** The tab's address for a route (the pane and the tab are served from the same origin). */
export function tabLink(route: string): string {
  return new URL(`../tab/${route}`, document.baseURI).toString();
}

function Header({ name, address }: { name: string; address: string }) {
  const styles = useStyles();
  return (
    <header className={styles.header}>
      <Title3 as="h1" block>
        {name}
      </Title3>
      {name !== address && <Caption1>{address}</Caption1>}
    </header>
  );
}

function Facts({ rows }: { rows: [string, string][] }) {
  const styles = useStyles();
  return (
    <dl className={styles.facts} data-testid="pane-facts">
      {rows.map(([term, value]) => (
        <div key={term} style={{ display: 'contents' }}>
          <dt className={styles.term}>{term}</dt>
          <dd style={{ margin: 0 }}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export interface KnownSenderProps {
  tie: TieDetail;
  locale: string;
  /** Saves a snooze (Done and Snooze); returns the tie as saved. */
  onSnooze: (until: string) => Promise<TieDetail>;
  /** The name Outlook shows for the sender, used when TiesOffice has none. */
  senderName?: string;
  now?: Date;
}

/** A sender the user has a tie with: the tier, last contact, who owes a reply, reciprocity, portability, next step. */
export function KnownSender({ tie: initial, locale, onSnooze, senderName, now }: KnownSenderProps) {
  const styles = useStyles();
  const [tie, setTie] = useState(initial);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState('');
  const step = nextStep(tie, locale, now);

  const act = (days: number, said: (saved: TieDetail) => string) => {
    setBusy(true);
    setFailed('');
    onSnooze(dateInDays(days, now)).then(
      (saved) => {
        setTie(saved);
        setStatus(said(saved));
        setBusy(false);
      },
      (error: unknown) => {
        setFailed(error instanceof Error ? error.message : 'The change could not be saved.');
        setBusy(false);
      },
    );
  };

  const share = formatPercent(tie.portability.personalShare, locale);
  return (
    <section className={styles.root} data-testid="pane-known" aria-labelledby="pane-known-title">
      <div id="pane-known-title">
        <Header name={tie.displayName?.trim() ? displayName(tie) : senderName || tie.contact} address={tie.contact} />
      </div>
      <TieBadges tie={tie} locale={locale} />
      <Facts
        rows={[
          ['Last contact', formatDate(tie.lastContact, locale)],
          ['Who owes a reply', owedText(tie)],
          ['Reciprocity', reciprocityText(tie, locale)],
          ['Portability', share ? `${portabilityLabel[tie.portability.class]}; ${share} personal` : portabilityLabel[tie.portability.class]],
        ]}
      />
      <Body1 as="p" style={{ margin: 0 }} data-testid="pane-why">
        {tie.why}
      </Body1>
      <section className={styles.step} aria-labelledby="pane-next-step-title" data-testid="pane-next-step">
        <Text as="h2" weight="semibold" id="pane-next-step-title" style={{ margin: 0 }}>
          Next step
        </Text>
        <Body1 as="p" style={{ margin: 0 }} data-testid="pane-next-step-text" data-kind={step.kind}>
          {step.text}
        </Body1>
        <div className={styles.buttons}>
          <Button appearance="primary" disabled={busy} onClick={() => act(14, () => 'Noted: you reached out. No nudges about them for two weeks.')}>
            Done
          </Button>
          <Button disabled={busy} onClick={() => act(7, (saved) => `Snoozed until ${formatDate(saved.snoozedUntil, locale)}.`)}>
            Snooze a week
          </Button>
          <Link href={tabLink(`#/ties/${encodeURIComponent(tie.id)}`)} target="_blank" rel="noopener">
            Open in TiesOffice
          </Link>
        </div>
        <Text role="status" data-testid="pane-status">
          {status}
        </Text>
        {failed && (
          <MessageBar intent="error">
            <MessageBarBody>{failed}</MessageBarBody>
          </MessageBar>
        )}
      </section>
    </section>
  );
}

/** No tie yet: what TiesOffice would need to see, and how to start one. */
export function FirstContact({ sender }: { sender: Sender }) {
  const styles = useStyles();
  return (
    <section className={styles.root} data-testid="pane-first-contact" aria-labelledby="pane-first-title">
      <div id="pane-first-title">
        <Header name={sender.displayName} address={sender.address} />
      </div>
      <Text weight="semibold">First contact</Text>
      <Body1 as="p" style={{ margin: 0 }}>
        You have no tie with them yet: TiesOffice has not seen the two of you write to each other or meet.
      </Body1>
      <section className={styles.step} aria-labelledby="pane-first-step-title" data-testid="pane-next-step">
        <Text as="h2" weight="semibold" id="pane-first-step-title" style={{ margin: 0 }}>
          Next step
        </Text>
        <Body1 as="p" style={{ margin: 0 }}>
          If this matters to you, answer within a day or two: a reply is what starts a tie. It shows up here after the
          next sync.
        </Body1>
        <div className={styles.buttons}>
          <Link href={tabLink('#/settings')} target="_blank" rel="noopener">
            Never track this address (Settings and privacy)
          </Link>
        </div>
      </section>
    </section>
  );
}

/** The sender's address or domain is on the user's never-track list: nothing is shown or kept. */
export function NotTracked({ sender }: { sender: Sender }) {
  const styles = useStyles();
  return (
    <section className={styles.root} data-testid="pane-not-tracked" aria-labelledby="pane-not-tracked-title">
      <Title3 as="h1" block id="pane-not-tracked-title">
        Not tracked
      </Title3>
      <Body1 as="p" style={{ margin: 0, overflowWrap: 'anywhere' }}>
        {sender.address}: this address or its domain is on your never-track list. TiesOffice keeps nothing about it
        and shows nothing here.
      </Body1>
      <Link href={tabLink('#/settings')} target="_blank" rel="noopener">
        Change the list in Settings and privacy
      </Link>
    </section>
  );
}

/** A message the user sent (Sent Items): the pane is about other people. */
export function OwnMessage() {
  const styles = useStyles();
  return (
    <section className={styles.root} data-testid="pane-self" aria-labelledby="pane-self-title">
      <Title3 as="h1" block id="pane-self-title">
        This message is from you
      </Title3>
      <Body1 as="p" style={{ margin: 0 }}>
        Open a message someone else sent to see your relationship with them.
      </Body1>
    </section>
  );
}

/** No message open (or outside Outlook with nothing to read). */
export function NoMessage() {
  const styles = useStyles();
  return (
    <section className={styles.root} data-testid="pane-no-message" aria-labelledby="pane-no-message-title">
      <Title3 as="h1" block id="pane-no-message-title">
        Open a message
      </Title3>
      <Body1 as="p" style={{ margin: 0 }}>
        TiesOffice shows your relationship with the sender of the message you are reading.
      </Body1>
    </section>
  );
}

/** Outlook without nested app authentication: no sign-in is possible (the legacy Exchange tokens are not used). */
export function UnsupportedOutlook() {
  const styles = useStyles();
  return (
    <section className={styles.root} data-testid="pane-unsupported" aria-labelledby="pane-unsupported-title">
      <Title3 as="h1" block id="pane-unsupported-title">
        This Outlook can't sign you in to TiesOffice
      </Title3>
      <Body1 as="p" style={{ margin: 0 }}>
        TiesOffice signs in with nested app authentication, which Outlook on the web, the new Outlook on Windows, classic
        Outlook on Windows (current versions), Outlook on Mac and Outlook mobile support. Update Outlook, or open
        TiesOffice in Teams.
      </Body1>
    </section>
  );
}
