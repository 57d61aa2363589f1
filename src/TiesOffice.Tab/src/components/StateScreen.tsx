import type { ReactNode } from 'react';
import { Button, ProgressBar, Spinner, Text, Title2, makeStyles, tokens } from '@fluentui/react-components';

const useStyles = makeStyles({
  root: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'flex-start',
    gap: tokens.spacingVerticalM,
    maxWidth: '40rem',
    padding: tokens.spacingHorizontalXXL,
  },
});

interface StateScreenProps {
  title: string;
  children?: ReactNode;
  action?: { label: string; onClick: () => void };
  testId: string;
}

/** A whole-page message with at most one action: what every non-ready state shows instead of a blank page. */
export function StateScreen({ title, children, action, testId }: StateScreenProps) {
  const styles = useStyles();
  return (
    <section className={styles.root} data-testid={testId} aria-labelledby={`${testId}-title`}>
      <Title2 block as="h1" id={`${testId}-title`}>
        {title}
      </Title2>
      {children}
      {action && (
        <Button appearance="primary" onClick={action.onClick}>
          {action.label}
        </Button>
      )}
    </section>
  );
}

export function Loading({ label = 'Loading your network…' }: { label?: string }) {
  return (
    <div role="status" data-testid="state-loading" style={{ padding: tokens.spacingHorizontalXXL }}>
      <Spinner label={label} />
    </div>
  );
}

export function SignInScreen({ onSignIn }: { onSignIn: () => void }) {
  return (
    <StateScreen title="Sign in to TiesOffice" testId="state-sign-in" action={{ label: 'Sign in', onClick: onSignIn }}>
      <Text>Sign in to see your network. On the demo host, you pick a demo user.</Text>
    </StateScreen>
  );
}

export function ConsentScreen({ onConsent }: { onConsent: () => void }) {
  return (
    <StateScreen title="TiesOffice needs your permission" testId="state-consent" action={{ label: 'Grant permission', onClick: onConsent }}>
      <Text>
        To show your network, TiesOffice reads when you and your contacts wrote and met (never the content). Grant the
        permission to continue; if your organisation requires it, ask an administrator to approve TiesOffice.
      </Text>
    </StateScreen>
  );
}

export function NotInstalledScreen() {
  return (
    <StateScreen title="TiesOffice isn't set up for you yet" testId="state-not-installed">
      <Text>
        Your account or organisation has not installed TiesOffice. Add the app in Teams (Apps, then search for
        TiesOffice), or ask your administrator to install it for your organisation.
      </Text>
    </StateScreen>
  );
}

export function OfflineScreen({ onRetry }: { onRetry: () => void }) {
  return (
    <StateScreen title="You're offline" testId="state-offline" action={{ label: 'Try again', onClick: onRetry }}>
      <Text>TiesOffice can't reach its service. Check your connection; the page tries again when you're back online.</Text>
    </StateScreen>
  );
}

export function ServerErrorScreen({ message, onRetry }: { message: string; onRetry: () => void }) {
  return (
    <StateScreen title="Something went wrong" testId="state-server-error" action={{ label: 'Try again', onClick: onRetry }}>
      <Text>TiesOffice's service could not answer. Nothing you changed was lost.</Text>
      <Text size={200}>Details: {message}</Text>
    </StateScreen>
  );
}

export function EmptyScreen({ itemsStored, state }: { itemsStored?: number | null | undefined; state: string }) {
  if (state === 'deleted') {
    return (
      <StateScreen title="Your data was deleted" testId="state-empty">
        <Text>
          TiesOffice holds nothing about you now: no ties, scores, notes or settings. It will not read your mail or
          calendar again unless you install the app again.
        </Text>
      </StateScreen>
    );
  }
  const syncing = state === 'syncing';
  return (
    <StateScreen title={syncing ? 'Reading your mail and calendar…' : 'Your network will appear here'} testId="state-empty">
      <Text>
        {syncing
          ? 'TiesOffice is reading when you wrote and met (not what was said) to score your ties. This page updates by itself.'
          : 'TiesOffice has no data for you yet. Your first sync starts shortly after you install the app; this page updates by itself.'}
      </Text>
      <ProgressBar aria-label="Sync progress" {...(syncing ? {} : { value: 0 })} thickness="large" />
      {typeof itemsStored === 'number' && <Text>{itemsStored.toLocaleString()} messages and meetings read so far.</Text>}
    </StateScreen>
  );
}
