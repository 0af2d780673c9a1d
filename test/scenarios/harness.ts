/**
 * The world one scenario test runs in: a fresh Entra emulator over HTTPS seeded with the sandbox
 * tenant, the real cloud directory module (real Graph client) over it, the fixture AD directory
 * for look-ups, an editable copy of it for the person's part, and the simulated delta sync over
 * both. Plus the steps a test takes: diagnose like `match`, play the plan, check the end state.
 */
import { expect } from 'vitest';
import type { CloudDirectory, CloudWriter } from '../../src/ports/cloud-directory.ts';
import { createCloudDirectory, staticTokenCredential } from '../../src/cloud-directory/index.ts';
import { diagnose, diagnoseOnPrem, type Diagnosis, type PlanStep } from '../../src/domain/diagnosis/index.ts';
import { classifyWho } from '../../src/domain/who.ts';
import { startEmulator, trustCertificateInProcess, type RunningEmulator, type SeedInput } from '../../src/sandbox/emulator/index.ts';
import { runStep, type StepResult } from '../../src/execution/index.ts';
import { createLogger } from '../../src/logging/logger.ts';
import type { Directory } from '../../src/relay/agent/directory.ts';
import { createFixtureDirectory } from '../../src/sandbox/fixture-directory.ts';
import { listFixtureUsers } from '../../src/sandbox/fixture-users.ts';
import { FIXTURES_DIR } from '../../src/sandbox/sandbox-relay.ts';
import {
  applyManualAction,
  applyPersonAction,
  createEditableDirectory,
  inSandboxSyncScope,
  type EditableDirectory,
  type ScenarioMatch,
} from '../../src/sandbox/scenarios/index.ts';
import { runDeltaSync, syncResultOf, type SyncRunReport } from '../../src/sandbox/sync-simulator/index.ts';

const logger = createLogger({ level: 'silent' });

export interface ScenarioWorld {
  emulator: RunningEmulator;
  cloud: CloudDirectory & CloudWriter;
  /** The relay's view of AD (the fixtures as they are on disk). */
  lookup: Directory;
  /** AD as the person changes it; what the sync reads. */
  directory: EditableDirectory;
  /** One delta sync over the whole directory, in the sandbox's scope. */
  sync(): Promise<SyncRunReport>;
  reports: SyncRunReport[];
  close(): Promise<void>;
}

export async function startScenarioWorld(seed: SeedInput): Promise<ScenarioWorld> {
  const emulator = await startEmulator({ seed, https: true, port: 0, logger });
  trustCertificateInProcess(emulator.caCertificate ?? '');
  const cloud = createCloudDirectory({ graphBaseUrl: emulator.url, credential: staticTokenCredential('scenario-test'), logger });
  const lookup = createFixtureDirectory(FIXTURES_DIR, { sourceAnchor: 'auto' });
  const directory = createEditableDirectory(await listFixtureUsers());
  const reports: SyncRunReport[] = [];
  return {
    emulator,
    cloud,
    lookup,
    directory,
    reports,
    sync: () => {
      const report = runDeltaSync({ state: emulator.state, users: directory.users(), inScope: inSandboxSyncScope, logger });
      reports.push(report);
      return Promise.resolve(report);
    },
    close: async () => {
      await lookup.close();
      await emulator.close();
    },
  };
}

/** What the `match` command does: look the AD user up, read the cloud, diagnose. */
export async function diagnoseMatch(world: ScenarioWorld, match: Pick<ScenarioMatch, 'who' | 'to'>): Promise<Diagnosis> {
  const [lookup, tenant, target] = await Promise.all([
    world.lookup.lookup(classifyWho(match.who), 10),
    world.cloud.tenantFacts(),
    match.to === undefined ? undefined : world.cloud.findUser(match.to),
  ]);
  const early = diagnoseOnPrem(match.who, lookup);
  if (early) return early;
  const [onPrem] = lookup.users;
  if (!onPrem) throw new Error('diagnoseOnPrem returned null without exactly one user');
  const context = match.to === undefined ? { tenant } : { tenant, target: { requested: match.to, user: target ?? null } };
  const evidence = await world.cloud.evidenceFor(onPrem, context);
  return diagnose({ who: match.who, onPrem, evidence, verifyTimeoutSeconds: 20 });
}

