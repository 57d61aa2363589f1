// The pane's calls: the tie with a message's sender (POST /api/me/sender, docs/Api.md) and the tab's overrides.
import { ApiError, HttpApiClient } from '../api/client';
import type { OverridesUpdate, TieDetail } from '../api/types';

export type SenderLookup =
  | { kind: 'tie'; tie: TieDetail }
  | { kind: 'firstContact' }
  | { kind: 'notTracked' }
  | { kind: 'self' };

export interface PaneApi {
  sender(address: string): Promise<SenderLookup>;
  setOverrides(id: string, update: OverridesUpdate): Promise<TieDetail>;
}

/** A 404 from the sender route says why there is no tie: its problem type ends with the reason. */
export function lookupFromNotFound(error: ApiError): SenderLookup {
  const type = error.problem?.type ?? '';
  if (type.endsWith('/not-tracked')) return { kind: 'notTracked' };
  if (type.endsWith('/self')) return { kind: 'self' };
  return { kind: 'firstContact' };
}

export class PaneHttpClient extends HttpApiClient implements PaneApi {
  async sender(address: string): Promise<SenderLookup> {
    try {
      // The address goes in the body, never in the URL (so it stays out of request logs).
      const tie = await this.json<TieDetail>('/api/me/sender', { method: 'POST', body: JSON.stringify({ address }) });
      return { kind: 'tie', tie };
    } catch (error) {
      if (error instanceof ApiError && error.kind === 'notFound') return lookupFromNotFound(error);
      throw error;
    }
  }
}
