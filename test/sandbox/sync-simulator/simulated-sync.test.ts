/**
 * Unit: the sandbox's simulated delta sync (one run at a time, AD users read per run), the
 * SyncTenant built from the emulator, and the run summary.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { OnPremUser } from '../../../src/domain/onprem-user.ts';
import { createLogger } from '../../../src/logging/logger.ts';
import { createSimulatedSync } from '../../../src/sandbox/sync-simulator/simulated-sync.ts';
import { summarizeRun } from '../../../src/sandbox/sync-simulator/summary.ts';
import { syncTenantOf } from '../../../src/sandbox/sync-simulator/sync-tenant.ts';
import { AD, emulatedTenant, ID, manualClock, SANDBOX_SCOPE } from './fixtures.ts';

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (err: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('createSimulatedSync', () => {
  it('runs one cycle at a time: a second call while one runs gets that run’s report', async () => {
    const clock = manualClock();
    const state = emulatedTenant({ now: clock.now });
    const reads: ReturnType<typeof deferred<OnPremUser[]>>[] = [];
    const sync = createSimulatedSync({
      state,
      inScope: SANDBOX_SCOPE,
      listUsers: () => {
        const read = deferred<OnPremUser[]>();
        reads.push(read);
        return read.promise;
      },
    });
    const a = sync.runDelta();
    const b = sync.runDelta();
    expect(reads).toHaveLength(1);
    reads[0]?.resolve([AD.kim]);
    const [first, same] = await Promise.all([a, b]);
    expect(same).toBe(first);
    expect(first.results.map((r) => r.outcome)).toEqual(['CREATE']);

    clock.advance(1000);
    const c = sync.runDelta();
    expect(reads).toHaveLength(2);
    reads[1]?.resolve([AD.kim]);
    const next = await c;
    expect(next).not.toBe(first);
    expect(next.results.map((r) => r.outcome)).toEqual(['UPDATE']);
    expect(next.startedAt).toBe('2026-03-05T12:00:01.000Z');
  });

  it('passes a failed AD read on, and the next run starts afresh', async () => {
    let calls = 0;
    const sync = createSimulatedSync({
      state: emulatedTenant(),
      inScope: SANDBOX_SCOPE,
      listUsers: () => (++calls === 1 ? Promise.reject(new Error('relay down')) : Promise.resolve([AD.elocal])),
    });
    await expect(sync.runDelta()).rejects.toThrow('relay down');
    const report = await sync.runDelta();
    expect(report.results.map((r) => r.samAccountName)).toEqual(['elocal']);
  });

  it('logs each export error at warn and the run at info, naming users, not values', async () => {
    const lines: Record<string, unknown>[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    const state = emulatedTenant({
      users: [
        {
          id: ID.cloudAlice,
          userPrincipalName: 'x@contoso.com',
          displayName: 'X',
          onPremisesImmutableId: AD.asmith.anchor.immutableId,
          deletedDateTime: '2026-02-21T09:15:00Z',
        },
      ],
    });
    const sync = createSimulatedSync({
      state,
      inScope: SANDBOX_SCOPE,
      listUsers: () => Promise.resolve([AD.asmith]),
      logger: createLogger({ level: 'info', destination }),
    });
    await sync.runDelta();
    expect(lines.map((l) => [l['level'], l['msg']])).toEqual([
      [40, 'simulated sync: export error'],
      [30, 'simulated delta sync finished'],
    ]);
    expect(lines[0]?.['sync']).toMatchObject({ samAccountName: 'asmith', outcome: 'ANCHOR_CONFLICT', error: { code: 'ObjectConflict' } });
    expect(lines[1]).toMatchObject({ users: 1, errors: 1 });
  });
});

describe('syncTenantOf', () => {
  it('maps users (with roles and provisioning errors), address-holding groups, domains and switches', () => {
    const state = emulatedTenant({
      features: { blockSoftMatchEnabled: true },
      users: [
        {
          id: ID.cloudHank,
          userPrincipalName: 'hank@contoso.com',
          displayName: 'Hank',
          onPremisesImmutableId: AD.hadmin.anchor.immutableId,
          onPremisesSyncEnabled: true,
          onPremisesProvisioningErrors: [
            {
              category: 'PropertyConflict',
              occurredDateTime: '2026-03-01T00:00:00Z',
              propertyCausingError: 'ProxyAddress',
              value: 'smtp:h@contoso.com',
            },
          ],
        },
        { id: ID.cloudAlice, userPrincipalName: 'alice@contoso.com', displayName: 'Alice', deletedDateTime: '2026-02-21T09:15:00Z' },
      ],
      groups: [
        { id: ID.staff, displayName: 'Staff', members: [ID.cloudHank] },
        { id: ID.sales, displayName: 'Sales', mail: 'sales@contoso.com', mailEnabled: true, proxyAddresses: ['SMTP:sales@contoso.com'] },
      ],
      directoryRoles: [
        {
          id: ID.globalAdmin,
          displayName: 'Global Administrator',
          roleTemplateId: '62e90394-69f5-4237-9190-012177145e10',
          members: [ID.cloudHank],
        },
      ],
    });
    const t = syncTenantOf(state);
    expect(t.users.map((u) => [u.id, u.synced, u.adminRoles, u.deletedDateTime])).toEqual([
      [ID.cloudHank, true, ['Global Administrator'], null],
      [ID.cloudAlice, false, [], '2026-02-21T09:15:00Z'],
    ]);
    expect(t.users[0]?.provisioningErrors).toEqual([
      { category: 'PropertyConflict', property: 'ProxyAddress', value: 'smtp:h@contoso.com', occurredDateTime: '2026-03-01T00:00:00Z' },
    ]);
    expect(t.users[1]?.userPrincipalName).toBe(`${ID.cloudAlice.replaceAll('-', '')}alice@contoso.com`);
    expect(t.otherObjects).toEqual([
      { id: ID.sales, displayName: 'Sales', mail: 'sales@contoso.com', proxyAddresses: ['SMTP:sales@contoso.com'] },
    ]);
    expect(t.facts.initialDomain).toBe('contoso.onmicrosoft.com');
    expect(t.facts.domains.find((d) => d.name === 'fabrikam.com')).toEqual({
      name: 'fabrikam.com',
      verified: true,
      federated: true,
      initial: false,
      default: false,
    });
    expect(t.facts.switches).toEqual({
      blockSoftMatchEnabled: true,
      blockCloudObjectTakeoverThroughHardMatchEnabled: false,
      softMatchOnUpnEnabled: true,
    });
  });
});

describe('summarizeRun', () => {
  it('counts outcomes in a fixed order and names each export error', () => {
    const base = { dn: 'CN=x,DC=contoso,DC=com' };
    const text = summarizeRun({
      startedAt: '2026-03-05T12:00:00.000Z',
      finishedAt: '2026-03-05T12:00:01.000Z',
      results: [
        { ...base, samAccountName: 'kim', outcome: 'CREATE', userId: 'u1' },
        { ...base, samAccountName: 'asmith', outcome: 'ANCHOR_CONFLICT', error: { code: 'ObjectConflict', message: '…' } },
        { ...base, samAccountName: 'jdoe', outcome: 'UPDATE', userId: 'u2' },
        { ...base, samAccountName: 'lee', outcome: 'UPDATE', userId: 'u3' },
      ],
    });
    expect(text).toBe('Simulated delta sync: 4 users; 2 updated, 1 created, 1 export error (asmith: ObjectConflict).');
    expect(summarizeRun({ startedAt: '', finishedAt: '', results: [] })).toBe('Simulated delta sync: 0 users.');
  });
});
