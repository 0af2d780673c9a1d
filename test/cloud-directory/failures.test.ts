/**
 * What the cloud directory does when Graph throttles, fails, hangs or refuses: 429 waits
 * Retry-After (top level and per `$batch` sub-request, retrying only the throttled ones), 5xx and
 * silence back off, and whatever is left becomes the right CloudError with Graph's code and
 * message. Throttling comes from the emulator itself; 5xx, 403 and hangs from a flaky proxy.
 */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { TokenCredential } from '@azure/identity';
import { createCloudDirectory, staticTokenCredential } from '../../src/cloud-directory/index.ts';
import { seededRandom } from '../../src/sandbox/emulator/prng.ts';
import { CloudError } from '../../src/errors/index.ts';
import { AD, C, GONE_IMMUTABLE_ID } from './fixtures.ts';
import { graphErrorReply, startFlakyProxy, type Behaviour, type FlakyProxy, type SeenRequest } from './flaky-proxy.ts';
import { countRequests, perTestClouds, rejectionOf, silentLogger, type CloudHarness } from './harness.ts';

const { cloud, defer } = perTestClouds();

async function proxy(h: CloudHarness, behaviour: (request: SeenRequest) => Behaviour): Promise<FlakyProxy> {
  const p = await startFlakyProxy(h.emulator.url, behaviour);
  defer(() => p.close());
  return p;
}

async function cloudError(promise: Promise<unknown>): Promise<CloudError> {
  const err = await rejectionOf(promise);
  expect(err).toBeInstanceOf(CloudError);
  return err as CloudError;
}

/** random() for the emulator: the first `throttled` Graph operations are throttled, then none. */
function throttleFirst(throttled: number): { random: () => number; calls: () => number } {
  let calls = 0;
  return { random: () => (calls++ < throttled ? 0 : 0.99), calls: () => calls };
}

const FORWARD: Behaviour = { kind: 'forward' };
/** An anchor nobody in the fixtures holds. */
const FRESH_ANCHOR = 'AAECAwQFBgcICQoLDA0ODw==';
const unavailable = graphErrorReply(503, 'ServiceUnavailable', 'The service is temporarily unavailable.');

