/**
 * A person's step: "Done" resumes the plan only on fresh facts (the steps left are re-checked and
 * the request goes stale when what they rest on changed), a request waiting for a person expires
 * after MANUAL_STEP_TTL_DAYS, and it cannot be undone while its remaining steps may still run.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApprovalService } from '../../src/approvals/service.ts';
import { undoService } from '../support/undo-service.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { fingerprintOf } from '../../src/domain/approval/fingerprint.ts';
import { expireIfDue } from '../../src/domain/approval/rules.ts';
import { DEFAULT_POLICY, type ApprovalRequest, type FingerprintFact } from '../../src/domain/approval/types.ts';
import { createLogger } from '../../src/logging/logger.ts';
import type { RequestStore } from '../../src/ports/request-store.ts';
import { createAuditTrail } from '../../src/store/audit-trail.ts';
import { createSqliteStore } from '../../src/store/sqlite/index.ts';
import { ANN, MINUTE, T0, waiting } from '../domain/approval/builders.ts';

const logger = createLogger({ level: 'silent' });
const DAY = 24 * 60 * MINUTE;
let store: RequestStore;
beforeEach(() => (store = createSqliteStore(':memory:')));
afterEach(() => store.close());

function service(fresh: (request: ApprovalRequest) => FingerprintFact[], now = T0 + 10 * MINUTE) {
  const started: string[] = [];
  const s = createApprovalService({
    store,
    audit: createAuditTrail(store, logger),
    admins: { configured: true, isAdmin: () => Promise.resolve(true), adminIds: () => Promise.resolve([]) },
    policy: DEFAULT_POLICY,
    logger,
    refingerprint: (r) => Promise.resolve(fresh(r)),
    execute: (id) => void started.push(id),
    publish: () => Promise.resolve(),
    now: () => now,
  });
  return { s, started };
}

async function waitingAtFirstStep(): Promise<ApprovalRequest> {
  const base = waiting(1);
  const request = { ...base, fingerprint: fingerprintOf(base.diagnosis), lease: undefined } as ApprovalRequest;
  delete request.lease;
  await store.create(request);
  return request;
}

describe("a person's step", () => {
  it('goes on after Done when the facts the steps left rest on are unchanged', async () => {
    const request = await waitingAtFirstStep();
    const { s, started } = service((r) => r.fingerprint);
    const outcome = await s.act(request.id, { verb: 'manualDone', step: 1 }, { actor: ANN, tenantId: request.tenantId });
    expect(outcome.ok && outcome.request.state).toBe('approved');
    expect(started).toEqual([request.id]);
  });

  it('stops as stale after Done when the AD anchor the next steps write changed meanwhile', async () => {
    const request = await waitingAtFirstStep();
    const { s, started } = service((r) =>
      r.fingerprint.map((f) => (f.fact === 'anchor' ? { ...f, value: 'AAAAAAAAAAAAAAAAAAAAAA==' } : f)),
    );
    const outcome = await s.act(request.id, { verb: 'manualDone', step: 1 }, { actor: ANN, tenantId: request.tenantId });
    expect(outcome.ok && outcome.request.state).toBe('stale');
    if (outcome.ok) {
      expect(outcome.request.changes?.map((c) => c.fact)).toEqual(['anchor']);
      expect(outcome.request.records[0]?.status).toBe('done');
    }
    expect(started).toEqual([]);
    const actions = (await createAuditTrail(store, logger).entriesOf(request.id)).map((e) => e.action);
    expect(actions.slice(-2)).toEqual(['manual-done', 'stale']);
  });

  it('expires MANUAL_STEP_TTL_DAYS after it started waiting (default 7), saying which step it waited for', () => {
    const request = waiting(1);
    const since = request.records[0]?.startedAt ?? 0;
    expect(expireIfDue(request, since + 7 * DAY - 1, DEFAULT_POLICY)).toBeNull();
    const due = expireIfDue(request, since + 7 * DAY + 1, DEFAULT_POLICY);
    expect(due?.next.state).toBe('expired');
    expect(due?.event.summary).toMatch(/while waiting for a person to do step 1/);
    expect(expireIfDue(request, since + 2 * DAY + 1, { ...DEFAULT_POLICY, manualStepTtlMs: 2 * DAY })?.next.state).toBe('expired');
    expect(loadConfig({ MANUAL_STEP_TTL_DAYS: '3' }, { sandbox: true }).approval.policy.manualStepTtlMs).toBe(3 * DAY);
    expect(loadConfig({}, { sandbox: true }).approval.policy.manualStepTtlMs).toBe(7 * DAY);
  });

  it('refuses to undo a request waiting for a person', async () => {
    const request = await waitingAtFirstStep();
    const undo = undoService({ store, audit: createAuditTrail(store, logger), now: () => T0 });
    const refused = await undo.propose(request.id, { actor: ANN, tenantId: request.tenantId });
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.refusal.code).toBe('WRONG_STATE');
      expect(refused.refusal.message).toMatch(/waiting for a person.*cancel it first/);
    }
  });
});

describe('what Done checks again', () => {
  it("leaves out a later person's step, whose wording an earlier one changes (the object moved)", async () => {
    const request = await waitingAtFirstStep();
    const laterManual = request.fingerprint.filter((f) => f.fact.startsWith('MANUAL')).at(-1)?.fact;
    const { s } = service((r) => r.fingerprint.map((f) => (f.fact === laterManual ? { ...f, value: `${f.value ?? ''} (moved)` } : f)));
    const outcome = await s.act(request.id, { verb: 'manualDone', step: 1 }, { actor: ANN, tenantId: request.tenantId });
    expect(outcome.ok && outcome.request.state).toBe('approved');
  });
});
