/**
 * Transient Graph faults are ridden out within the call's time budget, and writes take effect at
 * most once: a fake HTTP layer and a fake clock (fake-graph.ts) play 503 windows, throttling with
 * Retry-After, connection resets and answers lost after the write happened.
 */
import { describe, expect, it } from 'vitest';
import { CloudError } from '../../src/errors/index.ts';
import { clearObjectIdentifier } from '../../src/cloud-directory/cloud-sync.ts';
import { purgeDeletedUser, setImmutableId, setUserPrincipalName } from '../../src/cloud-directory/writes.ts';
import { fakeGraph, graphError, type FakeAnswer, type FakeRequest } from './fake-graph.ts';
import { rejectionOf } from './harness.ts';

const USER = '0b0e0000-0000-4000-8000-000000000001';
const OP = { what: 'read a user', permission: 'User.Read.All' };
const UNAVAILABLE = graphError(503, 'serviceNotAvailable', 'The service is temporarily unavailable.');
const OK: FakeAnswer = { status: 200, body: { id: USER } };

const read = (g: ReturnType<typeof fakeGraph>) => g.transport.call(OP, (request) => request(`/users/${USER}`).get() as Promise<unknown>);

async function cloudError(promise: Promise<unknown>): Promise<CloudError> {
  const err = await rejectionOf(promise);
  expect(err).toBeInstanceOf(CloudError);
  return err as CloudError;
}

describe('transient faults within the time budget', () => {
  it('rides out a 3 s window of 503 with backoff, past the four tries that used to give up inside it', async () => {
    const g = fakeGraph((_, now) => (now < 3_000 ? UNAVAILABLE : OK));
    expect(await read(g)).toEqual({ id: USER });
    expect(g.now()).toBeGreaterThanOrEqual(3_000);
    expect(g.requests.length).toBeGreaterThan(4);
    // Exponential with jitter (random 0.5 → 75 % of 500, 1000, 2000 ms...), capped at 5 s.
    expect(g.sleeps.slice(0, 3)).toEqual([375, 750, 1_500]);
  });

  it('rides out a window of connection resets and unanswered requests the same way', async () => {
    const g = fakeGraph((_, now) => (now < 2_000 ? { error: 'ECONNRESET' } : now < 4_000 ? { error: 'UND_ERR_SOCKET' } : OK));
    expect(await read(g)).toEqual({ id: USER });
    expect(g.now()).toBeGreaterThanOrEqual(4_000);
  });

  it("waits exactly Graph's Retry-After on 429, as often as Graph asks", async () => {
    const throttled = graphError(429, 'TooManyRequests', 'Please retry again later.', { 'Retry-After': '2' });
    const g = fakeGraph(() => (g.requests.length <= 3 ? throttled : OK));
    expect(await read(g)).toEqual({ id: USER });
    expect(g.sleeps).toEqual([2_000, 2_000, 2_000]);
    expect(g.requests.map((r) => r.at)).toEqual([0, 2_000, 4_000, 6_000]);
  });

  it('gives up when the budget is spent with CLOUD_UNAVAILABLE naming the fault, the tries and the time', async () => {
    const g = fakeGraph(() => UNAVAILABLE, { budgetMs: 20_000 });
    const err = await cloudError(read(g));
    expect([err.code, err.status, err.graphCode]).toEqual(['CLOUD_UNAVAILABLE', 503, 'serviceNotAvailable']);
    expect(err.message).toMatch(
      /^Microsoft Graph did not answer the request to read a user after \d+ attempts over 1\d(\.\d)? s \(503 serviceNotAvailable: The service is temporarily unavailable\.\)\.$/,
    );
    expect(g.now()).toBeLessThanOrEqual(20_000);
  });

  it('names the network fault when the connection keeps being reset', async () => {
    const g = fakeGraph(() => ({ error: 'ECONNRESET' }), { budgetMs: 10_000 });
    const err = await cloudError(read(g));
    expect(err.code).toBe('CLOUD_UNAVAILABLE');
    expect(err.message).toContain('the connection was closed before Graph answered (ECONNRESET)');
  });

  it('gives up on throttling that outlasts the budget with CLOUD_THROTTLED', async () => {
    const g = fakeGraph(() => graphError(429, 'TooManyRequests', 'Please retry again later.', { 'Retry-After': '3' }), {
      budgetMs: 10_000,
    });
    const err = await cloudError(read(g));
    expect([err.code, err.graphCode]).toEqual(['CLOUD_THROTTLED', 'TooManyRequests']);
    expect(g.requests).toHaveLength(4);
  });

  it('keeps a cap on tries when one is configured (the configuration check)', async () => {
    const g = fakeGraph(() => UNAVAILABLE, { retry: { attempts: 2, baseDelayMs: 200, maxDelayMs: 1_000 } });
    expect((await cloudError(read(g))).message).toContain('after 2 attempts');
    expect(g.requests).toHaveLength(2);
  });
});

