import type {
  OverridesUpdate, Problem, Reach, RoleChange, Settings, Summary, TieDetail, TiePage, TieQuery,
} from './types';

/** What the views need from the API. The real client speaks HTTP; unit tests pass a fake. */
export interface ApiClient {
  summary(): Promise<Summary>;
  ties(query: TieQuery): Promise<TiePage>;
  tie(id: string): Promise<TieDetail>;
  setOverrides(id: string, update: OverridesUpdate): Promise<TieDetail>;
  clearOverrides(id: string): Promise<TieDetail>;
  settings(): Promise<Settings>;
  saveSettings(settings: Settings): Promise<Settings>;
  roleChange(): Promise<RoleChange>;
  reach(): Promise<Reach>;
  /** The whole export as a file to download. */
  exportData(): Promise<{ blob: Blob; fileName: string }>;
  deleteAll(confirm: string): Promise<void>;
}

/** Why a call failed, in the terms the screens use. */
export type FailureKind = 'offline' | 'unauthorized' | 'consent' | 'notInstalled' | 'notFound' | 'badRequest' | 'server';

export class ApiError extends Error {
  readonly kind: FailureKind;
  readonly status: number;
  readonly problem: Problem | undefined;

  constructor(kind: FailureKind, status: number, message: string, problem?: Problem) {
    super(message);
    this.name = 'ApiError';
    this.kind = kind;
    this.status = status;
    this.problem = problem;
  }
}

export function failureKind(error: unknown): FailureKind {
  return error instanceof ApiError ? error.kind : 'server';
}

function kindFor(status: number, problem: Problem | undefined): FailureKind {
  if (status === 401) return 'unauthorized';
  if (status === 403) {
    // "…/not-installed": the user or tenant never installed the app (or erased their data). Any other 403 is a token
    // without the API's permission (scope), which the user or an admin grants.
    return problem?.type?.endsWith('/not-installed') ? 'notInstalled' : 'consent';
  }
  if (status === 404) return 'notFound';
  if (status >= 400 && status < 500) return 'badRequest';
  return 'server';
}

export type TokenSource = () => Promise<string>;

function query(params: TieQuery): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '' && value !== null) search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

function fileNameFrom(disposition: string | null): string {
  const match = disposition ? /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition) : null;
  return match?.[1] ? decodeURIComponent(match[1]) : 'tiesoffice-export.json';
}

/** The real client: Bearer token on every call, ProblemDetails turned into ApiError. */
export class HttpApiClient implements ApiClient {
  private readonly baseUrl: string;
  private readonly token: TokenSource;
  private readonly fetcher: typeof fetch;

  constructor(baseUrl: string, token: TokenSource, fetcher: typeof fetch = (input, init) => fetch(input, init)) {
    this.baseUrl = baseUrl.replace(/\/$/, '');
    this.token = token;
    this.fetcher = fetcher;
  }

  private async send(path: string, init: RequestInit = {}): Promise<Response> {
    const token = await this.token();
    const headers = new Headers(init.headers);
    headers.set('Authorization', `Bearer ${token}`);
    headers.set('Accept', 'application/json, application/problem+json');
    if (init.body !== undefined) headers.set('Content-Type', 'application/json');
    let response: Response;
    try {
      response = await this.fetcher(`${this.baseUrl}${path}`, { ...init, headers });
    } catch {
      throw new ApiError('offline', 0, 'The TiesOffice service could not be reached.');
    }
    if (!response.ok) {
      let problem: Problem | undefined;
      try {
        problem = (await response.json()) as Problem;
      } catch {
        problem = undefined;
      }
      const fields = problem?.errors
        ? Object.entries(problem.errors).map(([field, messages]) => `${field}: ${messages.join(' ')}`).join('; ')
        : '';
      const base = problem?.detail ?? problem?.title ?? `The service answered ${response.status}.`;
      const message = fields && !base.includes(fields) ? `${base} (${fields})` : base;
      throw new ApiError(kindFor(response.status, problem), response.status, message, problem);
    }
    return response;
  }

  protected async json<T>(path: string, init?: RequestInit): Promise<T> {
    const response = await this.send(path, init);
    return (await response.json()) as T;
  }

  summary(): Promise<Summary> {
    return this.json('/api/me/summary');
  }

  ties(params: TieQuery): Promise<TiePage> {
    return this.json(`/api/me/ties${query(params)}`);
  }

  tie(id: string): Promise<TieDetail> {
    return this.json(`/api/me/ties/${encodeURIComponent(id)}`);
  }

  setOverrides(id: string, update: OverridesUpdate): Promise<TieDetail> {
    return this.json(`/api/me/ties/${encodeURIComponent(id)}/overrides`, { method: 'PUT', body: JSON.stringify(update) });
  }

  clearOverrides(id: string): Promise<TieDetail> {
    return this.json(`/api/me/ties/${encodeURIComponent(id)}/overrides`, { method: 'DELETE' });
  }

  settings(): Promise<Settings> {
    return this.json('/api/me/settings');
  }

  saveSettings(settings: Settings): Promise<Settings> {
    return this.json('/api/me/settings', { method: 'PUT', body: JSON.stringify(settings) });
  }

  roleChange(): Promise<RoleChange> {
    return this.json('/api/me/role-change');
  }

  reach(): Promise<Reach> {
    return this.json('/api/me/reach');
  }

  async exportData(): Promise<{ blob: Blob; fileName: string }> {
    const response = await this.send('/api/me/export');
    return { blob: await response.blob(), fileName: fileNameFrom(response.headers.get('Content-Disposition')) };
  }

  async deleteAll(confirm: string): Promise<void> {
    await this.send('/api/me/delete', { method: 'POST', body: JSON.stringify({ confirm }) });
  }
}