describe('throttling (429)', () => {
  it('retries only the throttled sub-request of a $batch, after Retry-After', { timeout: 20_000 }, async () => {
    const script = throttleFirst(1);
    const h = await cloud({ emulator: { throttleRate: 0.5, random: script.random } });
    const started = Date.now();
    const { result, requests } = await countRequests(h.emulator, () => h.directory.holdersOfAnchor(GONE_IMMUTABLE_ID));
    expect(result.map((u) => u.id)).toEqual([C.goneDeleted]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(requests).toBe(2);
    // 2 sub-requests, then the 1 that was throttled: 3 Graph operations in all.
    expect(script.calls()).toBe(3);
  });

  it('retries a throttled single request after Retry-After', { timeout: 20_000 }, async () => {
    const script = throttleFirst(1);
    const h = await cloud({ emulator: { throttleRate: 0.5, random: script.random } });
    const started = Date.now();
    const { result, requests } = await countRequests(h.emulator, () => h.directory.findUser('jdoe@contoso.com'));
    expect(result?.id).toBe(C.jane);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect([requests, script.calls()]).toEqual([2, 2]);
  });

  it('gets the same evidence through random throttling as without it', { timeout: 60_000 }, async () => {
    const calm = await cloud({});
    const tenant = await calm.directory.tenantFacts();
    const expected = await calm.directory.evidenceFor(AD.jdoe, { tenant });
    const h = await cloud({
      emulator: { throttleRate: 0.3, random: seededRandom(7) },
      directory: { retry: { attempts: 8, baseDelayMs: 20, maxDelayMs: 2_000 } },
    });
    const { result, requests } = await countRequests(h.emulator, () => h.directory.evidenceFor(AD.jdoe, { tenant }));
    expect(result).toEqual(expected);
    expect(requests).toBeGreaterThan(2);
  });

  it(
    "retries 429 for as long as the deadline allows, then gives up with CLOUD_THROTTLED and Graph's code",
    { timeout: 20_000 },
    async () => {
      // 2.6 s: tries at 0, 1 and 2 s; after the third 429 a 1 s wait would end past the deadline.
      const h = await cloud({ emulator: { throttleRate: 1 }, directory: { graphTimeoutMs: 2_600 } });
      const started = Date.now();
      const { result: err, requests } = await countRequests(h.emulator, () => cloudError(h.directory.holdersOfAnchor(GONE_IMMUTABLE_ID)));
      expect(err.code).toBe('CLOUD_THROTTLED');
      expect(err.status).toBe(429);
      expect(err.graphCode).toBe('TooManyRequests');
      expect(err.graphMessage).toBe('Please retry again later.');
      expect(err.message).toContain('after 3 attempts');
      expect(requests).toBe(3);
      expect(Date.now() - started).toBeLessThan(2_600);
    },
  );

  // Also proves the SDK's own RetryHandler is out of the chain: it would have retried this 429 three times.
  it('gives up at once with CLOUD_THROTTLED when Retry-After ends past the deadline', async () => {
    const h = await cloud({ emulator: { throttleRate: 1 }, directory: { graphTimeoutMs: 900 } });
    const started = Date.now();
    const { result: err, requests } = await countRequests(h.emulator, () => cloudError(h.directory.findUser('jdoe@contoso.com')));
    expect(err.code).toBe('CLOUD_THROTTLED');
    expect(requests).toBe(1);
    // Well under the 1 s Retry-After: it did not sleep.
    expect(Date.now() - started).toBeLessThan(800);
  });
});

describe('server errors and silence', () => {
  it('backs off exponentially on 5xx and then succeeds', async () => {
    const h = await cloud({});
    const p = await proxy(h, (r) => (r.n <= 2 ? { kind: 'reply', reply: unavailable } : FORWARD));
    const directory = h.directoryWith({ graphBaseUrl: p.url, retry: { attempts: 4, baseDelayMs: 100, maxDelayMs: 1_000 } });
    const started = Date.now();
    expect((await directory.findUser('jdoe@contoso.com'))?.id).toBe(C.jane);
    // Jittered waits of at least 50 % of 100 ms and 200 ms.
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(p.seen).toHaveLength(3);
  });

  it('sets an anchor once when the PATCH happened but was answered 503 (read back, not sent again)', async () => {
    const h = await cloud({});
    const p = await proxy(h, (r) => (r.n === 1 ? { kind: 'forwardThenReply', reply: unavailable } : FORWARD));
    await h.directoryWith({ graphBaseUrl: p.url }).setImmutableId(C.target, FRESH_ANCHOR);
    expect(p.seen.map((r) => r.method)).toEqual(['PATCH', 'GET']);
    expect(h.emulator.state.graphWrites().map((w) => [w.method, w.body])).toEqual([
      ['PATCH', JSON.stringify({ onPremisesImmutableId: FRESH_ANCHOR })],
    ]);
  });

  it('gives up with CLOUD_UNAVAILABLE carrying the last status and Graph code', async () => {
    const h = await cloud({});
    const p = await proxy(h, () => ({ kind: 'reply', reply: unavailable }));
    const directory = h.directoryWith({ graphBaseUrl: p.url, retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 100 } });
    const err = await cloudError(directory.tenantFacts());
    expect([err.code, err.status, err.graphCode]).toEqual(['CLOUD_UNAVAILABLE', 503, 'ServiceUnavailable']);
    expect(err.message).toContain('after 3 attempts');
    expect(p.seen).toHaveLength(3);
  });

  it('retries only the sub-request that failed with 5xx inside a $batch', async () => {
    const h = await cloud({});
    const p = await proxy(h, (r) =>
      r.n === 1
        ? {
            kind: 'forwardAndRewrite',
            rewrite: (body) => {
              const envelope = body as { responses: { id: string; status: number; body?: unknown }[] };
              return {
                responses: envelope.responses.map((s) =>
                  s.id === 'deleted' ? { id: s.id, status: 503, headers: {}, body: unavailable.body } : s,
                ),
              };
            },
          }
        : FORWARD,
    );
    const directory = h.directoryWith({ graphBaseUrl: p.url });
    const holders = await directory.holdersOfAnchor(GONE_IMMUTABLE_ID);
    expect(holders.map((u) => u.id)).toEqual([C.goneDeleted]);
    expect(p.seen).toHaveLength(2);
    const retried = JSON.parse(p.seen[1]?.body ?? '{}') as { requests: { id: string }[] };
    expect(retried.requests.map((r) => r.id)).toEqual(['deleted']);
  });

  it('retries a request that gets no answer within requestTimeoutMs', async () => {
    const h = await cloud({});
    const p = await proxy(h, (r) => (r.n === 1 ? { kind: 'hang' } : FORWARD));
    const directory = h.directoryWith({ graphBaseUrl: p.url, requestTimeoutMs: 300 });
    expect((await directory.findUser(C.target))?.userPrincipalName).toBe('target@contoso.com');
    expect(p.seen).toHaveLength(2);
  });

  it('reports CLOUD_UNAVAILABLE without a status when nothing listens', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    const directory = createCloudDirectory({
      graphBaseUrl: `https://127.0.0.1:${port}`,
      credential: staticTokenCredential('t'),
      logger: silentLogger,
      retry: { attempts: 2, baseDelayMs: 10, maxDelayMs: 100 },
    });
    const err = await cloudError(directory.findUser(C.jane));
    expect([err.code, err.status]).toEqual(['CLOUD_UNAVAILABLE', null]);
  });

  it('treats a purge that happened but was answered 5xx as done: the retry reads the recycle bin, sends nothing', async () => {
    const h = await cloud({});
    const p = await proxy(h, (r) => (r.n === 1 ? { kind: 'forwardThenReply', reply: unavailable } : FORWARD));
    const directory = h.directoryWith({ graphBaseUrl: p.url });
    await directory.purgeDeletedUser(C.goneDeleted);
    expect(p.seen.map((r) => r.method)).toEqual(['DELETE', 'GET']);
    expect(h.emulator.state.graphWrites().map((w) => w.method)).toEqual(['DELETE']);
    expect(h.emulator.state.deletedUser(C.goneDeleted)).toBeUndefined();
  });
});