/** A cloud user whose writes the fake applies; `lose` decides which applied writes lose their answer. */
function userGraph(lose: (request: FakeRequest) => FakeAnswer | undefined) {
  const user: Record<string, unknown> = {
    id: USER,
    userPrincipalName: 'jdoe@fabrikam.com',
    onPremisesImmutableId: 'b2xk',
    onPremisesObjectIdentifier: 'S-1-5-21-1',
  };
  let deleted = true;
  const g = fakeGraph((r) => {
    if (r.method === 'PATCH') {
      const before = lose(r);
      if (before) return before;
      Object.assign(user, r.body);
      return lose({ ...r, method: 'PATCH-ANSWER' }) ?? { status: 204 };
    }
    if (r.method === 'DELETE') {
      if (!deleted) return graphError(404, 'Request_ResourceNotFound', 'gone');
      deleted = false;
      return lose({ ...r, method: 'DELETE-ANSWER' }) ?? { status: 204 };
    }
    const failed = lose(r);
    if (failed) return failed;
    if (r.path.startsWith('/directory/deletedItems/')) return deleted ? OK : graphError(404, 'Request_ResourceNotFound', 'gone');
    return { status: 200, body: user };
  });
  return { g, user, purged: () => !deleted };
}

const methods = (g: ReturnType<typeof fakeGraph>) => g.requests.map((r) => r.method);

describe('writes take effect at most once', () => {
  it('a PATCH whose answer was lost is read back, not sent again', async () => {
    let lost = 0;
    const { g, user } = userGraph((r) => (r.method === 'PATCH-ANSWER' && lost++ === 0 ? { error: 'ECONNRESET' } : undefined));
    await setImmutableId(g.transport, USER, 'bmV3');
    expect(user.onPremisesImmutableId).toBe('bmV3');
    expect(methods(g)).toEqual(['PATCH', 'GET']);
    expect(g.requests[1]?.path).toBe(`/users/${USER}?$select=onPremisesImmutableId`);
  });

  it('a PATCH answered 503 after it happened is read back too (rename, clear the mapping)', async () => {
    const { g, user } = userGraph((r) => (r.method === 'PATCH-ANSWER' ? UNAVAILABLE : undefined));
    await setUserPrincipalName(g.transport, USER, 'JDoe@contoso.onmicrosoft.com');
    await clearObjectIdentifier(g.transport, USER);
    expect([user.userPrincipalName, user.onPremisesObjectIdentifier]).toEqual(['JDoe@contoso.onmicrosoft.com', null]);
    expect(methods(g)).toEqual(['PATCH', 'GET', 'PATCH', 'GET']);
  });

  it('a clear whose answer was lost is not sent again once a sync has mapped the user to its new object', async () => {
    const { g, user } = userGraph((r) => {
      if (r.method !== 'PATCH-ANSWER') return undefined;
      // Another request's sync maps the user to the re-created AD object before the retry reads it.
      user.onPremisesObjectIdentifier = 'S-1-5-21-2';
      return { error: 'ECONNRESET' };
    });
    await clearObjectIdentifier(g.transport, USER, 'S-1-5-21-1');
    expect(user.onPremisesObjectIdentifier).toBe('S-1-5-21-2');
    expect(methods(g)).toEqual(['PATCH', 'GET']);
  });

  it('a PATCH that never reached Graph is read, found not done, and sent again once', async () => {
    let dropped = 0;
    const { g, user } = userGraph((r) => (r.method === 'PATCH' && dropped++ === 0 ? { error: 'ECONNREFUSED' } : undefined));
    await setImmutableId(g.transport, USER, null);
    expect(user.onPremisesImmutableId).toBeNull();
    expect(methods(g)).toEqual(['PATCH', 'GET', 'PATCH']);
  });

  it('a throttled PATCH was not executed: it is sent again without a read', async () => {
    let throttled = 0;
    const { g } = userGraph((r) =>
      r.method === 'PATCH' && throttled++ === 0 ? graphError(429, 'TooManyRequests', 'later', { 'Retry-After': '1' }) : undefined,
    );
    await setImmutableId(g.transport, USER, 'bmV3');
    expect(methods(g)).toEqual(['PATCH', 'PATCH']);
  });

  it('a purge whose answer was lost is read in the recycle bin, found gone, and not sent again', async () => {
    let lost = 0;
    const { g, purged } = userGraph((r) => (r.method === 'DELETE-ANSWER' && lost++ === 0 ? { error: 'UND_ERR_SOCKET' } : undefined));
    await purgeDeletedUser(g.transport, USER);
    expect(purged()).toBe(true);
    expect(methods(g)).toEqual(['DELETE', 'GET']);
  });

  it('a write still failing when the budget is spent fails naming the fault, sent once', async () => {
    const { g } = userGraph((r) => (r.method === 'PATCH-ANSWER' ? UNAVAILABLE : r.method === 'GET' ? UNAVAILABLE : undefined));
    const err = await cloudError(setImmutableId(g.transport, USER, 'bmV3'));
    expect([err.code, err.status]).toEqual(['CLOUD_UNAVAILABLE', 503]);
    expect(err.message).toContain('set the ImmutableID of cloud user');
    expect(methods(g).filter((m) => m === 'PATCH')).toHaveLength(1);
  });
});