/** `match <sam>` against AD as the person left it (the editable directory, not the fixtures on disk). */
export async function rediagnose(world: ScenarioWorld, samAccountName: string): Promise<Diagnosis> {
  const onPrem = world.directory.user(samAccountName);
  const evidence = await world.cloud.evidenceFor(onPrem, { tenant: await world.cloud.tenantFacts(undefined, { fresh: true }) });
  return diagnose({ who: samAccountName, onPrem, evidence, verifyTimeoutSeconds: 20 });
}

/** Diagnosis findings and step kinds, as the catalog states them. */
export function expectDiagnosis(diagnosis: Diagnosis, match: ScenarioMatch): void {
  expect([...diagnosis.findings.map((f) => f.code)].sort()).toEqual([...match.findings].sort());
  expect(diagnosis.plan.steps.map((s) => s.kind)).toEqual(match.steps);
  expect(diagnosis.plan.steps.filter((s) => s.kind === 'MANUAL')).toHaveLength(match.manual.length);
  if (match.targetUserId !== null) expect(diagnosis.plan.target?.id).toBe(match.targetUserId);
  for (const [i, step] of manualSteps(diagnosis).entries()) {
    const said = `${step.description}\n${step.instruction}`.toLowerCase();
    for (const text of match.manual[i]?.mentions ?? []) expect(said, `MANUAL step ${step.number}`).toContain(text.toLowerCase());
  }
  for (const text of match.blockedMentions ?? []) expect(diagnosis.plan.blockedReason?.toLowerCase()).toContain(text.toLowerCase());
}

type ManualStep = Extract<PlanStep, { kind: 'MANUAL' }>;

function manualSteps(diagnosis: Diagnosis): ManualStep[] {
  return diagnosis.plan.steps.filter((s): s is ManualStep => s.kind === 'MANUAL');
}

export interface PlayedStep {
  step: PlanStep;
  result: StepResult;
}

export interface PlayedPlan {
  steps: PlayedStep[];
  /** When the last TRIGGER_DELTA_SYNC started, to the second (Graph's precision). */
  lastSyncStartedAt: number;
}

/**
 * Who does the person's part: the catalog's person actions, or the plan's own structured MANUAL
 * `action` (`applyManualAction`, what the sandbox's manualDone carries out).
 */
export type PersonPart = 'catalog' | 'plan-action';

/**
 * Carry the plan out in order: automated steps through `runStep` (the cloud module, the simulated
 * sync), MANUAL steps by the person's part. Every step must succeed.
 */
export async function playPlan(
  world: ScenarioWorld,
  diagnosis: Diagnosis,
  match: ScenarioMatch,
  person: PersonPart = 'catalog',
): Promise<PlayedPlan> {
  const played: PlayedStep[] = [];
  let manualIndex = 0;
  let lastSyncStartedAt = 0;
  for (const step of diagnosis.plan.steps) {
    if (step.kind === 'TRIGGER_DELTA_SYNC') lastSyncStartedAt = Math.floor(Date.now() / 1000) * 1000;
    const result = await runStep(step, {
      cloud: world.cloud,
      sync: { triggerSync: async () => syncResultOf(await world.sync()) },
      pollIntervalMs: 50,
      ...(lastSyncStartedAt > 0 ? { freshSince: lastSyncStartedAt } : {}),
    });
    played.push({ step, result });
    if (step.kind === 'MANUAL') {
      expect(result.status, `step ${step.number} (MANUAL)`).toBe('waiting-for-person');
      const expectation = match.manual[manualIndex++];
      const stand = { directory: world.directory, state: world.emulator.state };
      if (person === 'plan-action') {
        if (step.action) applyManualAction(step.action, stand);
      } else {
        for (const action of expectation?.actions ?? []) applyPersonAction(action, stand);
      }
    } else {
      expect(result, `step ${step.number} (${step.kind})`).toMatchObject({ status: 'done' });
    }
  }
  return { steps: played, lastSyncStartedAt };
}

/**
 * The joined end state, through Graph (the cloud module) and in the emulator: exactly one user
 * holds the anchor, active, synced, freshly; no other active user claims the AD object; the UPN is
 * what the sync writes.
 */
