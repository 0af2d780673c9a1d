/**
 * CloudWriter against the real emulator: each write lands in the tenant, and each refusal Entra
 * gives comes back as a CloudError carrying Graph's code and message (ObjectConflict naming the
 * holder, Request_BadRequest for synced users and federated-domain UPNs, 404 for a missing user).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CloudError, InputError } from '../../src/errors/index.ts';
import { C, GONE_IMMUTABLE_ID, immutableIdOf, JDOE_GUID } from './fixtures.ts';
import { countRequests, rejectionOf, startCloud, type CloudHarness } from './harness.ts';

let h: CloudHarness;
beforeEach(async () => {
  h = await startCloud();
});
afterEach(() => h.close());

const FREE_ANCHOR = immutableIdOf('0d8b6b9e-1111-4222-8333-444455556666');

async function cloudError(promise: Promise<unknown>): Promise<CloudError> {
  const err = await rejectionOf(promise);
  expect(err).toBeInstanceOf(CloudError);
  return err as CloudError;
}

describe('setImmutableId', () => {
  it('sets and clears the ImmutableID of a cloud-only user, 1 request each', async () => {
    const set = await countRequests(h.emulator, () => h.directory.setImmutableId(C.target, FREE_ANCHOR));
    expect(set.requests).toBe(1);
    expect(h.emulator.state.activeUser(C.target)?.onPremisesImmutableId).toBe(FREE_ANCHOR);
    await h.directory.setImmutableId(C.target, null);
    expect(h.emulator.state.activeUser(C.target)?.onPremisesImmutableId).toBeNull();
  });

  it('surfaces ObjectConflict naming the deleted holder (User_<id>)', async () => {
    const err = await cloudError(h.directory.setImmutableId(C.target, GONE_IMMUTABLE_ID));
    expect(err.code).toBe('CLOUD_REQUEST_FAILED');
    expect(err.status).toBe(400);
    expect(err.graphCode).toBe('ObjectConflict');
    expect(err.graphMessage).toBe('Another object with the same value for property onPremisesImmutableId already exists.');
    expect(err.message).toContain(`Conflicting object: User_${C.goneDeleted}`);
    expect(h.emulator.state.activeUser(C.target)?.onPremisesImmutableId).toBeNull();
  });

  it('surfaces Request_BadRequest for an on-premises mastered (synced) user', async () => {
    const err = await cloudError(h.directory.setImmutableId(C.janeSynced, FREE_ANCHOR));
    expect(err.code).toBe('CLOUD_REQUEST_FAILED');
    expect(err.graphCode).toBe('Request_BadRequest');
    expect(err.graphMessage).toMatch(/on-premises mastered Directory Sync objects/);
    expect(h.emulator.state.activeUser(C.janeSynced)?.onPremisesImmutableId).toBe(immutableIdOf(JDOE_GUID));
  });

  it('refuses a federated-domain UPN until the user is renamed to the initial domain', async () => {
    const err = await cloudError(h.directory.setImmutableId(C.fed, FREE_ANCHOR));
    expect(err.graphCode).toBe('Request_BadRequest');
    expect(err.message).toContain("federated domain 'fabrikam.com'");
    await h.directory.setUserPrincipalName(C.fed, 'fed@contoso.onmicrosoft.com');
    await h.directory.setImmutableId(C.fed, FREE_ANCHOR);
    const user = h.emulator.state.activeUser(C.fed);
    expect([user?.userPrincipalName, user?.onPremisesImmutableId]).toEqual(['fed@contoso.onmicrosoft.com', FREE_ANCHOR]);
  });

  it('refuses an id that is not a GUID before any request', async () => {
    const before = h.emulator.requestCount();
    const err = await rejectionOf(h.directory.setImmutableId('../directory/deletedItems/x', FREE_ANCHOR));
    expect(err).toBeInstanceOf(InputError);
    expect(h.emulator.requestCount()).toBe(before);
  });
});

describe('setUserPrincipalName', () => {
  it('renames a user', async () => {
    await h.directory.setUserPrincipalName(C.target, 'target.renamed@contoso.onmicrosoft.com');
    expect(h.emulator.state.activeUser(C.target)?.userPrincipalName).toBe('target.renamed@contoso.onmicrosoft.com');
  });

  it('surfaces the unverified-domain refusal and the UPN conflict', async () => {
    const unverified = await cloudError(h.directory.setUserPrincipalName(C.target, 'target@contoso.net'));
    expect(unverified.graphCode).toBe('Request_BadRequest');
    expect(unverified.graphMessage).toMatch(/verified domain names/);
    const taken = await cloudError(h.directory.setUserPrincipalName(C.target, 'jdoe@contoso.com'));
    expect(taken.graphCode).toBe('ObjectConflict');
    expect(taken.message).toContain(`User_${C.jane}`);
  });
});

describe('purgeDeletedUser', () => {
  it('purges a deleted user in 1 request, which frees its anchor', async () => {
    const purge = await countRequests(h.emulator, () => h.directory.purgeDeletedUser(C.goneDeleted));
    expect(purge.requests).toBe(1);
    expect(h.emulator.state.deletedUser(C.goneDeleted)).toBeUndefined();
    await h.directory.setImmutableId(C.target, GONE_IMMUTABLE_ID);
    expect(h.emulator.state.activeUser(C.target)?.onPremisesImmutableId).toBe(GONE_IMMUTABLE_ID);
  });

  it('surfaces 404 Request_ResourceNotFound for a user not in the recycle bin', async () => {
    const err = await cloudError(h.directory.purgeDeletedUser(C.target));
    expect(err.code).toBe('CLOUD_REQUEST_FAILED');
    expect(err.status).toBe(404);
    expect(err.graphCode).toBe('Request_ResourceNotFound');
    expect(h.emulator.state.activeUser(C.target)).toBeDefined();
  });
});
