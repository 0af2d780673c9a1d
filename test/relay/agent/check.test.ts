import { describe, expect, it, vi } from 'vitest';
import type { LdapConfig, RelayAgentConfig } from '../../../src/config/load-relay-config.ts';
import type { Who } from '../../../src/domain/who.ts';
import { DirectoryError } from '../../../src/errors/index.ts';
import { runCheck, type CheckDeps } from '../../../src/relay/agent/check.ts';
import type { Directory } from '../../../src/relay/agent/directory.ts';
import { locateProgram } from '../../../src/relay/agent/sync-command.ts';
import { fixtureUser, KEY, relayConfig, silentLogger, writeFixtureDir, noPages } from './helpers.ts';
import { fixtureOpener } from '../../../src/sandbox/fixture-relay.ts';

const LDAP: LdapConfig = {
  url: 'ldaps://dc1.contoso.com:636',
  bindDn: 'CN=svc-hardmatch,OU=Service Accounts,DC=contoso,DC=com',
  bindPassword: 'Bind-Password-Never-Printed-42',
  baseDn: 'DC=contoso,DC=com',
  connectTimeoutMs: 5000,
  timeoutMs: 10000,
};

/** This machine's programs: the fixtures' SYNC_COMMAND `true` is in /usr/bin. */
const locate = (program: string) => locateProgram(program, { env: { PATH: '/usr/local/bin:/usr/bin:/bin' } });

async function check(
  config: RelayAgentConfig,
  deps: Omit<CheckDeps, 'locate'> & Partial<Pick<CheckDeps, 'locate'>>,
): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const code = await runCheck(config, { locate, openFixtures: fixtureOpener(), ...deps, write: (l) => lines.push(l) });
  return { code, out: lines.join('\n') };
}

/** A relay configured for LDAP instead of the sandbox fixtures. */
const ldapConfig = () => relayConfig({ fixturesDir: undefined, ldap: LDAP });

const noWrite = (): void => undefined;

