/**
 * readCloudSnapshot against the real emulator: every active user, every deleted user and every
 * mail-enabled group exactly once, partitioned reads, coverage of UPNs no partition names, 429s
 * waited out, and `x-ms-throttle-priority: low` on every request it sends.
 */
import type { Client } from '@microsoft/microsoft-graph-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createCloudDirectory, staticTokenCredential } from '../../src/cloud-directory/index.ts';
import { createDeadline } from '../../src/cloud-directory/deadline.ts';
import { createGraphTransport, THROTTLE_PRIORITY_HEADER } from '../../src/cloud-directory/graph-transport.ts';
import {
  ACTIVE_USER_PARTITIONS,
  ACTIVE_USER_PREFIXES,
  DELETED_USER_PARTITIONS,
  DELETED_USER_PREFIXES,
  RANGE_TARGET,
} from '../../src/cloud-directory/snapshot.ts';
import type { CloudSnapshotSource } from '../../src/ports/snapshot.ts';
import { generateDirectory } from '../../src/sandbox/generator/generate.ts';
import { startEmulator, type RunningEmulator } from '../../src/sandbox/emulator/server.ts';
import { trustCertificateInProcess } from '../../src/sandbox/emulator/tls-certificate.ts';
import type { SeedInput } from '../../src/sandbox/emulator/seed.ts';
import { cloudSeed } from './fixtures.ts';
import { silentLogger } from './harness.ts';

const running: RunningEmulator[] = [];
afterEach(async () => {
  for (const e of running.splice(0)) await e.close();
});

async function snapshotSource(seed: SeedInput, throttleRate = 0): Promise<{ emulator: RunningEmulator; source: CloudSnapshotSource }> {
  const emulator = await startEmulator({ seed, https: true, port: 0, throttleRate });
  running.push(emulator);
  trustCertificateInProcess(emulator.caCertificate ?? '');
  const source = createCloudDirectory({
    graphBaseUrl: emulator.url,
    credential: staticTokenCredential('t'),
    logger: silentLogger,
    retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 100 },
  });
  return { emulator, source };
}

const ids = (users: readonly { id: string }[]): string[] => users.map((u) => u.id).sort();

