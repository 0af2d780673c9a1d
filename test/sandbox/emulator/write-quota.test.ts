/**
 * Graph's write quota per app and tenant, in the emulator: writes beyond it answer Graph's 429
 * body with Retry-After (single requests and each `$batch` part), reads are never counted, another
 * app has its own quota, the window slides, and the priority a write carried is journaled.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { callerApp, createWriteQuota, GRAPH_WRITE_QUOTA, parseWriteQuota } from '../../../src/sandbox/emulator/write-quota.ts';
import { parseCliArgs } from '../../../src/sandbox/emulator/cli-args.ts';
import { errorOf, ID, startGraph, type Harness } from './graph-harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const patch = (harness: Harness, id: string, token = 'test', headers: Record<string, string> = {}) =>
  harness.raw(`/v1.0/users/${id}`, {
    method: 'PATCH',
    token,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ displayName: `renamed ${Math.random()}` }),
  });

function jwt(claims: Record<string, string>): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'none' })}.${part(claims)}.sig`;
}

describe('the write quota', () => {
  it("answers writes beyond it with Graph's 429 and Retry-After; reads and other apps are not counted", async () => {
    h = await startGraph({ writeQuota: { writes: 3, windowSeconds: 30 } });
    for (let i = 0; i < 3; i += 1) expect((await patch(h, ID.jane)).status).toBe(204);
    expect((await h.raw('/v1.0/users')).status).toBe(200);
    const refused = await patch(h, ID.jane);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(29);
    expect(await errorOf(refused)).toMatchObject({ code: 'TooManyRequests', message: 'Please retry again later.' });
    expect((await patch(h, ID.jane, 'another-apps-token')).status).toBe(204);
    expect([...h.emulator.quotaRefusals().values()]).toEqual([1]);
    expect(h.emulator.state.graphWrites()).toHaveLength(4);
  });

  it('counts each $batch part: the parts beyond the quota answer 429 with Retry-After inside a 200 batch', async () => {
    h = await startGraph({ writeQuota: { writes: 2, windowSeconds: 30 } });
    const requests = [ID.jane, ID.bob, ID.alice, ID.admin].map((id, i) => ({
      id: String(i),
      method: 'PATCH',
      url: `/users/${id}`,
      headers: { 'content-type': 'application/json' },
      body: { displayName: `n${i}` },
    }));
    const batch = await h.raw('/v1.0/$batch', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ requests }),
    });
    expect(batch.status).toBe(200);
    const { responses } = (await batch.json()) as { responses: { id: string; status: number; headers: Record<string, string> }[] };
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([204, 204, 429, 429]);
    for (const r of responses.filter((x) => x.status === 429)) expect(Number(r.headers['Retry-After'])).toBeGreaterThan(0);
  });

  it('journals the priority a write carried', async () => {
    h = await startGraph();
    await patch(h, ID.jane, 'test', { 'x-ms-throttle-priority': 'low' });
    await patch(h, ID.bob);
    expect(h.emulator.state.graphWrites().map((w) => w.priority)).toEqual(['low', undefined]);
  });

  it('slides: a write is admitted again once the oldest leaves the window', () => {
    let now = 0;
    const quota = createWriteQuota({ writes: 2, windowSeconds: 10 }, () => now);
    expect(quota.admit('a').admitted).toBe(true);
    now = 4_000;
    expect(quota.admit('a').admitted).toBe(true);
    now = 6_000;
    expect(quota.admit('a')).toEqual({ admitted: false, retryAfterSeconds: 4 });
    expect(quota.admit('b').admitted).toBe(true);
    now = 10_001;
    expect(quota.admit('a').admitted).toBe(true);
    expect(quota.refusals()).toEqual(new Map([['a', 1]]));
  });

  it("tells apps apart by their token's appid (or azp), opaque tokens by a digest", () => {
    expect(callerApp(`Bearer ${jwt({ appid: 'app-1' })}`)).toBe('app-1');
    expect(callerApp(`Bearer ${jwt({ azp: 'app-2' })}`)).toBe('app-2');
    expect(callerApp('Bearer opaque')).toMatch(/^token:[0-9a-f]{16}$/);
    expect(callerApp('Bearer opaque')).not.toBe(callerApp('Bearer other'));
  });

  it("defaults to Graph's documented 3,000 writes per 150 s; --write-quota sets another or turns it off", () => {
    expect(GRAPH_WRITE_QUOTA).toEqual({ writes: 3000, windowSeconds: 150 });
    expect(parseWriteQuota('200/10')).toEqual({ writes: 200, windowSeconds: 10 });
    expect(parseWriteQuota('off')).toBeNull();
    const bad = parseWriteQuota('0/10');
    expect(bad !== null && 'problem' in bad && bad.problem).toMatch(/<writes>\/<seconds>/);
    expect(parseCliArgs(['--seed', 's.json']).writeQuota).toEqual(GRAPH_WRITE_QUOTA);
    expect(parseCliArgs(['--seed', 's.json', '--write-quota', '50/5']).writeQuota).toEqual({ writes: 50, windowSeconds: 5 });
    expect(() => parseCliArgs(['--seed', 's.json', '--write-quota', 'lots'])).toThrow(/--write-quota: must be <writes>\/<seconds>/);
  });
});
