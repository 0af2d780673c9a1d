/**
 * Contract: `onPremisesObjectIdentifier` (beta, 2026 hard-match hardening) and
 * `onPremisesSyncBehavior` (beta, source of authority) through the real Graph client: readable
 * under /beta only, in single GETs, lists and $batch; the clear accepts only null, needs
 * User-OnPremisesSyncBehavior.ReadWrite.All and an app holding Global Administrator or Hybrid
 * Identity Administrator; every refusal is Graph's own body.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { errorOf, graphFailure, ID, startGraph, testSeed, type Harness } from './graph-harness.ts';

const OLD_OBJECT = '3f8a61d2-9c47-4e0b-b5d3-0a6e27c4f915';

function seed(app?: { directoryRoles: string[] }) {
  const base = testSeed();
  const users = (base.users ?? []).map((u) =>
    u.id === ID.janeSynced
      ? { ...u, onPremisesObjectIdentifier: OLD_OBJECT, isCloudManaged: false }
      : u.id === ID.bob
        ? { ...u, isCloudManaged: true }
        : u,
  );
  return { ...base, users, ...(app ? { app } : {}) };
}

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('onPremisesObjectIdentifier', () => {
  it('is selectable under /beta, on one user and in a list', async () => {
    h = await startGraph({ seed: seed() });
    const one = (await h.client.api(`/users/${ID.janeSynced}`).version('beta').select('id,onPremisesObjectIdentifier').get()) as Record<
      string,
      unknown
    >;
    expect(one).toMatchObject({ id: ID.janeSynced, onPremisesObjectIdentifier: OLD_OBJECT });
    expect(String(one['@odata.context'])).toContain('/beta/$metadata#users');
    const list = (await h.client.api('/users').version('beta').select('id,onPremisesObjectIdentifier').top(999).get()) as {
      value: { id: string; onPremisesObjectIdentifier: string | null }[];
    };
    expect(list.value.find((u) => u.id === ID.jane)?.onPremisesObjectIdentifier).toBeNull();
  });

  it('is not a v1.0 property: $select answers Graph’s 400', async () => {
    h = await startGraph({ seed: seed() });
    const failure = await graphFailure(h.client.api(`/users/${ID.janeSynced}`).select('onPremisesObjectIdentifier').get());
    expect(failure).toMatchObject({
      status: 400,
      code: 'BadRequest',
      message: "Could not find a property named 'onPremisesObjectIdentifier' on type 'microsoft.graph.user'.",
    });
  });

  it('reads inside a /beta $batch, and a beta part inside a v1.0 batch', async () => {
    h = await startGraph({ seed: seed() });
    const beta = await h.raw('/beta/$batch', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        requests: [
          { id: '1', method: 'GET', url: `/users/${ID.janeSynced}?$select=id,onPremisesObjectIdentifier` },
          { id: '2', method: 'GET', url: `/users/${ID.bob}/onPremisesSyncBehavior` },
        ],
      }),
    });
    const { responses } = (await beta.json()) as { responses: { id: string; status: number; body: Record<string, unknown> }[] };
    expect(responses.find((r) => r.id === '1')).toMatchObject({ status: 200, body: { onPremisesObjectIdentifier: OLD_OBJECT } });
    expect(responses.find((r) => r.id === '2')).toMatchObject({ status: 200, body: { id: ID.bob, isCloudManaged: true } });
    const mixed = await h.raw('/v1.0/$batch', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        requests: [{ id: 'a', method: 'GET', url: `/beta/users/${ID.janeSynced}?$select=onPremisesObjectIdentifier` }],
      }),
    });
    expect(((await mixed.json()) as { responses: { status: number }[] }).responses[0]?.status).toBe(200);
  });

  it('is cleared by PATCH /beta/users/{id} with null (also on a synced user), and the change is journaled', async () => {
    h = await startGraph({ seed: seed() });
    await h.client.api(`/users/${ID.janeSynced}`).version('beta').patch({ onPremisesObjectIdentifier: null });
    expect(h.emulator.state.activeUser(ID.janeSynced)?.onPremisesObjectIdentifier).toBeNull();
    expect(h.emulator.state.graphWrites().map((w) => w.method)).toEqual(['PATCH']);
  });

  it.each([
    ['a GUID', OLD_OBJECT],
    ['an empty string', ''],
    ['a number', 1],
  ])('refuses %s: only null is accepted', async (_what, value) => {
    h = await startGraph({ seed: seed() });
    const failure = await graphFailure(
      h.client.api(`/users/${ID.janeSynced}`).version('beta').patch({ onPremisesObjectIdentifier: value }),
    );
    expect(failure).toMatchObject({
      status: 400,
      code: 'Request_BadRequest',
      message: "Invalid value specified for property 'onPremisesObjectIdentifier' of resource 'User'.",
    });
    expect(h.emulator.state.activeUser(ID.janeSynced)?.onPremisesObjectIdentifier).toBe(OLD_OBJECT);
  });

  it('does not exist for PATCH under v1.0', async () => {
    h = await startGraph({ seed: seed() });
    const failure = await graphFailure(h.client.api(`/users/${ID.janeSynced}`).patch({ onPremisesObjectIdentifier: null }));
    expect(failure).toMatchObject({ status: 400, code: 'BadRequest' });
    expect(failure.message).toContain("Property 'onPremisesObjectIdentifier' does not exist on type 'microsoft.graph.user'.");
  });

  it('needs User-OnPremisesSyncBehavior.ReadWrite.All: User.ReadWrite.All alone gets 403', async () => {
    h = await startGraph({ seed: seed(), permissions: ['User.ReadWrite.All'] });
    const failure = await graphFailure(h.client.api(`/users/${ID.janeSynced}`).version('beta').patch({ onPremisesObjectIdentifier: null }));
    expect(failure).toMatchObject({
      status: 403,
      code: 'Authorization_RequestDenied',
      message: 'Insufficient privileges to complete the operation.',
    });
  });

  it('with only that permission, clears the mapping but may not change anything else', async () => {
    h = await startGraph({ seed: seed(), permissions: ['User-OnPremisesSyncBehavior.ReadWrite.All'] });
    await h.client.api(`/users/${ID.janeSynced}`).version('beta').patch({ onPremisesObjectIdentifier: null });
    const failure = await graphFailure(h.client.api(`/users/${ID.jane}`).version('beta').patch({ displayName: 'x' }));
    expect(failure).toMatchObject({ status: 403, code: 'Authorization_RequestDenied' });
  });

  it.each([[[]], [['User Administrator']]])(
    'is refused (403) when the app holds neither Global nor Hybrid Identity Administrator: %j',
    async (roles) => {
      h = await startGraph({ seed: seed({ directoryRoles: roles }) });
      const failure = await graphFailure(
        h.client.api(`/users/${ID.janeSynced}`).version('beta').patch({ onPremisesObjectIdentifier: null }),
      );
      expect(failure).toMatchObject({
        status: 403,
        code: 'Authorization_RequestDenied',
        message: 'Insufficient privileges to complete the operation.',
      });
      expect(h.emulator.state.activeUser(ID.janeSynced)?.onPremisesObjectIdentifier).toBe(OLD_OBJECT);
    },
  );

  it('is allowed for an app holding Global Administrator', async () => {
    h = await startGraph({ seed: seed({ directoryRoles: ['Global Administrator'] }) });
    await h.client.api(`/users/${ID.janeSynced}`).version('beta').patch({ onPremisesObjectIdentifier: null });
    expect(h.emulator.state.activeUser(ID.janeSynced)?.onPremisesObjectIdentifier).toBeNull();
  });
});

describe('onPremisesSyncBehavior', () => {
  it('GET /beta/users/{id}/onPremisesSyncBehavior answers isCloudManaged', async () => {
    h = await startGraph({ seed: seed() });
    const body = (await h.client.api(`/users/${ID.bob}/onPremisesSyncBehavior`).version('beta').get()) as Record<string, unknown>;
    expect(body).toMatchObject({ '@odata.type': '#microsoft.graph.onPremisesSyncBehavior', id: ID.bob, isCloudManaged: true });
  });

  it('PATCH sets it (200 with the object); a cloud-managed user is no longer on-premises mastered', async () => {
    h = await startGraph({ seed: seed() });
    const body = (await h.client
      .api(`/users/${ID.janeSynced}/onPremisesSyncBehavior`)
      .version('beta')
      .patch({ isCloudManaged: true })) as Record<string, unknown>;
    expect(body).toMatchObject({ id: ID.janeSynced, isCloudManaged: true });
    expect(h.emulator.state.activeUser(ID.janeSynced)).toMatchObject({ isCloudManaged: true, onPremisesSyncEnabled: false });
  });

  it('refuses other properties and non-boolean values with Graph’s 400', async () => {
    h = await startGraph({ seed: seed() });
    const unknown = await graphFailure(
      h.client.api(`/users/${ID.bob}/onPremisesSyncBehavior`).version('beta').patch({ isCloudManged: true }),
    );
    expect(unknown).toMatchObject({ status: 400, code: 'BadRequest' });
    expect(unknown.message).toContain("Property 'isCloudManged' does not exist on type 'microsoft.graph.onPremisesSyncBehavior'.");
    const bad = await graphFailure(
      h.client.api(`/users/${ID.bob}/onPremisesSyncBehavior`).version('beta').patch({ isCloudManaged: 'yes' }),
    );
    expect(bad).toMatchObject({ status: 400, code: 'Request_BadRequest' });
  });

  it('does not exist under v1.0', async () => {
    h = await startGraph({ seed: seed() });
    const response = await h.raw(`/v1.0/users/${ID.bob}/onPremisesSyncBehavior`);
    expect(response.status).toBe(404);
    expect((await errorOf(response)).message).toBe("Resource not found for the segment 'onPremisesSyncBehavior'.");
  });

  it('needs User-OnPremisesSyncBehavior.ReadWrite.All, for reading too', async () => {
    h = await startGraph({ seed: seed(), permissions: ['User.ReadWrite.All', 'Directory.Read.All'] });
    const failure = await graphFailure(h.client.api(`/users/${ID.bob}/onPremisesSyncBehavior`).version('beta').get());
    expect(failure).toMatchObject({ status: 403, code: 'Authorization_RequestDenied' });
  });

  it('expands on beta users, in a filtered list and on one user, in the same request', async () => {
    h = await startGraph({ seed: seed() });
    const list = (await h.client
      .api('/users')
      .version('beta')
      .filter("userPrincipalName eq 'bsmith@contoso.com'")
      .select('id,onPremisesObjectIdentifier')
      .expand('onPremisesSyncBehavior($select=isCloudManaged)')
      .get()) as { value: Record<string, unknown>[] };
    const type = '#microsoft.graph.onPremisesSyncBehavior';
    expect(list.value).toEqual([
      { id: ID.bob, onPremisesObjectIdentifier: null, onPremisesSyncBehavior: { '@odata.type': type, isCloudManaged: true } },
    ]);
    const one = (await h.client
      .api(`/users/${ID.janeSynced}`)
      .version('beta')
      .select('id')
      .expand('onPremisesSyncBehavior')
      .get()) as Record<string, unknown>;
    expect(one['onPremisesSyncBehavior']).toEqual({ '@odata.type': type, id: ID.janeSynced, isCloudManaged: false });
  });

  it('refuses the expand with $count=true (an advanced query), on v1.0, or without the permission', async () => {
    h = await startGraph({ seed: seed() });
    const counted = await graphFailure(
      h.client.api('/users').version('beta').header('ConsistencyLevel', 'eventual').count(true).expand('onPremisesSyncBehavior').get(),
    );
    expect(counted).toMatchObject({ status: 400, code: 'Request_UnsupportedQuery' });
    const v1 = await graphFailure(h.client.api('/users').expand('onPremisesSyncBehavior').get());
    expect(v1).toMatchObject({
      status: 400,
      message: "Could not find a property named 'onPremisesSyncBehavior' on type 'microsoft.graph.user'.",
    });
    await h.close();
    h = await startGraph({ seed: seed(), permissions: ['User.Read.All'] });
    expect(await graphFailure(h.client.api('/users').version('beta').expand('onPremisesSyncBehavior').get())).toMatchObject({
      status: 403,
    });
  });

  it('answers 404 for an unknown user', async () => {
    h = await startGraph({ seed: seed() });
    const failure = await graphFailure(
      h.client.api('/users/00000000-0000-4000-8000-000000000000/onPremisesSyncBehavior').version('beta').get(),
    );
    expect(failure).toMatchObject({ status: 404, code: 'Request_ResourceNotFound' });
  });
});