export async function expectJoined(world: ScenarioWorld, match: ScenarioMatch, anchor: string, freshSince: number): Promise<void> {
  const sam = match.samAccountName ?? '';
  const holders = await world.cloud.holdersOfAnchor(anchor);
  expect(holders.map((u) => ({ id: u.id, deleted: u.deletedDateTime !== null, synced: u.synced }))).toEqual([
    { id: match.targetUserId, deleted: false, synced: true },
  ]);
  const [joined] = holders;
  expect(Date.parse(joined?.lastSyncDateTime ?? '')).toBeGreaterThanOrEqual(freshSince);
  expect(joined?.onPremisesSamAccountName).toBe(sam);
  const adUpn = world.directory.user(sam).userPrincipalName;
  expect(joined?.userPrincipalName).toBe(match.finalUpn ?? adUpn);

  const state = world.emulator.state;
  expect(state.usersByImmutableId(anchor).map((h) => ({ id: h.user.id, deleted: h.deleted }))).toEqual([
    { id: match.targetUserId, deleted: false },
  ]);
  const claiming = state.activeUsers().filter((u) => u.onPremisesSamAccountName?.toLowerCase() === sam.toLowerCase());
  expect(claiming.map((u) => u.id)).toEqual([match.targetUserId]);
  const prefix = sam.toLowerCase();
  const placeholders = state
    .activeUsers()
    .filter((u) => new RegExp(`^${prefix.replace(/[.]/g, '\\.')}\\+\\d{4}@`, 'i').test(u.userPrincipalName));
  expect(placeholders.map((u) => u.userPrincipalName)).toEqual([]);
  const last = world.reports.at(-1)?.results.find((r) => r.samAccountName === sam);
  expect(last?.error).toBeUndefined();
  expect(last?.userId).toBe(match.targetUserId);
}

const AUTOMATED_WRITES = ['PURGE_DELETED_USER', 'CLEAR_ANCHOR', 'RENAME_UPN_TEMPORARILY', 'SET_ANCHOR'];

/** One `match` of the catalog from diagnosis to its end: joined, manual or nothing to do. */
export async function playMatch(w: ScenarioWorld, match: ScenarioMatch, person: PersonPart = 'catalog'): Promise<void> {
  const diagnosis = await diagnoseMatch(w, match);
  expectDiagnosis(diagnosis, match);
  if (match.end === 'nothing-to-do') {
    expect(diagnosis.plan).toMatchObject({ nothingToDo: true, steps: [] });
    const anchor = diagnosis.onPrem?.anchor.immutableId ?? '';
    const holders = await w.cloud.holdersOfAnchor(anchor);
    expect(holders.map((u) => ({ id: u.id, synced: u.synced, deleted: u.deletedDateTime !== null }))).toEqual([
      { id: match.targetUserId, synced: true, deleted: false },
    ]);
    return;
  }
  if (match.end === 'manual') {
    // Only a person can fix it: the plan writes nothing itself and says what to do (checked above).
    expect(diagnosis.plan.nothingToDo).toBe(false);
    expect(diagnosis.plan.steps.filter((s) => AUTOMATED_WRITES.includes(s.kind))).toEqual([]);
    expect(diagnosis.plan.steps.length > 0 || (diagnosis.plan.blockedReason ?? '') !== '').toBe(true);
    return;
  }
  const played = await playPlan(w, diagnosis, match, person);
  await expectJoined(w, match, diagnosis.onPrem?.anchor.immutableId ?? '', played.lastSyncStartedAt);
  const verified = played.steps.find((p) => p.step.kind === 'VERIFY_JOINED')?.result;
  expect(verified?.status === 'done' ? (verified.warnings ?? []) : ['not verified']).toEqual([]);
  await expectClean(w, match);
}

/** `match` again after the plan: the joined user, ALREADY_MATCHED, nothing to do and no warning. */
export async function expectClean(w: ScenarioWorld, match: Pick<ScenarioMatch, 'who' | 'targetUserId' | 'samAccountName'>): Promise<void> {
  const again = await rediagnose(w, match.samAccountName ?? match.who);
  expect(again.plan.target?.id).toBe(match.targetUserId);
  expect(again.plan).toMatchObject({ nothingToDo: true, steps: [] });
  expect(again.findings.filter((f) => f.severity !== 'info').map((f) => `${f.code}: ${f.title}`)).toEqual([]);
  expect(again.findings.map((f) => f.code)).toContain('ALREADY_MATCHED');
}
