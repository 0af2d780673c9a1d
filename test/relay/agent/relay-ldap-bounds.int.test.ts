/**
 * The relay agent over HTTP against the Samba test DC, on what a look-up may reach: LDAP_BASE_DN
 * bounds every look-up, by DN included (a DN outside it gets exactly the answer of a DN that does
 * not exist), and a control character in `who` is refused before LDAP sees it (Samba ends a value
 * at NUL, so `plainuser\0*` would otherwise find plainuser).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { RunningRelay } from '../../../src/relay/agent/start-relay.ts';
import { startFixtureRelay } from '../../../src/sandbox/fixture-relay.ts';
import { SCOPED_OU } from '../../support/samba-seed.ts';
import { ldapConfigFor, type SambaContext } from '../../support/samba.ts';
import { relayConfig, signedFetch } from './helpers.ts';

const samba = inject('samba');

function relayOver(ctx: SambaContext, baseDn: string): Promise<RunningRelay> {
  return startFixtureRelay(relayConfig({ fixturesDir: undefined, ldap: ldapConfigFor(ctx, { baseDn }) }));
}

interface Answer {
  status: number;
  json: unknown;
}

async function ask(relay: RunningRelay, who: string): Promise<Answer> {
  const { status, json } = await signedFetch(relay.url, { path: '/v1/lookup', body: JSON.stringify({ who }) });
  return { status, json };
}

async function sams(relay: RunningRelay, who: string): Promise<string[]> {
  const { status, json } = await ask(relay, who);
  expect(status, who).toBe(200);
  return (json as { users: { samAccountName: string }[] }).users.map((u) => u.samAccountName);
}

const NOT_FOUND: Answer = { status: 200, json: { users: [], truncated: false } };

describe.skipIf(!samba)('relay agent against Samba AD: LDAP_BASE_DN bounds every look-up', () => {
  const ctx = samba!;
  const { jdoe, scoped } = ctx.users;
  const scopedBase = `${SCOPED_OU},${ctx.baseDn}`;
  let inOu: RunningRelay;
  let wholeDomain: RunningRelay;

  beforeAll(async () => {
    [inOu, wholeDomain] = await Promise.all([relayOver(ctx, scopedBase), relayOver(ctx, ctx.baseDn)]);
  });
  afterAll(async () => {
    await Promise.all([inOu?.close(), wholeDomain?.close()]);
  });

  it('the users outside the OU exist: the whole-domain relay finds them by DN', async () => {
    expect(scoped.dn.toLowerCase()).toContain(scopedBase.toLowerCase());
    expect(await sams(wholeDomain, ctx.bindDn)).toEqual(['Administrator']);
    expect(await sams(wholeDomain, jdoe.dn)).toEqual([jdoe.sam]);
  });

  it('a DN inside the base is found, in any case and with spaces after the commas', async () => {
    const spaced = scoped.dn.split(',').join(', ');
    for (const typed of [scoped.dn, scoped.dn.toLowerCase(), scoped.dn.toUpperCase(), spaced]) {
      expect(await sams(inOu, typed), typed).toEqual([scoped.sam]);
    }
  });

  it('a DN outside the base is not found, answered exactly like a DN that does not exist', async () => {
    const missing = [`CN=Nobody,${scopedBase}`, `CN=Nobody,CN=Users,${ctx.baseDn}`];
    for (const typed of missing) expect(await ask(inOu, typed), typed).toEqual(NOT_FOUND);
    const outside = [ctx.bindDn, ctx.bindDn.toLowerCase(), jdoe.dn, jdoe.dn.split(',').join(', ')];
    for (const typed of outside) expect(await ask(inOu, typed), typed).toEqual(NOT_FOUND);
  });

  it('by sAMAccountName, UPN or GUID a user outside the base stays not found; inside it is found', async () => {
    for (const typed of ['Administrator', jdoe.sam, jdoe.upn ?? '', jdoe.objectGuid]) {
      expect(await ask(inOu, typed), typed).toEqual(NOT_FOUND);
    }
    for (const typed of [scoped.sam, scoped.upn ?? '', scoped.objectGuid]) {
      expect(await sams(inOu, typed), typed).toEqual([scoped.sam]);
    }
  });
});

describe.skipIf(!samba)('relay agent against Samba AD: control characters in who', () => {
  const ctx = samba!;
  const { plainuser, obrien } = ctx.users;
  let relay: RunningRelay;

  beforeAll(async () => {
    relay = await relayOver(ctx, ctx.baseDn);
  });
  afterAll(() => relay?.close());

  it('the users the hostile values start with exist', async () => {
    expect(await sams(relay, 'plainuser')).toEqual([plainuser.sam]);
    expect(await sams(relay, 'obrien')).toEqual([obrien.sam]);
  });

  it.each(['plainuser\u0000*', 'obrien\u0000x', 'plainuser\u0000', 'plain\nuser', 'plainuser\u007f', 'obrien\u0085'])(
    'refuses %j with 400 INPUT_INVALID naming the character, never a user',
    async (who) => {
      const { status, json } = await ask(relay, who);
      const answer = JSON.stringify(json);
      expect(answer).not.toContain(plainuser.objectGuid);
      expect(answer).not.toContain(obrien.objectGuid);
      expect(status).toBe(400);
      const { error } = json as { error: { code: string; message: string } };
      expect(error.code).toBe('INPUT_INVALID');
      expect(error.message).toMatch(/control character U\+00[0-9A-F]{2}/);
      const controls = [...error.message].filter((ch) => /\p{Cc}/u.test(ch));
      expect(controls, 'the raw character is not echoed').toEqual([]);
    },
  );

  it('a line break or tab around the value is trimmed like a space', async () => {
    expect(await sams(relay, 'plainuser\n')).toEqual([plainuser.sam]);
    expect(await sams(relay, '\tobrien\r\n')).toEqual([obrien.sam]);
  });
});
