import { Suspense, lazy, useCallback, useEffect, useMemo, useState } from 'react';
import {
  FluentProvider, Tab, TabList, Text, makeStyles, teamsDarkTheme, teamsHighContrastTheme, teamsLightTheme, tokens,
} from '@fluentui/react-components';
import type { Theme } from '@fluentui/react-components';
import type { ApiClient } from './api/client';
import { ApiError } from './api/client';
import type { Summary } from './api/types';
import { AppContext, useApp, useLoad } from './AppContext';
import type { AppServices } from './AppContext';
import type { HostInfo, ThemeName } from './auth/host';
import { onHostThemeChange } from './auth/host';
import type { Authenticator } from './auth/signIn';
import { ConsentRequired, SignInRequired } from './auth/signIn';
import { ErrorPanel } from './components/ErrorPanel';
import { useFailureState } from './hooks/useFailureState';
import {
  ConsentScreen, EmptyScreen, Loading, NotInstalledScreen, OfflineScreen, ServerErrorScreen, SignInScreen,
} from './components/StateScreen';
import type { Route } from './router';
import { hrefFor, navigate, useRoute } from './router';

const Overview = lazy(() => import('./views/Overview'));
const TiesView = lazy(() => import('./views/TiesView'));
const TieDetailView = lazy(() => import('./views/TieDetailView'));
const RoleChangeView = lazy(() => import('./views/RoleChangeView'));
const ReachView = lazy(() => import('./views/ReachView'));
const SettingsView = lazy(() => import('./views/SettingsView'));

const themes: Record<ThemeName, Theme> = { default: teamsLightTheme, dark: teamsDarkTheme, contrast: teamsHighContrastTheme };

const useStyles = makeStyles({
  provider: { minHeight: '100vh', backgroundColor: tokens.colorNeutralBackground2 },
  shell: { display: 'flex', flexDirection: 'column', maxWidth: '80rem', margin: '0 auto', padding: `0 ${tokens.spacingHorizontalL}` },
  header: { display: 'flex', flexWrap: 'wrap', justifyContent: 'space-between', alignItems: 'center', gap: tokens.spacingHorizontalM, paddingTop: tokens.spacingVerticalS },
  main: { paddingTop: tokens.spacingVerticalL, paddingBottom: tokens.spacingVerticalXXL, display: 'flex', flexDirection: 'column' },
  skip: {
    position: 'absolute',
    left: '-999px',
    ':focus': { left: tokens.spacingHorizontalM, top: tokens.spacingVerticalM, zIndex: 1, backgroundColor: tokens.colorNeutralBackground1, padding: tokens.spacingHorizontalS },
  },
});

type TabKey = 'overview' | 'ties' | 'roles' | 'reach' | 'settings';
const tabs: { key: TabKey; label: string }[] = [
  { key: 'overview', label: 'Overview' },
  { key: 'ties', label: 'Ties' },
  { key: 'roles', label: 'If I changed roles' },
  { key: 'reach', label: 'Reach' },
  { key: 'settings', label: 'Settings and privacy' },
];

function tabFor(route: Route): TabKey {
  return route.view === 'tie' ? 'ties' : route.view;
}

function View({ route, summary, inM365 }: { route: Route; summary: Summary; inM365: boolean }) {
  switch (route.view) {
    case 'overview':
      return <Overview summary={summary} inM365={inM365} />;
    case 'ties':
      return <TiesView initialTier={route.tier} key={route.tier ?? ''} />;
    case 'tie':
      return <TieDetailView id={route.id} key={route.id} />;
    case 'roles':
      return <RoleChangeView />;
    case 'reach':
      return <ReachView />;
    case 'settings':
      return <SettingsView />;
  }
}

function totalTies(summary: Summary): number {
  return summary.tiers.strong + summary.tiers.weak + summary.tiers.dormant + summary.tiers.pseudo;
}

