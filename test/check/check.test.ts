/**
 * `hardmatch check` against real parts: the Entra emulator over HTTPS, a relay agent over HTTP and a
 * sqlite store, with the configuration loaded as `npm run bot` loads it. One run where everything
 * works, then each failure provoked once: the exit code, what failed, the fix, and what was skipped.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TokenCredential } from '@azure/identity';
import { describe, expect, it } from 'vitest';
import { KNOWN_PERMISSIONS } from '../../src/sandbox/emulator/permissions.ts';
import { ID } from '../sandbox/emulator/graph-harness.ts';
import { startFrozenServer } from '../support/frozen-server.ts';
import { KEY } from '../relay/agent/helpers.ts';
import { APP_PASSWORD, appToken, BOT_ROLES, closedPort, EMPTY_GROUP, perTestStacks, tokenCredential } from './harness.ts';

const stack = perTestStacks();

const omit = (env: Record<string, string>, ...names: string[]): Record<string, string> =>
  Object.fromEntries(Object.entries(env).filter(([k]) => !names.includes(k)));
const without = (list: readonly string[], ...names: string[]): string[] => list.filter((p) => !names.includes(p));

describe('hardmatch check', () => {
  it('passes every check on a working configuration, and shows no secret', async () => {
    const s = await stack();
    const run = await s.check({ sample: 'jdoe' });
    expect(run.output).not.toContain('FAILED');
    // The emulator does not list the app's own service principal among role members, so its role cannot be looked up.
    expect(run.output.match(/Skipped/g)).toHaveLength(1);
    expect(run.section('Sync engine and directory role')).toContain('OK: found Entra Connect Sync (syncs run through the relay).');
    expect(run.section('Sync engine and directory role')).toContain(
      "Skipped, because the token names no object id, so the identity's directory roles cannot be looked up",
    );
    expect(run.section('Microsoft Graph sign-in')).toContain(
      'OK: got a Microsoft Graph token (tenant 7b1c2f0e-4a8d-4e55-9d0a-1f6a2b3c4d5e',
    );
    // The emulator's seed has takeover blocking on: the read is real.
    expect(run.section('Microsoft Graph sign-in')).toContain('blockCloudObjectTakeoverThroughHardMatchEnabled on');
    const permissions = run.section('Graph permissions');
    for (const name of BOT_ROLES) expect(permissions).toMatch(new RegExp(`OK: ${name.replaceAll('.', '\\.')} \\(`));
    expect(run.section('Relay')).toContain('OK: http://127.0.0.1');
    expect(run.section('Relay')).toContain('"jdoe" is CN=John Doe,OU=Staff,DC=contoso,DC=com');
    expect(run.section('Store')).toContain(
      'OK: wrote, read back and replaced a test record; a write from a stale version was refused; the record was removed.',
    );
    expect(run.section('Admins')).toContain('2 user member(s), nested groups included');
    expect(run.output).toContain('Result: all checks passed.');
    expect(run.code).toBe(0);
    for (const secret of [KEY, APP_PASSWORD]) expect(run.output).not.toContain(secret);
  });

  it('fails on a token Graph refuses, and skips what needs Graph', async () => {
    const s = await stack({ emulator: { acceptToken: () => false } });
    const run = await s.check();
    const signIn = run.section('Microsoft Graph sign-in');
    expect(signIn).toContain(
      "FAILED (CLOUD_AUTH_FAILED): Microsoft Graph refused the bot's token to read the tenant's Entra Connect match switches (401 InvalidAuthenticationToken",
    );
    expect(signIn).toContain('Fix: Give the bot a Graph identity');
    expect(run.section('Graph permissions')).toContain(
      "Skipped, because Microsoft Graph refused the bot's token (GroupMember.Read.All not checked).",
    );
    expect(run.section('Admins')).toContain("Skipped, because Microsoft Graph refused the bot's token (ADMIN_GROUP_ID not read).");
    // The parts that do not need Graph are still checked.
    expect(run.section('Store')).toContain('OK:');
    expect(run.code).toBe(1);
  });

  it('fails when the credential cannot produce a token (an expired client secret)', async () => {
    const s = await stack();
    const expired: TokenCredential = {
      getToken: () =>
        Promise.reject(
          Object.assign(new Error('AADSTS7000222: The provided client secret keys for app are expired.'), { name: 'AuthenticationError' }),
        ),
    };
    const run = await s.check({ credential: expired });
    const signIn = run.section('Microsoft Graph sign-in');
    expect(signIn).toContain(
      'FAILED (CLOUD_AUTH_FAILED): The bot could not get a Microsoft Graph token: AuthenticationError: AADSTS7000222',
    );
    expect(signIn).toContain('with a secret that has not expired');
    expect(signIn).toContain('Skipped, because there is no usable Graph token.');
    expect(run.code).toBe(1);
  });

  it('names a missing permission a read needs, says how to grant it, and skips the admin group it blocks', async () => {
    const granted = without(KNOWN_PERMISSIONS, 'GroupMember.Read.All', 'Group.Read.All', 'Directory.Read.All', 'Directory.ReadWrite.All');
    const s = await stack({ emulator: { permissions: granted } });
    const run = await s.check({ credential: tokenCredential(appToken(without(BOT_ROLES, 'GroupMember.Read.All'))) });
    const permissions = run.section('Graph permissions');
    expect(permissions).toContain(
      'FAILED (CLOUD_AUTH_FAILED): Microsoft Graph denied the bot permission to read groups; it needs the application permission GroupMember.Read.All (403 Authorization_RequestDenied',
    );
    expect(permissions).toContain("Fix: Grant GroupMember.Read.All to the bot's identity: run infra/grant-graph-permissions.sh");
    expect(permissions.match(/FAILED[ :]/g)).toHaveLength(1);
    expect(permissions).toContain('OK: Domain.Read.All');
    expect(run.section('Admins')).toContain('Skipped, because GroupMember.Read.All is missing (ADMIN_GROUP_ID not read).');
    expect(run.code).toBe(1);
  });

  it('names a missing permission only a write would prove, from the token’s roles', async () => {
    const s = await stack({ emulator: { permissions: without(KNOWN_PERMISSIONS, 'User.DeleteRestore.All') } });
    const run = await s.check({ credential: tokenCredential(appToken(without(BOT_ROLES, 'User.DeleteRestore.All'))) });
    const permissions = run.section('Graph permissions');
    expect(permissions).toContain(
      "FAILED: User.DeleteRestore.All (purge a user from the recycle bin): not among the token's permissions (it holds User.ReadWrite.All, Domain.Read.All",
    );
    expect(permissions).toContain('Fix: Grant User.DeleteRestore.All');
    expect(permissions.match(/FAILED[ :]/g)).toHaveLength(1);
    expect(run.code).toBe(1);
  });

  it('cannot verify write-only permissions from a token that is not a JWT', async () => {
    const s = await stack();
    const run = await s.check({ credential: tokenCredential('opaque-token') });
    const permissions = run.section('Graph permissions');
    expect(permissions).toContain(
      'FAILED: User.DeleteRestore.All (purge a user from the recycle bin): cannot be verified: the token is not a JWT',
    );
    expect(permissions).toContain('FAILED: User.ReadWrite.All (read users, set the ImmutableID, rename a UPN): cannot be verified');
    expect(permissions).toContain('OK: GroupMember.Read.All');
    expect(run.code).toBe(1);
  });

  it('fails when the Graph token is for another tenant than the one the bot serves', async () => {
    const s = await stack();
    const other = '99999999-9999-4999-8999-999999999999';
    const run = await s.check({ credential: tokenCredential(appToken(BOT_ROLES, other)) });
    const signIn = run.section('Microsoft Graph sign-in');
    expect(signIn).toContain(
      `FAILED: the Graph token is for tenant ${other}, but MicrosoftAppTenantId is 7b1c2f0e-4a8d-4e55-9d0a-1f6a2b3c4d5e`,
    );
    expect(run.section('Graph permissions')).toContain('Skipped, because there is no usable Graph token');
    expect(run.code).toBe(1);
  });

  it('fails when Graph cannot be reached, and skips the permissions', async () => {
    const s = await stack();
    const port = await closedPort();
    const run = await s.check({ env: { ...s.env, GRAPH_BASE_URL: `https://127.0.0.1:${port}` } });
    expect(run.section('Microsoft Graph sign-in')).toContain(
      "FAILED (CLOUD_UNAVAILABLE): Microsoft Graph could not be reached to read the tenant's Entra Connect match switches after 2 attempts: the connection was refused",
    );
    expect(run.section('Graph permissions')).toContain(
      `Skipped, because Microsoft Graph at https://127.0.0.1:${port} could not be reached (User.ReadWrite.All not checked).`,
    );
    expect(run.code).toBe(1);
  });

  it('bounds the Graph sign-in by the check time limit when the credential never answers', async () => {
    const s = await stack();
    const silent: TokenCredential = { getToken: () => new Promise(() => undefined) };
    const run = await s.check({ credential: silent, timeoutMs: 200 });
    expect(run.section('Microsoft Graph sign-in')).toContain('FAILED: did not finish within 0.2 s.');
    expect(run.code).toBe(1);
  });

  it('fails when the relay cannot be reached, naming the TCP refusal', async () => {
    const s = await stack();
    const port = await closedPort();
    const run = await s.check({ env: { ...s.env, RELAY_URL: `http://127.0.0.1:${port}` } });
    const relay = run.section('Relay');
    expect(relay).toContain(`FAILED (RELAY_UNAVAILABLE): The relay at http://127.0.0.1:${port} could not be reached (ECONNREFUSED).`);
    expect(relay).toContain('Fix: Nothing accepts connections at RELAY_URL (TCP refused)');
    expect(relay).toContain('Skipped, because the relay health check failed.');
    expect(run.code).toBe(1);
  });

  it('fails when the relay refuses the signature (another RELAY_KEY), and shows neither key', async () => {
    const s = await stack();
    const otherKey = 'a-different-relay-key-of-more-than-32-characters';
    const run = await s.check({ env: { ...s.env, RELAY_KEY: otherKey } });
    const relay = run.section('Relay');
    expect(relay).toContain("FAILED (RELAY_REJECTED): the relay refused the bot's signature (The relay refused the request (HTTP 401");
    expect(relay).toContain("Fix: RELAY_KEY must be exactly the relay agent's RELAY_KEY");
    expect(relay).toContain('clocks must agree within 5 minutes');
    expect(run.output).not.toContain(otherKey);
    expect(run.output).not.toContain(KEY);
    expect(run.code).toBe(1);
  });

  it('fails when the relay’s clock is more than 5 minutes off, showing its reason and this clock', async () => {
    const s = await stack({ relayClockOffsetMs: 10 * 60_000 });
    const run = await s.check();
    const relay = run.section('Relay');
    expect(relay).toContain("Request timestamp is 600 s behind the relay's clock (at most 300 s either way)");
    expect(relay).toMatch(/clocks must agree within 5 minutes \(this machine's clock says \d{4}-\d\d-\d\dT/);
    expect(run.code).toBe(1);
  });

  it('gives up on a relay that never answers after RELAY_TIMEOUT_MS', async () => {
    const s = await stack();
    const frozen = await startFrozenServer();
    try {
      const run = await s.check({ env: { ...s.env, RELAY_URL: frozen.url.replace('https:', 'http:'), RELAY_TIMEOUT_MS: '300' } });
      expect(run.section('Relay')).toMatch(
        /FAILED \(RELAY_TIMEOUT\): The relay at http:\/\/127\.0\.0\.1:\d+ did not answer within 0\.3 s\./,
      );
      expect(run.code).toBe(1);
    } finally {
      await frozen.close();
    }
  });

  it('fails when no relay is configured, saying which variables to set', async () => {
    const s = await stack();
    const run = await s.check({ env: omit(s.env, 'RELAY_URL', 'RELAY_KEY') });
    expect(run.section('Relay')).toContain('FAILED: RELAY_URL is not set');
    expect(run.section('Relay')).toContain("Fix: Set RELAY_URL to the relay agent's address");
    expect(run.code).toBe(1);
  });

  it('fails when the sqlite store cannot be opened', async () => {
    const s = await stack();
    const file = join(s.dir, 'not-a-folder');
    writeFileSync(file, 'x');
    const run = await s.check({ env: { ...s.env, STORE_URL: `sqlite:${file}/hardmatch.db` } });
    const store = run.section('Store');
    expect(store).toContain('FAILED: could not open the store: ');
    expect(store).toContain(
      `Fix: STORE_URL names the file ${file}/hardmatch.db: its folder must exist or be creatable, and writable by the bot's account`,
    );
    expect(run.code).toBe(1);
  });

  it('fails when ADMIN_GROUP_ID names no group (404)', async () => {
    const s = await stack();
    const missing = '0badc0de-0000-4000-8000-000000000404';
    const run = await s.check({ env: { ...s.env, ADMIN_GROUP_ID: missing } });
    const admins = run.section('Admins');
    expect(admins).toContain(
      `FAILED: ADMIN_GROUP_ID ${missing} names no group in this tenant (Graph answered 404 Request_ResourceNotFound).`,
    );
    expect(admins).toContain('Fix: Set ADMIN_GROUP_ID to the object id of the Entra group of Hardmatch admins');
    expect(admins).toContain('Skipped, because the admin group check failed.');
    expect(run.code).toBe(1);
  });

  it('fails when the admin group has no members', async () => {
    const s = await stack();
    const run = await s.check({ env: { ...s.env, ADMIN_GROUP_ID: EMPTY_GROUP } });
    expect(run.section('Admins')).toContain(
      `FAILED: ADMIN_GROUP_ID ${EMPTY_GROUP} names a group with no user members (nested groups included)`,
    );
    expect(run.section('Admins')).toContain('Fix: Add the Hardmatch admins to that group');
    expect(run.code).toBe(1);
  });

  it('fails when no admins are configured at all, naming both variables', async () => {
    const s = await stack();
    const run = await s.check({ env: omit(s.env, 'ADMIN_GROUP_ID') });
    const admins = run.section('Admins');
    expect(admins).toContain('FAILED: neither ADMIN_GROUP_ID nor ADMIN_IDS is set');
    expect(admins).toContain(
      "Fix: Set ADMIN_GROUP_ID to the object id of the Entra group of Hardmatch admins, or ADMIN_IDS to the admins' Entra object ids, comma-separated.",
    );
    expect(run.code).toBe(1);
  });

  it('fails on an ADMIN_IDS entry that is no active user of the tenant (a deleted user, a typo)', async () => {
    const s = await stack();
    const typo = '0badc0de-0000-4000-8000-00000000beef';
    const run = await s.check({ env: { ...s.env, ADMIN_IDS: `${ID.jane},${ID.bobDeleted},${typo}` } });
    const admins = run.section('Admins');
    expect(admins).toContain(
      `FAILED: ADMIN_IDS lists ${ID.bobDeleted}, ${typo}, which are not an active user of this tenant (deleted, or a typo)`,
    );
    expect(admins).toContain("Fix: Correct ADMIN_IDS: each entry is a user's Object ID");
    // The group's two users and jane still make enough admins.
    expect(admins).toContain('OK: 3 admin(s) in all');
    expect(run.code).toBe(1);
  });

  it('fails when too few admins are listed for REQUIRED_APPROVALS', async () => {
    const s = await stack();
    const run = await s.check({ env: { ...omit(s.env, 'ADMIN_GROUP_ID'), ADMIN_IDS: `${ID.jane}, ${ID.bob}`, REQUIRED_APPROVALS: '2' } });
    const admins = run.section('Admins');
    expect(admins).toContain('OK: ADMIN_IDS lists 2 admin(s), each an active user of this tenant.');
    expect(admins).toContain('FAILED: only 2 admin(s) in all, but REQUIRED_APPROVALS 2 needs at least 3');
    expect(run.code).toBe(1);
  });
});
