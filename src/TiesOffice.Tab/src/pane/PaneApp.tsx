// The Outlook sender pane: signs in like the tab, looks up the open message's sender, and shows one of the sender
// views; every other state (loading, sign-in, consent, not installed, offline, server error) has its own screen.
import { useCallback, useEffect, useState } from 'react';
import { FluentProvider, makeStyles, tokens, webDarkTheme, webLightTheme, teamsHighContrastTheme } from '@fluentui/react-components';
import type { Theme } from '@fluentui/react-components';
import { ApiError } from '../api/client';
import type { ThemeName } from '../auth/host';
import type { Authenticator } from '../auth/signIn';
import { ConsentRequired, SignInRequired } from '../auth/signIn';
import {
  ConsentScreen, Loading, NotInstalledScreen, OfflineScreen, ServerErrorScreen, SignInScreen,
} from '../components/StateScreen';
import type { PaneApi, SenderLookup } from './api';
import { useFailureState } from '../hooks/useFailureState';
import type { OfficeInfo } from './office';
import { onOfficeThemeChange } from './office';
import { FirstContact, KnownSender, NoMessage, NotTracked, OwnMessage, UnsupportedOutlook } from './SenderViews';

// Outlook's own look: Fluent's web themes (the Teams themes are for Teams).
const themes: Record<ThemeName, Theme> = { default: webLightTheme, dark: webDarkTheme, contrast: teamsHighContrastTheme };

const useStyles = makeStyles({
  provider: { minHeight: '100vh', backgroundColor: tokens.colorNeutralBackground2 },
});

type Failure = 'signIn' | 'consent' | 'notInstalled' | 'offline' | 'server';

export interface PaneAppProps {
  api: PaneApi;
  /** Undefined in an Outlook that cannot do nested app authentication. */
  auth: Authenticator | undefined;
  office: OfficeInfo;
}

function failureOf(error: unknown): { kind: Failure; message: string } {
  if (error instanceof SignInRequired) return { kind: 'signIn', message: '' };
  if (error instanceof ConsentRequired) return { kind: 'consent', message: '' };
  if (error instanceof ApiError) {
    if (error.kind === 'unauthorized') return { kind: 'signIn', message: error.message };
    if (error.kind === 'consent') return { kind: 'consent', message: '' };
    if (error.kind === 'notInstalled') return { kind: 'notInstalled', message: '' };
    if (error.kind === 'offline') return { kind: 'offline', message: '' };
    return { kind: 'server', message: error.message };
  }
  return { kind: 'server', message: error instanceof Error ? error.message : 'Unknown error' };
}

export function PaneApp({ api, auth, office }: PaneAppProps) {
  const styles = useStyles();
  const [theme, setTheme] = useState<ThemeName>(office.theme);
  const [lookup, setLookup] = useState<SenderLookup | undefined>(undefined);
  const { failure, setFailure, attempt, retry } = useFailureState<Failure>('offline');
  const sender = office.sender;

  useEffect(() => onOfficeThemeChange(setTheme), []);
  useEffect(() => {
    document.documentElement.lang = office.locale;
  }, [office.locale]);

  useEffect(() => {
    if (!sender || !auth || !navigator.onLine) return undefined;
    let live = true;
    setLookup(undefined);
    api.sender(sender.address).then(
      (value) => {
        if (live) setLookup(value);
      },
      (error: unknown) => {
        if (!live) return;
        const f = failureOf(error);
        if (f.kind === 'signIn') auth.forget();
        setFailure(f);
      },
    );
    return () => {
      live = false;
    };
  }, [api, auth, sender, attempt, setFailure]);

  const interactive = useCallback(() => {
    auth?.interactive().then(retry, (error: unknown) => setFailure(failureOf(error)));
  }, [auth, retry, setFailure]);

  let body;
  if (!sender) body = <NoMessage />;
  else if (!auth) body = <UnsupportedOutlook />;
  else if (failure?.kind === 'signIn') body = <SignInScreen onSignIn={interactive} />;
  else if (failure?.kind === 'consent') body = <ConsentScreen onConsent={interactive} />;
  else if (failure?.kind === 'notInstalled') body = <NotInstalledScreen />;
  else if (failure?.kind === 'offline') body = <OfflineScreen onRetry={retry} />;
  else if (failure?.kind === 'server') body = <ServerErrorScreen message={failure.message} onRetry={retry} />;
  else if (!lookup) body = <Loading label="Looking up the sender…" />;
  else if (lookup.kind === 'tie') {
    const tie = lookup.tie;
    body = (
      <KnownSender
        key={tie.id}
        tie={tie}
        locale={office.locale}
        senderName={sender.displayName}
        onSnooze={(until) => api.setOverrides(tie.id, { snoozedUntil: until })}
      />
    );
  } else if (lookup.kind === 'notTracked') body = <NotTracked sender={sender} />;
  else if (lookup.kind === 'self') body = <OwnMessage />;
  else body = <FirstContact sender={sender} />;

  return (
    <FluentProvider theme={themes[theme]} className={styles.provider} data-theme={theme}>
      <main>{body}</main>
    </FluentProvider>
  );
}
