/**
 * The sandbox's one editable AD: loaded from the fixture folder or SANDBOX_DIRECTORY (validated as
 * the relay's fixtures, errors naming the variable, file and field), served to the relay agent's
 * look-ups as edited, and changed by the sandbox person doing a MANUAL step said Done (`withPersonsPart`).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CheckDone } from '../../src/approvals/types.ts';
import type { ManualAction, PlanStep } from '../../src/domain/diagnosis/types.ts';
import { classifyWho } from '../../src/domain/who.ts';
import { EmulatorState } from '../../src/sandbox/emulator/index.ts';
import { ConfigError } from '../../src/errors/index.ts';
import { createSourceDirectory } from '../../src/sandbox/fixture-directory.ts';
import { withPersonsPart } from '../../src/sandbox/carry-out-manual.ts';
import { loadSandboxDirectory } from '../../src/sandbox/sandbox-directory.ts';
import { buildSandboxSeed, IDS } from '../../src/sandbox/scenarios/index.ts';
import { proposed } from '../domain/approval/builders.ts';
import { captureLogger, fixtureUser } from '../relay/agent/helpers.ts';

const scratch = mkdtempSync(join(tmpdir(), 'hardmatch-sandbox-directory-'));

function file(name: string, content: unknown): string {
  const path = join(scratch, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const pat = fixtureUser({
  samAccountName: 'pat',
  dn: 'CN=Pat Doe,OU=Sales,DC=example,DC=org',
  userPrincipalName: 'pat@example.org',
  objectGuid: '0b6f1c2e-3d4a-4b5c-8d6e-7f8091a2b3c4',
});

async function names(directory: ReturnType<typeof createSourceDirectory>, who: string): Promise<string[]> {
  return (await directory.lookup(classifyWho(who), 10)).users.map((u) => u.samAccountName);
}

describe('loadSandboxDirectory', () => {
  it('loads the sandbox fixtures by default', async () => {
    const loaded = await loadSandboxDirectory({});
    expect(loaded.source).toBe('fixtures');
    expect(loaded.directory.user('jdoe').dn).toBe('CN=John Doe,OU=Staff,DC=contoso,DC=com');
    expect(await loaded.users()).toHaveLength(22);
  });

  it('loads SANDBOX_DIRECTORY instead, with anchors as SOURCE_ANCHOR=auto decides them', async () => {
    const path = file('one.json', [pat]);
    const loaded = await loadSandboxDirectory({ SANDBOX_DIRECTORY: path });
    expect(loaded.source).toBe(path);
    expect((await loaded.users()).map((u) => [u.samAccountName, u.anchor.attribute, u.anchor.guid])).toEqual([
      ['pat', 'objectGUID', '0b6f1c2e-3d4a-4b5c-8d6e-7f8091a2b3c4'],
    ]);
    expect(() => loaded.directory.user('jdoe')).toThrow(/no AD user jdoe/);
  });

  it('refuses a bad file naming SANDBOX_DIRECTORY, the file and the field', async () => {
    const badGuid = file('bad-guid.json', [{ ...pat, objectGuid: 'nope' }]);
    await expect(loadSandboxDirectory({ SANDBOX_DIRECTORY: badGuid })).rejects.toThrow(
      `SANDBOX_DIRECTORY: Fixture file ${badGuid}: [0].objectGuid: must be a GUID`,
    );
    const twice = file('twice.json', [pat, { ...pat, samAccountName: 'pat2' }]);
    await expect(loadSandboxDirectory({ SANDBOX_DIRECTORY: twice })).rejects.toThrow(
      /SANDBOX_DIRECTORY: .*objectGuid 0b6f1c2e-.* of pat2 is already used by pat/,
    );
    const notJson = file('not-json.json', '{');
    await expect(loadSandboxDirectory({ SANDBOX_DIRECTORY: notJson })).rejects.toThrow(
      `SANDBOX_DIRECTORY: Fixture file ${notJson} is not valid JSON`,
    );
    const empty = file('empty.json', []);
    await expect(loadSandboxDirectory({ SANDBOX_DIRECTORY: empty })).rejects.toThrow(/has no users/);
    const missing = join(scratch, 'missing.json');
    const err = await loadSandboxDirectory({ SANDBOX_DIRECTORY: missing }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems).toEqual([`SANDBOX_DIRECTORY: fixture file ${missing}: file not found`]);
  });

  it('holds the old Northwind forest with the catalog tenant: the sync reads it, the relay does not serve it', async () => {
    const loaded = await loadSandboxDirectory({});
    const old = loaded.otherForests.user('fsutton');
    expect(old.dn).toBe('CN=Frank Sutton,OU=Users,DC=northwind,DC=local');
    // Its anchor is the one the catalog's fsynced@contoso.com still carries.
    expect(old.anchor.immutableId).toBe(buildSandboxSeed().users.find((u) => u.id === IDS.fsynced)?.onPremisesImmutableId);
    expect((await loaded.syncUsers()).map((u) => u.samAccountName)).toEqual([
      ...(await loaded.users()).map((u) => u.samAccountName),
      'fsutton',
    ]);
    expect(await names(createSourceDirectory(loaded.fixtures), 'fsutton')).toEqual([]);
  });

  it('has no other forest with a tenant or an AD of its own (SANDBOX_TENANT, SANDBOX_DIRECTORY)', async () => {
    for (const env of [{ SANDBOX_TENANT: 'tenant.json' }, { SANDBOX_DIRECTORY: file('own.json', [pat]) }]) {
      const loaded = await loadSandboxDirectory(env);
      expect(loaded.otherForests.users()).toEqual([]);
      expect(await loaded.syncUsers()).toEqual(await loaded.users());
    }
  });

  it("serves the relay's look-ups from the directory as it is edited, within LDAP_BASE_DN", async () => {
    const loaded = await loadSandboxDirectory({ SANDBOX_DIRECTORY: file('serve.json', [pat]) });
    const relay = createSourceDirectory(loaded.fixtures);
    expect(await names(relay, 'PAT@example.org')).toEqual(['pat']);
    loaded.directory.update('pat', (u) => ({ ...u, userPrincipalName: 'patricia@example.org' }));
    expect(await names(relay, 'pat@example.org')).toEqual([]);
    expect(await names(relay, 'patricia@example.org')).toEqual(['pat']);
    const scoped = createSourceDirectory(loaded.fixtures, { baseDn: 'OU=Other,DC=example,DC=org' });
    expect(await names(scoped, 'pat')).toEqual([]);
  });
});

describe('withPersonsPart (the sandbox person, in front of the check of a Done)', () => {
  async function setup() {
    const loaded = await loadSandboxDirectory({});
    const state = EmulatorState.fromSeed(buildSandboxSeed({ now: new Date('2026-11-22T10:00:00Z') }));
    const log = captureLogger('info');
    /** What the check saw: the step, and the AD user the step is about, as it stood when checked. */
    const checked: { step: number; dscopeDn: string }[] = [];
    const check: CheckDone = (_request, step) => {
      checked.push({ step: step.number, dscopeDn: loaded.directory.user('dscope').dn });
      return Promise.resolve({ status: 'word', why: 'test' });
    };
    const wrapped = withPersonsPart(check, { directory: loaded.directory, otherForests: loaded.otherForests, state, logger: log.logger });
    /** A person's accepted Done on `number`, checked as the approval service checks it. */
    const done = (id: string, steps: PlanStep[], number: number) => {
      const step = steps.find((s) => s.number === number);
      if (step?.kind !== 'MANUAL') throw new Error(`step ${number} is not MANUAL`);
      return wrapped(proposed({ id, steps }), step);
    };
    return { loaded, state, log, checked, done };
  }
  const manual = (number: number, action?: ManualAction): PlanStep => ({
    number,
    kind: 'MANUAL',
    irreversible: false,
    description: 'By hand',
    instruction: 'Do it',
    ...(action ? { action } : {}),
  });
  const steps: PlanStep[] = [
    manual(1, { kind: 'SCOPE_IN', dn: 'CN=Diego Scott,OU=Not Synced,DC=contoso,DC=com' }),
    manual(2),
    { number: 3, kind: 'TRIGGER_DELTA_SYNC', irreversible: false, description: 'Sync' },
  ];

  it("carries out the MANUAL step's action before the check looks, and logs what it did", async () => {
    const { loaded, log, checked, done } = await setup();
    await expect(done('r1', steps, 1)).resolves.toEqual({ status: 'word', why: 'test' });
    expect(loaded.directory.user('dscope').dn).toBe('CN=Diego Scott,OU=Staff,DC=contoso,DC=com');
    expect(checked).toEqual([{ step: 1, dscopeDn: 'CN=Diego Scott,OU=Staff,DC=contoso,DC=com' }]);
    expect(log.entries()).toContainEqual(
      expect.objectContaining({
        requestId: 'r1',
        step: 1,
        action: 'SCOPE_IN',
        done: expect.stringMatching(/^moved .* to OU=Staff/) as unknown,
      }),
    );
  });

  it("moves an object of another forest out of scope in that forest (scenario 7's old account)", async () => {
    const { loaded, log, done } = await setup();
    const contoso = loaded.directory.users();
    await done('r5', [manual(1, { kind: 'SCOPE_OUT', dn: 'CN=Frank Sutton,OU=Users,DC=northwind,DC=local' })], 1);
    expect(loaded.otherForests.user('fsutton').dn).toBe('CN=Frank Sutton,OU=Not Synced,DC=northwind,DC=local');
    expect(loaded.directory.users()).toEqual(contoso);
    expect(log.entries()).toContainEqual(expect.objectContaining({ requestId: 'r5', action: 'SCOPE_OUT' }));
  });

  it('changes nothing for a MANUAL step without an action, and still checks it', async () => {
    const { loaded, state, log, checked, done } = await setup();
    const before = loaded.directory.users();
    const roles = state.directoryRolesOf(IDS.hadmin);
    await done('r2', steps, 2);
    expect(loaded.directory.users()).toEqual(before);
    expect(state.directoryRolesOf(IDS.hadmin)).toEqual(roles);
    expect(log.entries()).toContainEqual(expect.objectContaining({ requestId: 'r2', step: 2, action: null }));
    expect(checked.map((c) => c.step)).toEqual([2]);
  });

  it('logs an action it cannot carry out and leaves the verdict to the check', async () => {
    const { log, checked, done } = await setup();
    await done('r4', [manual(1, { kind: 'SCOPE_OUT', dn: 'CN=Ghost,DC=contoso,DC=com' })], 1);
    expect(log.entries()).toContainEqual(
      expect.objectContaining({
        requestId: 'r4',
        step: 1,
        msg: "the sandbox could not carry out this person's step on its stand-ins; the bot checks the result as it is",
      }),
    );
    expect(JSON.stringify(log.entries())).toMatch(/no AD user CN=Ghost/);
    expect(checked.map((c) => c.step)).toEqual([1]);
  });
});
