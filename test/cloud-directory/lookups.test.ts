/**
 * findUser, holdersOfAnchor and tenantFacts against the real emulator: what they return, that bad
 * input never reaches Graph, and how many HTTP round trips each costs (the cache included).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors/index.ts';
import { C, GONE_IMMUTABLE_ID, HOSTILE_ANCHOR, HOSTILE_IMMUTABLE_ID, immutableIdOf, JDOE_GUID } from './fixtures.ts';
import { toGuid } from '../../src/domain/anchors.ts';
import { countRequests, rejectionOf, startCloud, type CloudHarness } from './harness.ts';

let h: CloudHarness;
beforeAll(async () => {
  h = await startCloud();
});
afterAll(() => h.close());

describe('findUser', () => {
  it('finds an active user by object id in 1 round trip (braces and case ignored)', async () => {
    const { result, requests } = await countRequests(h.emulator, () => h.directory.findUser(`{${C.jane.toUpperCase()}}`));
    expect(result?.id).toBe(C.jane);
    expect(result?.userPrincipalName).toBe('jdoe@contoso.com');
    expect(result?.deletedDateTime).toBeNull();
    expect(requests).toBe(1);
  });

  it('finds a user in the recycle bin by object id', async () => {
    const user = await h.directory.findUser(C.smithDeleted);
    expect(user?.id).toBe(C.smithDeleted);
    expect(user?.deletedDateTime).toBe('2026-02-21T09:15:00Z');
    expect(user?.userPrincipalName).toBe(`${C.smithDeleted.replaceAll('-', '')}asmith@contoso.com`);
  });

  it('finds a user by UPN, including one with a quote, in 1 round trip', async () => {
    const { result, requests } = await countRequests(h.emulator, () => h.directory.findUser("O'Brien@contoso.com"));
    expect(result?.id).toBe(C.hostile);
    expect(result?.immutableId).toBe(HOSTILE_IMMUTABLE_ID);
    expect(requests).toBe(1);
  });

  it('answers null for an unknown id or UPN', async () => {
    expect(await h.directory.findUser('00000000-0000-4000-8000-000000000001')).toBeNull();
    expect(await h.directory.findUser('ghost@contoso.com')).toBeNull();
  });

  it.each([
    ["' or 1 eq 1 or '", 'INPUT_INVALID'],
    ['jdoe', 'INPUT_INVALID'],
    ['a b@contoso.com', 'INPUT_INVALID'],
    ['jdoe@contoso.com\u0000', 'INPUT_INVALID'],
    ['x\uD800@contoso.com', 'INPUT_INVALID'],
    ['   ', 'INPUT_EMPTY'],
    [`${'a'.repeat(300)}@contoso.com`, 'INPUT_TOO_LONG'],
  ])('refuses %j with %s before any request', async (input, code) => {
    const before = h.emulator.requestCount();
    const err = await rejectionOf(h.directory.findUser(input));
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).code).toBe(code);
    expect(h.emulator.requestCount()).toBe(before);
  });
});

describe('holdersOfAnchor', () => {
  it('returns active and deleted holders in 1 round trip', async () => {
    const { result, requests } = await countRequests(h.emulator, () => h.directory.holdersOfAnchor(GONE_IMMUTABLE_ID));
    expect(result.map((u) => [u.id, u.deletedDateTime])).toEqual([[C.goneDeleted, '2026-02-25T10:00:00Z']]);
    expect(requests).toBe(1);
    const active = await h.directory.holdersOfAnchor(immutableIdOf(JDOE_GUID));
    expect(active.map((u) => [u.id, u.synced])).toEqual([[C.janeSynced, true]]);
  });

  it("matches an ImmutableID with '+' and '/' exactly (the space decoy is not a holder)", async () => {
    const holders = await h.directory.holdersOfAnchor(HOSTILE_IMMUTABLE_ID);
    expect(holders.map((u) => u.id)).toEqual([C.hostile]);
  });

  it('accepts the anchor in GUID form too', async () => {
    const holders = await h.directory.holdersOfAnchor(toGuid(HOSTILE_ANCHOR));
    expect(holders.map((u) => u.id)).toEqual([C.hostile]);
  });

  it('answers an empty list for a free anchor, and refuses a malformed one before any request', async () => {
    expect(await h.directory.holdersOfAnchor(immutableIdOf('0d8b6b9e-1111-4222-8333-444455556666'))).toEqual([]);
    const before = h.emulator.requestCount();
    const err = await rejectionOf(h.directory.holdersOfAnchor("x' or 1 eq 1 or 'y"));
    expect((err as InputError).code).toBe('ANCHOR_MALFORMED');
    expect(h.emulator.requestCount()).toBe(before);
  });
});

describe('tenantFacts', () => {
  it('reads domains, match switches and admin-role holders in 1 round trip', async () => {
    const directory = h.directoryWith({});
    const { result, requests } = await countRequests(h.emulator, () => directory.tenantFacts());
    expect(result).toEqual({
      eligibleRoleHolders: {},
      syncEngine: { connectSync: true, connectVersion: null, cloudSync: [] },
      initialDomain: 'contoso.onmicrosoft.com',
      domains: [
        { name: 'contoso.com', verified: true, federated: false, initial: false, default: true },
        { name: 'contoso.net', verified: false, federated: false, initial: false, default: false },
        { name: 'contoso.onmicrosoft.com', verified: true, federated: false, initial: true, default: false },
        { name: 'fabrikam.com', verified: true, federated: true, initial: false, default: false },
      ],
      switches: { blockSoftMatchEnabled: true, blockCloudObjectTakeoverThroughHardMatchEnabled: false, softMatchOnUpnEnabled: false },
      roleHolders: { [C.jane]: ['Global Administrator', 'User Administrator'], [C.smithOld]: ['User Administrator'] },
    });
    expect(requests).toBe(1);
  });

  it('serves from the cache until the TTL passes, sharing one fetch between concurrent callers', async () => {
    let now = 1_000_000;
    const directory = h.directoryWith({ tenantFactsTtlMs: 60_000, now: () => now });
    const first = await countRequests(h.emulator, () =>
      Promise.all([directory.tenantFacts(), directory.tenantFacts(), directory.tenantFacts()]),
    );
    expect(first.requests).toBe(1);
    expect(first.result[1]).toEqual(first.result[0]);
    now += 59_999;
    expect((await countRequests(h.emulator, () => directory.tenantFacts())).requests).toBe(0);
    now += 1;
    expect((await countRequests(h.emulator, () => directory.tenantFacts())).requests).toBe(1);
  });

  it('hands out copies: a caller changing its facts does not change the cache', async () => {
    const directory = h.directoryWith({});
    const facts = await directory.tenantFacts();
    facts.switches.blockSoftMatchEnabled = false;
    facts.domains.length = 0;
    const again = await directory.tenantFacts();
    expect(again.switches.blockSoftMatchEnabled).toBe(true);
    expect(again.domains).toHaveLength(4);
  });
});
