import { useCallback, useEffect, useState } from 'react';

/** A failure the app shows a whole screen for, with the server's message where there is one. */
export interface ShownFailure<K extends string> {
  kind: K;
  message: string;
}

/**
 * The failure an app is showing, and how to leave it: `retry` clears it and bumps `attempt`, which effects that load
 * data depend on; `reload` bumps `attempt` alone (data changed). Going offline shows the offline failure; coming back
 * online retries.
 */
export function useFailureState<K extends string>(offlineKind: K): {
  failure: ShownFailure<K> | undefined;
  setFailure: (failure: ShownFailure<K> | undefined) => void;
  attempt: number;
  retry: () => void;
  reload: () => void;
} {
  const [failure, setFailure] = useState<ShownFailure<K> | undefined>(undefined);
  const [attempt, setAttempt] = useState(0);

  const retry = useCallback(() => {
    setFailure(undefined);
    setAttempt((n) => n + 1);
  }, []);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);

  useEffect(() => {
    const offline = (): void => setFailure({ kind: offlineKind, message: '' });
    window.addEventListener('offline', offline);
    window.addEventListener('online', retry);
    if (!navigator.onLine) offline();
    return () => {
      window.removeEventListener('offline', offline);
      window.removeEventListener('online', retry);
    };
  }, [offlineKind, retry]);

  return { failure, setFailure, attempt, retry, reload };
}