describe('hardmatch-relay check', () => {
  it('passes on the sandbox fixtures and shows the sample user, never the key', async () => {
    const { code, out } = await check(relayConfig(), { logger: silentLogger(), write: noWrite, sample: 'jdoe' });
    expect(code).toBe(0);
    expect(out).toContain('Configuration');
    expect(out).toContain('fixture files in');
    expect(out).toContain('RELAY_KEY:      set (not shown)');
    expect(out).toContain('OK: loaded the fixture files.');
    expect(out).toContain('CN=John Doe,OU=Staff,DC=contoso,DC=com: ImmutableID 3HjiBBIFx02rIhVtmcNDyg== (from mS-DS-ConsistencyGuid)');
    expect(out).toContain('Result: all checks passed.');
    expect(out).not.toContain(KEY);
  });

  it('says how to name a sample user when none is given for fixtures', async () => {
    const { code, out } = await check(relayConfig(), { logger: silentLogger(), write: noWrite });
    expect(code).toBe(0);
    expect(out).toContain('Skipped: name a user to look up, e.g. `hardmatch-relay check jdoe`.');
  });

  it('explains a failing directory in plain words and exits 1, without the password', async () => {
    const lookup = vi.fn<Directory['lookup']>();
    const directory: Directory = {
      kind: 'ldap',
      users: noPages,
      lookup,
      check: () =>
        Promise.reject(new DirectoryError('DIRECTORY_CREDENTIALS', 'The domain controller refused the bind (49: invalid credentials).')),
      close: () => Promise.resolve(),
    };
    const { code, out } = await check(ldapConfig(), { logger: silentLogger(), write: noWrite, directory });
    expect(code).toBe(1);
    expect(out).toContain('ldaps://dc1.contoso.com:636');
    expect(out).toContain('Bind as:        CN=svc-hardmatch,OU=Service Accounts,DC=contoso,DC=com (password set, not shown)');
    expect(out).toContain('FAILED (DIRECTORY_CREDENTIALS): The relay could not sign in to Active Directory.');
    expect(out).toContain('Check LDAP_BIND_DN and LDAP_BIND_PASSWORD');
    expect(out).toContain('Skipped: the directory check failed.');
    expect(out).toContain('Result: problems found');
    expect(out).not.toContain(LDAP.bindPassword);
    expect(lookup).not.toHaveBeenCalled();
  });

  it('looks up the bind account by default when the directory is LDAP', async () => {
    const seen: Who[] = [];
    const directory: Directory = {
      kind: 'ldap',
      users: noPages,
      lookup: (who) => {
        seen.push(who);
        return Promise.resolve({ users: [], truncated: false });
      },
      check: () => Promise.resolve(),
      close: () => Promise.resolve(),
    };
    const { code, out } = await check(ldapConfig(), { logger: silentLogger(), write: noWrite, directory });
    expect(code).toBe(0);
    expect(seen).toEqual([{ kind: 'dn', dn: LDAP.bindDn, text: LDAP.bindDn }]);
    expect(out).toContain('OK: signed in and searched Active Directory.');
    expect(out).toContain(`No user matched "${LDAP.bindDn}"`);
  });

  it('names the broken fixture file', async () => {
    const dir = writeFixtureDir({ 'users.json': [fixtureUser({ enabled: 'yes' })] });
    const { code, out } = await check(relayConfig({ fixturesDir: dir }), { logger: silentLogger(), write: noWrite, sample: 'jdoe' });
    expect(code).toBe(1);
    expect(out).toMatch(/FAILED \(DIRECTORY_FAILED\): Active Directory search failed\./);
    expect(out).toMatch(/users\.json: \[0\]\.enabled/);
  });

  it('reports a sample that is not a valid user name', async () => {
    const { code, out } = await check(relayConfig(), { logger: silentLogger(), write: noWrite, sample: '{96dcc383-2f6e' });
    expect(code).toBe(1);
    expect(out).toContain('FAILED (ANCHOR_MALFORMED)');
  });

  it('reports TLS files that cannot be read', async () => {
    const config = relayConfig({ tls: { certFile: '/nonexistent/relay.crt', keyFile: '/nonexistent/relay.key' } });
    const { code, out } = await check(config, { logger: silentLogger(), write: noWrite, sample: 'jdoe' });
    expect(code).toBe(1);
    expect(out).toContain('FAILED: RELAY_TLS_CERT_FILE names /nonexistent/relay.crt, which cannot be read.');
    expect(out).toContain('FAILED: RELAY_TLS_KEY_FILE names /nonexistent/relay.key, which cannot be read.');
  });

  it('fails an LDAP relay whose sync program is missing, naming only the program', async () => {
    const directory: Directory = {
      kind: 'ldap',
      users: noPages,
      lookup: () => Promise.resolve({ users: [], truncated: false }),
      check: () => Promise.resolve(),
      close: () => Promise.resolve(),
    };
    const config = relayConfig({
      fixturesDir: undefined,
      ldap: LDAP,
      syncCommand: 'pwsh.exe -Command "Invoke-Sync -Credential S3cret-In-Args"',
    });
    const { code, out } = await check(config, {
      logger: silentLogger(),
      write: noWrite,
      directory,
      locate: () => Promise.resolve(undefined),
    });
    expect(code).toBe(1);
    expect(out).toContain("FAILED: pwsh.exe is not on this server's PATH, so a delta sync cannot be started.");
    expect(out).toContain('Result: problems found');
    expect(out).not.toContain('S3cret-In-Args');
  });

  it('says where the sync program is, without running it', async () => {
    const located: string[] = [];
    const config = relayConfig({ syncCommand: 'powershell.exe -NoProfile -Command "Start-ADSyncSyncCycle"' });
    const { code, out } = await check(config, {
      logger: silentLogger(),
      write: noWrite,
      sample: 'jdoe',
      locate: (p) => {
        located.push(p);
        return Promise.resolve('C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe');
      },
    });
    expect(code).toBe(0);
    expect(located).toEqual(['powershell.exe']);
    expect(out).toContain('OK: powershell.exe found at C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe (not run');
    expect(out).not.toContain('Start-ADSyncSyncCycle');
  });

  it('only reports a missing sync program when the directory is fixtures', async () => {
    const config = relayConfig({ syncCommand: '/opt/missing/sync-now' });
    const { code, out } = await check(config, { logger: silentLogger(), write: noWrite, sample: 'jdoe' });
    expect(code).toBe(0);
    expect(out).toContain('Not found: /opt/missing/sync-now does not exist or may not be run; with fixtures only POST /v1/sync needs it.');
  });

  it('reports a SYNC_COMMAND with an unclosed quote', async () => {
    const { code, out } = await check(relayConfig({ syncCommand: 'pwsh -Command "Start' }), {
      logger: silentLogger(),
      write: noWrite,
      sample: 'jdoe',
    });
    expect(code).toBe(1);
    expect(out).toContain('SYNC_COMMAND: a " quote is not closed');
  });
});