describe('authentication and permissions', () => {
  it('maps 401 to CLOUD_AUTH_FAILED without retrying, and never shows the token', async () => {
    const h = await cloud({ emulator: { acceptToken: () => false } });
    const { result: err, requests } = await countRequests(h.emulator, () => cloudError(h.directory.findUser(C.jane)));
    expect([err.code, err.status, err.graphCode]).toEqual(['CLOUD_AUTH_FAILED', 401, 'InvalidAuthenticationToken']);
    expect(err.graphMessage).toBe('Access token validation failure.');
    expect(requests).toBe(1);
    expect(`${err.message} ${JSON.stringify(err.details)}`).not.toContain('test-token');
  });

  it('maps 403 to CLOUD_AUTH_FAILED naming the permission the call needs', async () => {
    const h = await cloud({});
    const denied = graphErrorReply(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
    const p = await proxy(h, () => ({ kind: 'reply', reply: denied }));
    const err = await cloudError(h.directoryWith({ graphBaseUrl: p.url }).purgeDeletedUser(C.goneDeleted));
    expect([err.code, err.status, err.graphCode]).toEqual(['CLOUD_AUTH_FAILED', 403, 'Authorization_RequestDenied']);
    expect(err.message).toContain('User.DeleteRestore.All');
    expect(err.message).toContain('Insufficient privileges to complete the operation.');
    expect(p.seen).toHaveLength(1);
  });

  it('names the permission of a refused sub-request (groups look-up → GroupMember.Read.All)', async () => {
    const h = await cloud({});
    const denied = graphErrorReply(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
    const p = await proxy(h, () => ({
      kind: 'forwardAndRewrite',
      rewrite: (body) => {
        const envelope = body as { responses: { id: string }[] };
        return {
          responses: envelope.responses.map((s) =>
            s.id.startsWith('group-') ? { id: s.id, status: 403, headers: {}, body: denied.body } : s,
          ),
        };
      },
    }));
    const tenant = await h.directory.tenantFacts();
    const err = await cloudError(h.directoryWith({ graphBaseUrl: p.url }).evidenceFor(AD.jdoe, { tenant }));
    expect(err.code).toBe('CLOUD_AUTH_FAILED');
    expect(err.message).toContain('GroupMember.Read.All');
  });

  it('maps a credential that cannot sign in to CLOUD_AUTH_FAILED before any request', async () => {
    const h = await cloud({});
    const failing: TokenCredential = {
      getToken: () => {
        const err = new Error('ManagedIdentityCredential: no managed identity endpoint found.');
        err.name = 'CredentialUnavailableError';
        return Promise.reject(err);
      },
    };
    const empty: TokenCredential = { getToken: () => Promise.resolve(null) };
    for (const credential of [failing, empty]) {
      const { result: err, requests } = await countRequests(h.emulator, () => cloudError(h.directoryWith({ credential }).findUser(C.jane)));
      expect(err.code).toBe('CLOUD_AUTH_FAILED');
      expect(requests).toBe(0);
    }
    const err = await cloudError(h.directoryWith({ credential: failing }).tenantFacts());
    expect(err.message).toContain('CredentialUnavailableError: ManagedIdentityCredential: no managed identity endpoint found.');
  });

  it('does not cache a failed tenant-facts fetch', async () => {
    let accept = false;
    const h = await cloud({ emulator: { acceptToken: () => accept } });
    expect((await cloudError(h.directory.tenantFacts())).code).toBe('CLOUD_AUTH_FAILED');
    accept = true;
    const { result, requests } = await countRequests(h.emulator, () => h.directory.tenantFacts());
    expect(result.initialDomain).toBe('contoso.onmicrosoft.com');
    expect(requests).toBe(1);
  });
});
