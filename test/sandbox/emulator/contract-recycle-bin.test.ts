/**
 * Contract: soft delete → recycle bin list → restore → purge, through the real SDK; a deleted
 * user keeps its anchor and loses its UPN until restored, and a purge frees the anchor.
 */
import type { User } from '@microsoft/microsoft-graph-types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { conflictDetails, graphFailure, ID, startGraph, type Harness } from './graph-harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await startGraph();
});
afterEach(() => h.close());

interface Page<T> {
  '@odata.context': string;
  value: T[];
}

const deletedUsers = async (filter?: string): Promise<User[]> => {
  let request = h.client
    .api('/directory/deletedItems/microsoft.graph.user')
    .select(['id', 'userPrincipalName', 'onPremisesImmutableId', 'deletedDateTime']);
  if (filter) request = request.filter(encodeURIComponent(filter));
  return ((await request.get()) as Page<User>).value;
};

describe('soft delete and the recycle bin', () => {
  it('DELETE /users/{id} moves the user to the recycle bin, renamed, anchor kept', async () => {
    await h.client.api(`/users/${ID.bob}`).delete();
    const gone = await graphFailure(h.client.api(`/users/${ID.bob}`).get());
    expect(gone).toMatchObject({ status: 404, code: 'Request_ResourceNotFound' });
    const bin = await deletedUsers(`id eq '${ID.bob}'`);
    expect(bin).toEqual([
      {
        id: ID.bob,
        userPrincipalName: `${ID.bob.replaceAll('-', '')}bsmith@contoso.com`,
        onPremisesImmutableId: null,
        deletedDateTime: '2026-03-05T12:00:00Z',
      },
    ]);
  });

  it('lists deleted users with their anchors, filterable by anchor', async () => {
    const bin = await deletedUsers("onPremisesImmutableId eq 'SV+BWQuSnU6tbIK1OqTBAg=='");
    expect(bin.map((u) => u.id)).toEqual([ID.bobDeleted]);
    const all = (await h.client.api('/directory/deletedItems/microsoft.graph.user').get()) as Page<User>;
    expect(all['@odata.context']).toBe(`${h.emulator.url}/v1.0/$metadata#users`);
    expect(all.value.map((u) => u.id)).toEqual([ID.bobDeleted]);
  });

  it('GET /directory/deletedItems/{id} answers a typed directoryObject; an active id is 404', async () => {
    const item = (await h.client.api(`/directory/deletedItems/${ID.bobDeleted}`).get()) as Record<string, unknown>;
    expect(item['@odata.type']).toBe('#microsoft.graph.user');
    expect(item['@odata.context']).toBe(`${h.emulator.url}/v1.0/$metadata#directoryObjects/$entity`);
    expect(item['deletedDateTime']).toBe('2026-02-21T09:15:00Z');
    const active = await graphFailure(h.client.api(`/directory/deletedItems/${ID.bob}`).get());
    expect(active).toMatchObject({ status: 404, code: 'Request_ResourceNotFound' });
  });
});

describe('restore', () => {
  it('restores with the original UPN and answers 200 with the user', async () => {
    await h.client.api(`/users/${ID.jane}`).delete();
    const restored = (await h.client.api(`/directory/deletedItems/${ID.jane}/restore`).post({})) as Record<string, unknown>;
    expect(restored).toMatchObject({ '@odata.type': '#microsoft.graph.user', id: ID.jane, userPrincipalName: 'jdoe@contoso.com' });
    expect(((await h.client.api(`/users/${ID.jane}`).get()) as User).userPrincipalName).toBe('jdoe@contoso.com');
  });

  it('fails with a conflict when the UPN was taken meanwhile; newUserPrincipalName gets round it', async () => {
    const failure = await graphFailure(h.client.api(`/directory/deletedItems/${ID.bobDeleted}/restore`).post({}));
    expect(failure.status).toBe(400);
    expect(failure.code).toBe('ObjectConflict');
    expect(failure.body.details).toEqual(conflictDetails('userPrincipalName', `User_${ID.bob}`));
    const restored = (await h.client
      .api(`/directory/deletedItems/${ID.bobDeleted}/restore`)
      .post({ newUserPrincipalName: 'bsmith.old@contoso.com' })) as User;
    expect(restored.userPrincipalName).toBe('bsmith.old@contoso.com');
  });

  it('brings a synced user (deleted by the sync) back cloud-only, its ImmutableID kept', async () => {
    const restored = (await h.client
      .api(`/directory/deletedItems/${ID.bobDeleted}/restore`)
      .post({ newUserPrincipalName: 'bsmith.old@contoso.com' })) as User;
    expect(restored.id).toBe(ID.bobDeleted);
    const user = (await h.client
      .api(`/users/${ID.bobDeleted}`)
      .select(['onPremisesSyncEnabled', 'onPremisesImmutableId', 'deletedDateTime'])
      .get()) as User;
    expect(user).toMatchObject({ onPremisesSyncEnabled: false, onPremisesImmutableId: 'SV+BWQuSnU6tbIK1OqTBAg==' });
    // Cloud-only now: Graph may change its ImmutableID (a synced user answers "on-premises mastered").
    await h.client.api(`/users/${ID.bobDeleted}`).patch({ onPremisesImmutableId: null });
    expect(h.emulator.state.activeUser(ID.bobDeleted)?.onPremisesImmutableId).toBeNull();
  });

  it('fails on a proxy address taken meanwhile unless autoReconcileProxyConflict is set', async () => {
    await h.client.api(`/users/${ID.jane}`).delete();
    await h.client.api(`/users/${ID.lead}`).patch({ mail: 'jdoe@contoso.com' });
    const failure = await graphFailure(h.client.api(`/directory/deletedItems/${ID.jane}/restore`).post({}));
    expect(failure.body.details).toEqual(conflictDetails('proxyAddresses', `User_${ID.lead}`));
    await h.client.api(`/directory/deletedItems/${ID.jane}/restore`).post({ autoReconcileProxyConflict: true });
    const user = (await h.client.api(`/users/${ID.jane}`).select(['proxyAddresses']).get()) as User;
    expect(user.proxyAddresses).toEqual([]);
  });
});

describe('purge', () => {
  it('DELETE /directory/deletedItems/{id} is permanent (204, then 404) and frees the anchor', async () => {
    await h.client.api(`/directory/deletedItems/${ID.bobDeleted}`).delete();
    const after = await graphFailure(h.client.api(`/directory/deletedItems/${ID.bobDeleted}`).get());
    expect(after).toMatchObject({ status: 404, code: 'Request_ResourceNotFound' });
    expect(await deletedUsers()).toEqual([]);
    await h.client.api(`/users/${ID.bob}`).patch({ onPremisesImmutableId: 'SV+BWQuSnU6tbIK1OqTBAg==' });
    expect(h.emulator.state.usersByImmutableId('SV+BWQuSnU6tbIK1OqTBAg==').map((x) => [x.user.id, x.deleted])).toEqual([[ID.bob, false]]);
  });

  it('will not purge an active user', async () => {
    const failure = await graphFailure(h.client.api(`/directory/deletedItems/${ID.bob}`).delete());
    expect(failure).toMatchObject({ status: 404, code: 'Request_ResourceNotFound' });
    expect(h.emulator.state.activeUser(ID.bob)).toBeDefined();
  });
});
