/**
 * Contract: application permissions. An app granted fewer permissions than an operation needs gets
 * Graph's 403 `Authorization_RequestDenied` (single requests and each `$batch` sub-request alike);
 * a broader permission Graph also accepts is enough; an unknown permission name is refused at start.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { KNOWN_PERMISSIONS, permissionsFor } from '../../../src/sandbox/emulator/permissions.ts';
import { startEmulator } from '../../../src/sandbox/emulator/server.ts';
import { ConfigError } from '../../../src/errors/index.ts';
import { errorOf, ID, startGraph, testSeed, type Harness } from './graph-harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('application permissions', () => {
  it('grants every known permission by default', async () => {
    h = await startGraph();
    for (const path of [
      '/v1.0/users',
      '/v1.0/domains',
      '/v1.0/groups',
      '/v1.0/directoryRoles',
      '/v1.0/directory/onPremisesSynchronization',
      '/v1.0/directory/deletedItems/microsoft.graph.user',
    ]) {
      expect((await h.raw(path)).status, path).toBe(200);
    }
  });

  it('answers 403 Authorization_RequestDenied, in Graph’s body shape, for an operation no granted permission allows', async () => {
    h = await startGraph({ permissions: ['User.Read.All', 'Domain.Read.All'] });
    expect((await h.raw('/v1.0/users')).status).toBe(200);
    const response = await h.raw('/v1.0/groups');
    expect(response.status).toBe(403);
    const error = await errorOf(response);
    expect(error).toMatchObject({ code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' });
    expect(error.innerError['request-id']).toBe(response.headers.get('request-id'));
  });

  it('refuses writes to an app holding only read permissions, and changes nothing', async () => {
    h = await startGraph({ permissions: ['User.Read.All'] });
    const response = await h.raw(`/v1.0/users/${ID.jane}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ onPremisesImmutableId: 'SV+BWQuSnU6tbIK1OqTBAg==' }),
    });
    expect(response.status).toBe(403);
    expect((await errorOf(response)).code).toBe('Authorization_RequestDenied');
    expect(h.emulator.state.graphWrites()).toEqual([]);
  });

  it('judges each $batch sub-request on its own', async () => {
    h = await startGraph({ permissions: ['Domain.Read.All'] });
    const response = await h.raw('/v1.0/$batch', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        requests: [
          { id: 'd', method: 'GET', url: '/domains' },
          { id: 'r', method: 'GET', url: '/directoryRoles' },
        ],
      }),
    });
    expect(response.status).toBe(200);
    const { responses } = (await response.json()) as { responses: { id: string; status: number; body: { error?: { code: string } } }[] };
    const byId = new Map(responses.map((r) => [r.id, r]));
    expect(byId.get('d')?.status).toBe(200);
    expect(byId.get('r')?.status).toBe(403);
    expect(byId.get('r')?.body.error?.code).toBe('Authorization_RequestDenied');
  });

  it('accepts a broader permission Graph also accepts (Directory.Read.All reads groups and roles)', async () => {
    h = await startGraph({ permissions: ['Directory.Read.All'] });
    expect((await h.raw('/v1.0/groups')).status).toBe(200);
    expect((await h.raw(`/v1.0/users/${ID.admin}/transitiveMemberOf/microsoft.graph.directoryRole`)).status).toBe(200);
    expect((await h.raw('/v1.0/directory/onPremisesSynchronization')).status).toBe(403);
  });

  it('names an unknown permission (a typo) at start-up', async () => {
    const err = await startEmulator({ seed: testSeed(), permissions: ['User.Read.All', 'Groupmember.Reed.All'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems[0]).toContain('"Groupmember.Reed.All"');
  });

  it('knows a permission for every operation the bot makes', () => {
    expect(KNOWN_PERMISSIONS).toEqual(
      expect.arrayContaining([
        'User.ReadWrite.All',
        'User.DeleteRestore.All',
        'Domain.Read.All',
        'OnPremDirectorySynchronization.Read.All',
        'GroupMember.Read.All',
        'RoleManagement.Read.Directory',
      ]),
    );
    expect(permissionsFor('DELETE', `/directory/deletedItems/${ID.bobDeleted}`)).toEqual(['User.DeleteRestore.All']);
    expect(permissionsFor('POST', '/$batch')).toBeUndefined();
  });
});
