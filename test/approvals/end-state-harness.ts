/**
 * Driving a request to its end through /api/messages, for the end-state tests: Adele requests,
 * Ben approves, and each MANUAL step is answered Done (the sandbox carries out the person's part,
 * or does not when the test says the person did nothing). Then `match` again, as an admin would.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { ApprovalRequest } from '../../src/domain/approval/types.ts';
import { buildSandboxSeed, type SwitchVariant } from '../../src/sandbox/scenarios/index.ts';
import type { RunningSandbox } from '../../src/sandbox/start-sandbox.ts';
import { allElements, findById, visibleText } from '../support/card-query.ts';
import type { RecordingConnector } from '../support/recording-connector.ts';
import { ADELE, BEN, clientFor, executeActions, JUSTIFICATION, untilState } from './flow-harness.ts';

export const FINAL = ['done', 'done-with-warnings', 'failed', 'stale', 'cancelled'];

/** What `match` shows: the card, its request id when it proposes one, and its finding lines. */
export async function matchCard(sandbox: RunningSandbox, connector: RecordingConnector, command: string) {
  const { card } = await clientFor(sandbox, connector, ADELE).say(command);
  const requestId = executeActions(card).find((a) => a.verb === 'requestApproval')?.data.requestId;
  return { card, requestId: typeof requestId === 'string' ? requestId : undefined, text: visibleText(card) };
}

/** The codes of the card's blockers and warnings (each has a first-screen line; info findings have none). */
export function problemCodes(card: unknown): string[] {
  return allElements(card)
    .map((e) => e.id)
    .filter((id): id is string => typeof id === 'string' && id.startsWith('finding-line-'))
    .map((id) => id.slice('finding-line-'.length));
}

/** The codes of the card's info findings. */
export function infoText(card: unknown): string {
  return visibleText(findById(card, 'match-info-findings') ?? {}).replaceAll('\\', '');
}

/** Requests approval for `requestId` and has Ben approve it. */
export async function approveRequest(sandbox: RunningSandbox, connector: RecordingConnector, requestId: string): Promise<void> {
  const requested = await clientFor(sandbox, connector, ADELE).invoke('requestApproval', {
    verb: 'requestApproval',
    requestId,
    justification: JUSTIFICATION,
  });
  expect(requested.status).toBe(200);
  const approved = await clientFor(sandbox, connector, BEN).invoke('approve', { verb: 'approve', requestId });
  expect(approved.status).toBe(200);
}

/** The answer to a Done: the request as stored afterwards and the card the invoke answered with. */
export interface DoneAnswer {
  request: ApprovalRequest;
  card: unknown;
  refused: boolean;
}

export async function pressDone(sandbox: RunningSandbox, connector: RecordingConnector, request: ApprovalRequest): Promise<DoneAnswer> {
  const waiting = request.records.find((r) => r.status === 'waiting-for-person');
  const answer = await clientFor(sandbox, connector, ADELE).invoke('manualDone', {
    verb: 'manualDone',
    requestId: request.id,
    step: waiting?.number,
  });
  expect(answer.status).toBe(200);
  const refused = findById(answer.card, 'refusal-notice') !== undefined;
  const next = (await sandbox.approvals.features.store.get(request.id))?.value ?? request;
  return { request: next, card: answer.card, refused };
}

/** Runs an approved request to its end, pressing Done whenever a person's step waits; stops at the first refused Done. */
export async function runToEnd(
  sandbox: RunningSandbox,
  connector: RecordingConnector,
  requestId: string,
): Promise<{ request: ApprovalRequest; refusals: DoneAnswer[] }> {
  const refusals: DoneAnswer[] = [];
  for (let rounds = 0; rounds < 12; rounds += 1) {
    await sandbox.approvals.idle();
    const request = await untilState(sandbox, requestId, ['waiting-for-person', ...FINAL]);
    if (request.state !== 'waiting-for-person') return { request, refusals };
    const done = await pressDone(sandbox, connector, request);
    if (done.refused) {
      refusals.push(done);
      return { request: done.request, refusals };
    }
  }
  throw new Error(`request ${requestId} did not end after 12 rounds`);
}

/** A SANDBOX_TENANT file: the catalog tenant under a switch variant's tenant switches (what `flowSandbox` takes as env). */
export function switchVariantTenant(variant: SwitchVariant): Record<string, string> {
  const file = join(mkdtempSync(join(tmpdir(), `hardmatch-${variant.id}-`)), 'tenant.json');
  writeFileSync(file, JSON.stringify(buildSandboxSeed({ switches: variant.switches })));
  return { SANDBOX_TENANT: file };
}
