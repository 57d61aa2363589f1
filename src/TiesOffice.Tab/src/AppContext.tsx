import { createContext, useCallback, useContext, useEffect, useRef, useState } from 'react';
import type { ApiClient, FailureKind } from './api/client';
import { ApiError } from './api/client';
import { ConsentRequired, SignInRequired } from './auth/signIn';

export interface AppServices {
  api: ApiClient;
  locale: string;
  /** A failure that concerns the whole app (signed out, offline, not installed, consent) goes up to the shell. */
  reportFailure: (error: unknown) => void;
  /** Data changed (overrides, settings, delete): views showing summaries reload. */
  changed: () => void;
  /** Everything was erased: the tab shows the empty state until the app is installed again. */
  deleted: () => void;
  version: number;
}

export const AppContext = createContext<AppServices | undefined>(undefined);

export function useApp(): AppServices {
  const services = useContext(AppContext);
  if (!services) throw new Error('useApp outside AppContext');
  return services;
}

/** Failures the shell handles with a full screen; others a view shows itself. */
export function isAppWide(error: unknown): boolean {
  if (error instanceof SignInRequired || error instanceof ConsentRequired) return true;
  const appWide: FailureKind[] = ['offline', 'unauthorized', 'consent', 'notInstalled'];
  return error instanceof ApiError && appWide.includes(error.kind);
}

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
  setData: (value: T) => void;
}

/** Loads data for a view; app-wide failures go to the shell, the rest stay in `error`. */
export function useLoad<T>(load: (api: ApiClient) => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const { api, reportFailure, version } = useApp();
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [loading, setLoading] = useState(true);
  const [nonce, setNonce] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    let live = true;
    setLoading(true);
    setError(undefined);
    loadRef.current(api).then(
      (value) => {
        if (!live) return;
        setData(value);
        setLoading(false);
      },
      (failure: unknown) => {
        if (!live) return;
        setLoading(false);
        if (isAppWide(failure)) reportFailure(failure);
        else setError(failure);
      },
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, nonce, version, ...deps]);

  const reload = useCallback(() => setNonce((n) => n + 1), []);
  return { data, error, loading, reload, setData };
}