describe('readCloudSnapshot', () => {
  it('reads every user, deleted user and mail-enabled group once, with the properties match reads', async () => {
    const { emulator, source } = await snapshotSource(cloudSeed());
    const snapshot = await source.readCloudSnapshot();
    expect(ids(snapshot.users)).toEqual(ids(emulator.state.activeUsers()));
    expect(ids(snapshot.deleted)).toEqual(ids(emulator.state.deletedUsers()));
    expect(snapshot.deleted.every((u) => u.deletedDateTime !== null)).toBe(true);
    expect(snapshot.groups.map((g) => g.displayName)).toEqual(['Helpdesk']);
    const obrien = snapshot.users.find((u) => u.userPrincipalName === "o'brien@contoso.com");
    expect(obrien?.proxyAddresses.length).toBeGreaterThan(0);
    const synced = snapshot.users.find((u) => u.synced);
    expect(synced?.immutableId).toMatch(/==$/);
  });

  it('covers a generated tenant of 3,000 users exactly once, across partitions and pages', async () => {
    const { tenant } = generateDirectory({ users: 3000, seed: 3 });
    const { emulator, source } = await snapshotSource(tenant);
    const progress: number[] = [];
    const before = emulator.requestCount();
    const snapshot = await source.readCloudSnapshot({ onProgress: (p) => progress.push(p.pages) });
    expect(snapshot.users).toHaveLength(3000);
    expect(new Set(snapshot.users.map((u) => u.id)).size).toBe(3000);
    expect(ids(snapshot.users)).toEqual(ids(emulator.state.activeUsers()));
    expect(snapshot.deleted).toHaveLength(300);
    expect(snapshot.groups.length).toBeGreaterThan(0);
    // One request per partition here (none over 999 users), the two totals, the groups.
    const requests = emulator.requestCount() - before;
    expect(requests).toBe(ACTIVE_USER_PARTITIONS.length + DELETED_USER_PARTITIONS.length + 2 + 1);
    expect(progress.at(-1)).toBe(requests - 2);
  });

  /** An object id that sorts in no relation to `i` (the emulator pages by object id, Graph in no UPN order). */
  const scrambledId = (i: number): string => {
    const h = (Math.imul(i + 1, 2654435761) >>> 0).toString(16).padStart(8, '0');
    return `${h}-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
  };

  it('splits a big partition into UPN ranges cut at its first page, reading each user once', async () => {
    const seed = cloudSeed();
    const before = (seed.users ?? []).filter((u) => u.userPrincipalName.toLowerCase().startsWith('a')).length;
    seed.users = [
      ...(seed.users ?? []),
      // 2,400 under "a": letters after it spread unevenly, quotes inside (escaped in the range bounds), a one-letter local part.
      ...Array.from({ length: 2399 }, (_, i) => ({
        id: scrambledId(i),
        userPrincipalName: `a${i % 7 === 0 ? "'" : ''}${String.fromCharCode(97 + ((i * i) % 26))}${i}@contoso.com`,
        displayName: `A ${i}`,
      })),
      { id: scrambledId(9000), userPrincipalName: 'a@contoso.com', displayName: 'A' },
    ];
    const { emulator, source } = await snapshotSource(seed);
    const start = emulator.requestCount();
    let read = 0;
    const snapshot = await source.readCloudSnapshot({ onProgress: (p) => (read = p.read) });
    expect(ids(snapshot.users)).toEqual(ids(emulator.state.activeUsers()));
    expect(snapshot.users.filter((u) => u.displayName === 'A')).toHaveLength(1);
    expect(read).toBe(snapshot.users.length + snapshot.deleted.length + snapshot.groups.length);
    // "a" (one page, then its ranges, each within a page), every other partition once, the totals, the groups.
    const ranges = Math.ceil((2400 + before) / RANGE_TARGET);
    const requests = emulator.requestCount() - start;
    expect(requests).toBe(1 + ranges + (ACTIVE_USER_PREFIXES.length - 1) + DELETED_USER_PREFIXES.length + 2 + 1);
  });

  it('splits a range again when the first page was no fair sample of its partition, still reading each user once', async () => {
    const seed = cloudSeed();
    // The first page (the lowest ids) holds only "aa…" users; 3,000 "az…" users come after it.
    seed.users = [
      ...(seed.users ?? []),
      ...Array.from({ length: 1200 }, (_, i) => ({
        id: `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
        userPrincipalName: `aa${i}@contoso.com`,
        displayName: `AA ${i}`,
      })),
      ...Array.from({ length: 3000 }, (_, i) => ({ id: scrambledId(i), userPrincipalName: `az${i}@contoso.com`, displayName: `AZ ${i}` })),
    ];
    const { emulator, source } = await snapshotSource(seed);
    const start = emulator.requestCount();
    let read = 0;
    const snapshot = await source.readCloudSnapshot({ onProgress: (p) => (read = p.read) });
    expect(ids(snapshot.users)).toEqual(ids(emulator.state.activeUsers()));
    expect(read).toBe(snapshot.users.length + snapshot.deleted.length + snapshot.groups.length);
    // More than one level of ranges: the first level's last range held all 3,000 "az" users.
    const firstLevel = Math.ceil((4200 + 1) / RANGE_TARGET);
    expect(emulator.requestCount() - start).toBeGreaterThan(
      1 + firstLevel + (ACTIVE_USER_PREFIXES.length - 1) + DELETED_USER_PREFIXES.length + 3,
    );
  });

  it('splits a big recycle-bin partition by the next hex digit of the object id', async () => {
    const seed = cloudSeed();
    seed.users = [
      ...(seed.users ?? []),
      ...Array.from({ length: 2100 }, (_, i) => ({
        id: `a${(Math.imul(i + 7, 2654435761) >>> 0).toString(16).padStart(8, '0').slice(-7)}-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
        userPrincipalName: `gone${i}@contoso.com`,
        displayName: `Gone ${i}`,
        deletedDateTime: '2026-11-01T00:00:00Z',
      })),
    ];
    const { emulator, source } = await snapshotSource(seed);
    const start = emulator.requestCount();
    const snapshot = await source.readCloudSnapshot();
    expect(ids(snapshot.deleted)).toEqual(ids(emulator.state.deletedUsers()));
    expect(snapshot.deleted.length).toBeGreaterThan(2100);
    // "a" (one page, then its 16 next hex digits), the other 15, every active partition once, the totals, the groups.
    expect(emulator.requestCount() - start).toBe(1 + 16 + (DELETED_USER_PREFIXES.length - 1) + ACTIVE_USER_PREFIXES.length + 2 + 1);
  });

  it('finds users whose UPN starts with a character no partition names, still once each', async () => {
    const seed = cloudSeed();
    seed.users = [
      ...(seed.users ?? []),
      { id: '9a9a9a9a-0000-4000-8000-000000000001', userPrincipalName: '%percent@contoso.com', displayName: 'Percent' },
      { id: '9a9a9a9a-0000-4000-8000-000000000002', userPrincipalName: '*star@contoso.com', displayName: 'Star' },
    ];
    const { emulator, source } = await snapshotSource(seed);
    const snapshot = await source.readCloudSnapshot();
    expect(ids(snapshot.users)).toEqual(ids(emulator.state.activeUsers()));
    expect(snapshot.users.filter((u) => u.displayName === 'Star')).toHaveLength(1);
  });

  it('waits out 429s page by page and still reads everything', async () => {
    const { tenant } = generateDirectory({ users: 1500, seed: 5 });
    const { emulator, source } = await snapshotSource(tenant, 0.15);
    const snapshot = await source.readCloudSnapshot();
    expect(ids(snapshot.users)).toEqual(ids(emulator.state.activeUsers()));
    expect(snapshot.deleted).toHaveLength(150);
  });
});

describe('throttle priority', () => {
  /** A Graph client stand-in that records the headers of each request and answers an empty page. */
  function recordingClient(sent: Record<string, string>[]): Client {
    const request = (headers: Record<string, string>) => ({
      option: () => request(headers),
      header: (name: string, value: string) => request({ ...headers, [name]: value }),
      version: () => request(headers),
      headers: (more: Record<string, string>) => request({ ...headers, ...more }),
      get: () => (sent.push(headers), Promise.resolve({ value: [] })),
      post: (body: { requests: { headers?: Record<string, string> }[] }) => {
        sent.push(headers, ...body.requests.map((r) => r.headers ?? {}));
        return Promise.resolve({
          responses: body.requests.map((r, i) => ({ id: (r as { id?: string }).id ?? String(i), status: 200, body: {} })),
        });
      },
    });
    return { api: () => request({}) } as unknown as Client;
  }

  it('marks every request and every $batch sub-request low priority when asked, and none otherwise', async () => {
    for (const priority of ['low', undefined] as const) {
      const sent: Record<string, string>[] = [];
      const transport = createGraphTransport({
        client: recordingClient(sent),
        retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
        logger: silentLogger,
        deadline: createDeadline(5_000),
        ...(priority ? { priority } : {}),
      });
      await transport.call({ what: 'x', permission: 'y' }, (request) => request('/users').get() as Promise<unknown>);
      await transport.batch({ what: 'x', permission: 'y' }, [{ id: 'a', url: '/users/1' }]);
      expect(sent).toHaveLength(3);
      for (const headers of sent) expect(headers[THROTTLE_PRIORITY_HEADER]).toBe(priority);
    }
  });
});