/** The signed-in tab: header, navigation, and the current view (or the empty state before the first sync). */
function Shell({ host, onConsent }: { host: HostInfo; onConsent: () => void }) {
  const styles = useStyles();
  const route = useRoute();
  const summary = useLoad((api) => api.summary(), []);
  const { reload } = summary;
  const data = summary.data;
  const empty = data !== undefined && totalTies(data) === 0;
  const waiting = data !== undefined && (data.sync.state === 'syncing' || data.sync.state === 'notStarted');

  // While the first sync runs, look again every few seconds so the page fills in by itself.
  useEffect(() => {
    if (!(empty && waiting)) return undefined;
    const timer = setInterval(reload, 5000);
    return () => clearInterval(timer);
  }, [empty, waiting, reload]);

  // Settings and privacy stay reachable in every state (to export, delete or exclude before the first sync ends).
  const needsSummary = route.view !== 'settings';
  let content;
  if (!data && summary.loading) content = <Loading />;
  else if (summary.error !== undefined && !data) {
    content = summary.error instanceof ApiError && summary.error.kind === 'server'
      ? <ServerErrorScreen message={summary.error.message} onRetry={reload} />
      : <ErrorPanel error={summary.error} onRetry={reload} />;
  } else if (data && data.sync.state === 'needsConsent') content = <ConsentScreen onConsent={onConsent} />;
  else if (data && empty && needsSummary) content = <EmptyScreen state={data.sync.state} itemsStored={data.sync.itemsStored} />;
  else if (data) {
    content = (
      <Suspense fallback={<Loading label="Opening…" />}>
        <View route={route} summary={data} inM365={host.inM365} />
      </Suspense>
    );
  }

  return (
    <div className={styles.shell}>
      <a href="#main" className={styles.skip} onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>
        Skip to content
      </a>
      <header className={styles.header}>
        <nav aria-label="TiesOffice">
          <TabList selectedValue={tabFor(route)} onTabSelect={(_, d) => navigate({ view: d.value as TabKey })}>
            {tabs.map((tab) => (
              <Tab key={tab.key} value={tab.key} data-href={hrefFor({ view: tab.key })}>
                {tab.label}
              </Tab>
            ))}
          </TabList>
        </nav>
        {data?.user.displayName && <Text data-testid="user-name">{data.user.displayName}</Text>}
      </header>
      <main id="main" tabIndex={-1} className={styles.main}>
        {content}
      </main>
    </div>
  );
}

type Failure = 'signIn' | 'consent' | 'notInstalled' | 'offline' | 'server' | 'deleted';

export interface AppProps {
  api: ApiClient;
  host: HostInfo;
  auth: Authenticator;
}

export function App({ api, host, auth }: AppProps) {
  const styles = useStyles();
  const [theme, setTheme] = useState<ThemeName>(host.theme);
  const { failure, setFailure, attempt: version, retry, reload } = useFailureState<Failure>('offline');

  useEffect(() => onHostThemeChange(host, setTheme), [host]);
  useEffect(() => {
    document.documentElement.lang = host.locale;
  }, [host.locale]);

  const reportFailure = useCallback(
    (error: unknown) => {
      if (error instanceof SignInRequired) setFailure({ kind: 'signIn', message: '' });
      else if (error instanceof ConsentRequired) setFailure({ kind: 'consent', message: '' });
      else if (error instanceof ApiError) {
        if (error.kind === 'unauthorized') {
          auth.forget();
          setFailure({ kind: auth.kind === 'local' ? 'signIn' : 'server', message: error.message });
        } else if (error.kind === 'consent') setFailure({ kind: 'consent', message: '' });
        else if (error.kind === 'notInstalled') setFailure({ kind: 'notInstalled', message: '' });
        else if (error.kind === 'offline') setFailure({ kind: 'offline', message: '' });
        else setFailure({ kind: 'server', message: error.message });
      } else setFailure({ kind: 'server', message: error instanceof Error ? error.message : 'Unknown error' });
    },
    [auth, setFailure],
  );

  const interactive = useCallback(() => {
    auth.interactive().then(retry, (error: unknown) => reportFailure(error instanceof Error ? error : new Error(String(error))));
  }, [auth, retry, reportFailure]);

  const services = useMemo<AppServices>(
    () => ({
      api,
      locale: host.locale,
      reportFailure,
      changed: reload,
      deleted: () => setFailure({ kind: 'deleted', message: '' }),
      version,
    }),
    [api, host.locale, reportFailure, reload, setFailure, version],
  );

  let body;
  switch (failure?.kind) {
    case 'signIn':
      body = <SignInScreen onSignIn={interactive} />;
      break;
    case 'consent':
      body = <ConsentScreen onConsent={interactive} />;
      break;
    case 'notInstalled':
      body = <NotInstalledScreen />;
      break;
    case 'offline':
      body = <OfflineScreen onRetry={retry} />;
      break;
    case 'server':
      body = <ServerErrorScreen message={failure.message} onRetry={retry} />;
      break;
    case 'deleted':
      body = <EmptyScreen state="deleted" />;
      break;
    default:
      body = <Shell host={host} onConsent={interactive} />;
  }

  return (
    <FluentProvider theme={themes[theme]} className={styles.provider} data-theme={theme}>
      <AppContext.Provider value={services}>{failure ? <main>{body}</main> : body}</AppContext.Provider>
    </FluentProvider>
  );
}

export { useApp };
