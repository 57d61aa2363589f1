import { describe, expect, it } from 'vitest';
import { ApiError, HttpApiClient } from './client';

function fakeFetch(status: number, body: unknown, headers: Record<string, string> = {}) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetcher = (async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(input), init: init ?? {} });
    return new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
  }) as typeof fetch;
  return { calls, fetcher };
}

describe('HttpApiClient', () => {
  it('Ties_WithFilters_SendsBearerAndQuery', async () => {
    const { calls, fetcher } = fakeFetch(200, { items: [], continuation: null, total: 0 });
    const client = new HttpApiClient('http://host/', () => Promise.resolve('abc'), fetcher);
    await client.ties({ tier: 'weak', q: 'ann', sort: 'name', limit: 50, continuation: 'x y' });
    expect(calls[0]!.url).toBe('http://host/api/me/ties?tier=weak&q=ann&sort=name&limit=50&continuation=x+y');
    expect(new Headers(calls[0]!.init.headers).get('Authorization')).toBe('Bearer abc');
  });

  it('Tie_IdWithSlash_IsEscapedInPath', async () => {
    const { calls, fetcher } = fakeFetch(200, {});
    await new HttpApiClient('', () => Promise.resolve('t'), fetcher).tie('a/b');
    expect(calls[0]!.url).toBe('/api/me/ties/a%2Fb');
  });

  it.each([
    [403, { type: 'https://tiesoffice/problems/not-installed' }, 'notInstalled'],
    [403, { type: 'about:blank', title: 'Forbidden' }, 'consent'],
    [401, {}, 'unauthorized'],
    [404, {}, 'notFound'],
    [400, { detail: 'bad limit' }, 'badRequest'],
    [500, { title: 'boom' }, 'server'],
  ])('Send_Status%s_MapsToKind', async (status, problem, kind) => {
    const { fetcher } = fakeFetch(status, problem);
    const error = await new HttpApiClient('', () => Promise.resolve('t'), fetcher).summary().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).kind).toBe(kind);
  });

  it('Send_NetworkFailure_IsOffline', async () => {
    const fetcher = (() => Promise.reject(new TypeError('Failed to fetch'))) as unknown as typeof fetch;
    const error = await new HttpApiClient('', () => Promise.resolve('t'), fetcher).summary().catch((e: unknown) => e);
    expect((error as ApiError).kind).toBe('offline');
  });

  it('Send_BadRequest_CarriesProblemDetail', async () => {
    const { fetcher } = fakeFetch(400, { title: 'Bad', detail: 'snoozedUntil is in the past' });
    const error = await new HttpApiClient('', () => Promise.resolve('t'), fetcher).setOverrides('x', { snoozedUntil: '2000-01-01' }).catch((e: unknown) => e);
    expect((error as ApiError).message).toBe('snoozedUntil is in the past');
  });

  it('Export_UsesFileNameFromContentDisposition', async () => {
    const { fetcher } = fakeFetch(200, { a: 1 }, { 'Content-Disposition': 'attachment; filename="mine.json"' });
    const result = await new HttpApiClient('', () => Promise.resolve('t'), fetcher).exportData();
    expect(result.fileName).toBe('mine.json');
  });

  it('Delete_SendsConfirmation', async () => {
    const { calls, fetcher } = fakeFetch(204, undefined);
    await new HttpApiClient('', () => Promise.resolve('t'), fetcher).deleteAll('delete my data');
    expect(calls[0]!.init.method).toBe('POST');
    expect(calls[0]!.init.body).toBe('{"confirm":"delete my data"}');
  });
});
