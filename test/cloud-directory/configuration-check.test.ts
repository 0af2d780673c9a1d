/**
 * Unit: the permissions `hardmatch check` verifies are exactly those the grant script grants (so a
 * permission added to one cannot be forgotten in the other), each verified by a read or by the
 * token; and what a token says about itself.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { BOT_PERMISSIONS, readTokenClaims } from '../../src/cloud-directory/index.ts';
import { permissionsFor } from '../../src/sandbox/emulator/permissions.ts';

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('BOT_PERMISSIONS', () => {
  it('lists the permissions infra/grant-graph-permissions.sh grants, in its order', async () => {
    const script = await readFile(new URL('../../infra/grant-graph-permissions.sh', import.meta.url), 'utf8');
    const granted = /permissions=\(\n([\s\S]*?)\n\)/
      .exec(script)?.[1]
      ?.split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    const cloudSync = /permissions\+=\(([^)]*)\)/.exec(script)?.[1]?.split(/\s+/).filter(Boolean) ?? [];
    expect(BOT_PERMISSIONS.filter((p) => !p.cloudSyncOnly).map((p) => p.name)).toEqual(granted);
    expect(BOT_PERMISSIONS.filter((p) => p.cloudSyncOnly).map((p) => p.name)).toEqual(cloudSync);
  });

  it('probes each readable permission with a read that this permission allows (as the emulator enforces it)', () => {
    for (const p of BOT_PERMISSIONS.filter((x) => x.probe)) {
      const path = (p.probe?.request.url ?? '').split('?')[0] ?? '';
      expect(permissionsFor('GET', path), p.name).toContain(p.name);
    }
    expect(BOT_PERMISSIONS.find((p) => p.name === 'User.DeleteRestore.All')?.probe).toBeUndefined();
  });
});

describe('readTokenClaims', () => {
  it('reads roles, tenant and app of an Entra access token', () => {
    const token = `${b64url({ typ: 'JWT' })}.${b64url({ roles: ['Domain.Read.All', 7], tid: 'tenant', appid: 'app' })}.sig`;
    expect(readTokenClaims(token)).toEqual({ roles: ['Domain.Read.All'], tenantId: 'tenant', appId: 'app' });
  });

  it('answers no roles when the claim is absent (an app granted no application permission)', () => {
    expect(readTokenClaims(`${b64url({})}.${b64url({ tid: 't', azp: 'a' })}.s`)).toEqual({ roles: [], tenantId: 't', appId: 'a' });
  });

  it.each([['opaque'], ['a.b'], ['a.!!!.c'], [`x.${b64url([1, 2])}.y`], [`x.${b64url('text')}.y`]])(
    'answers undefined for %s (not a JWT)',
    (token) => {
      expect(readTokenClaims(token)).toBeUndefined();
    },
  );
});
