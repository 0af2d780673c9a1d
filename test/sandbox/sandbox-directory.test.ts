/**
 * The sandbox's one editable AD: loaded from the fixture folder or SANDBOX_DIRECTORY (validated as
 * the relay's fixtures, errors naming the variable, file and field), served to the relay agent's
 * look-ups as edited, and changed by the sandbox person doing confirmed MANUAL steps (`withPersonsPart`).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ApprovalRequest, StepRecord } from '../../src/domain/approval/types.ts';
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

const pat = fixtureUser({ samAccountName: 'pat', dn: 'CN=Pat Doe,OU=Sales,DC=example,DC=org', userPrincipalName: 'pat@example.org', objectGuid: '0b6f1c2e-3d4a-4b5c-8d6e-7f8091a2b3c4' });

async function names(directory: ReturnType<typeof createSourceDirectory>, who: string): Promise<string[]> {
  return (await directory.lookup(classifyWho(who), 10)).users.map((u) => u.samAccountName);
}

describe('loadSandboxDirectory', () => {
  it('loads the sandbox fixtures by default', async () => {
    const loaded = await loadSandboxDirectory({});
    expect(loaded.source).toBe('fixtures');
    expect(loaded.directory.user('jdoe').dn).toBe('CN=John Doe,OU=Staff,DC=contoso,DC=com');
    expect(await loaded.users()).toHaveLength(18);
  });

  it('loads SANDBOX_DIRECTORY instead, with anchors as SOURCE_ANCHOR=auto decides them', async () => {
    const path = file('one.json', [pat]);
    const loaded = await loadSandboxDirectory({ SANDBOX_DIRECTORY: path });
    expect(loaded.source).toBe(path);
    expect((await loaded.users()).map((u) => [u.samAccountName, u.anchor.attribute, u.anchor.guid])).toEqual([['pat', 'objectGUID', '0b6f1c2e-3d4a-4b5c-8d6e-7f8091a2b3c4']]);
    expect(() => loaded.directory.user('jdoe')).toThrow(/no AD user jdoe/);
  });

  it('refuses a bad file naming SANDBOX_DIRECTORY, the file and the field', async () => {
    const badGuid = file('bad-guid.json', [{ ...pat, objectGuid: 'nope' }]);
    await expect(loadSandboxDirectory({ SANDBOX_DIRECTORY: badGuid })).rejects.toThrow(`SANDBOX_DIRECTORY: Fixture file ${badGuid}: [0].objectGuid: must be a GUID`);
    const twice = file('twice.json', [pat, { ...pat, samAccountName: 'pat2' }]);
    await expect(loadSandboxDirectory({ SANDBOX_DIRECTORY: twice })).rejects.toThrow(/SANDBOX_DIRECTORY: .*objectGuid 0b6f1c2e-.* of pat2 is already used by pat/);
    const notJson = file('not-json.json', '{');
    await expect(loadSandboxDirectory({ SANDBOX_DIRECTORY: notJson })).rejects.toThrow(`SANDBOX_DIRECTORY: Fixture file ${notJson} is not valid JSON`);
    const empty = file('empty.json', []);
    await expect(loadSandboxDirectory({ SANDBOX_DIRECTORY: empty })).rejects.toThrow(/has no users/);
    const missing = join(scratch, 'missing.json');
    const err = await loadSandboxDirectory({ SANDBOX_DIRECTORY: missing }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems).toEqual([`SANDBOX_DIRECTORY: fixture file ${missing}: file not found`]);
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

describe('withPersonsPart (the sandbox person, wrapped around the engine)', () => {
  const ADA = { aadObjectId: '00000000-0000-4000-8000-0000000000a1', name: 'Ada Admin' };
  async function setup() {
    const loaded = await loadSandboxDirectory({});
    const state = EmulatorState.fromSeed(buildSandboxSeed({ now: new Date('2026-11-22T10:00:00Z') }));
    const log = captureLogger('info');
    const stored = new Map<string, ApprovalRequest>();
    const runs: string[] = [];
    const engine = { run: (id: string) => (runs.push(id), Promise.resolve('done' as const)), claimOnApproval: () => ({ request: proposed(), events: [] }), resumeAbandoned: () => Promise.resolve(0) };
    const store = { get: (id: string) => Promise.resolve(stored.has(id) ? { value: stored.get(id)!, version: '1' } : null) };
    const wrapped = withPersonsPart(engine, store, { directory: loaded.directory, state, logger: log.logger });
    /** The request after a person said "Done" on `confirmed`, run as the approval flow runs it. */
    const runAfterDone = (id: string, steps: PlanStep[], confirmed: number[]) => {
      const records = steps.map((s): StepRecord => (confirmed.includes(s.number) ? { number: s.number, status: 'done', doneBy: ADA } : { number: s.number, status: 'pending' }));
      stored.set(id, proposed({ id, steps, records, state: 'approved' }));
      return wrapped.run(id);
    };
    return { loaded, state, log, runs, runAfterDone };
  }
  const manual = (number: number, action?: ManualAction): PlanStep => ({ number, kind: 'MANUAL', irreversible: false, description: 'By hand', instruction: 'Do it', ...(action ? { action } : {}) });
  const steps: PlanStep[] = [
    manual(1, { kind: 'SCOPE_IN', dn: 'CN=Diego Scott,OU=Not Synced,DC=contoso,DC=com' }),
    manual(2),
    { number: 3, kind: 'TRIGGER_DELTA_SYNC', irreversible: false, description: 'Sync' },
  ];

  it("carries out the confirmed MANUAL step's action before the engine goes on, and logs what it did", async () => {
    const { loaded, log, runs, runAfterDone } = await setup();
    await runAfterDone('r1', steps, [1]);
    expect(loaded.directory.user('dscope').dn).toBe('CN=Diego Scott,OU=Staff,DC=contoso,DC=com');
    expect(log.entries()).toContainEqual(expect.objectContaining({ requestId: 'r1', step: 1, action: 'SCOPE_IN', done: expect.stringMatching(/^moved .* to OU=Staff/) as unknown }));
    expect(runs).toEqual(['r1']);
  });

  it('carries out each confirmed step once, however often the request runs again', async () => {
    const { log, runAfterDone } = await setup();
    await runAfterDone('r1', steps, [1]);
    await runAfterDone('r1', steps, [1, 2]);
    const carried = log.entries().filter((e) => e.requestId === 'r1' && typeof e.msg === 'string' && e.msg.startsWith('sandbox:'));
    expect(carried.map((e) => e.step)).toEqual([1, 2]);
  });

  it('does nothing for a MANUAL step without an action, a step that is not MANUAL, or one nobody confirmed', async () => {
    const { loaded, state, log, runs, runAfterDone } = await setup();
    const before = loaded.directory.users();
    const roles = state.directoryRolesOf(IDS.hadmin);
    await runAfterDone('r2', steps, [2, 3]);
    await runAfterDone('r3', steps, []);
    expect(loaded.directory.users()).toEqual(before);
    expect(state.directoryRolesOf(IDS.hadmin)).toEqual(roles);
    expect(log.entries()).toContainEqual(expect.objectContaining({ requestId: 'r2', step: 2, action: null }));
    expect(runs).toEqual(['r2', 'r3']);
  });

  it('logs an action it cannot carry out and lets the engine go on, as the person said it is done', async () => {
    const { log, runs, runAfterDone } = await setup();
    await runAfterDone('r4', [manual(1, { kind: 'SCOPE_OUT', dn: 'CN=Ghost,DC=contoso,DC=com' })], [1]);
    expect(log.entries()).toContainEqual(expect.objectContaining({ requestId: 'r4', step: 1, msg: "the sandbox could not carry out this person's step on its stand-ins; continuing as the person said it is done" }));
    expect(JSON.stringify(log.entries())).toMatch(/no AD user CN=Ghost/);
    expect(runs).toEqual(['r4']);
  });
});
