/**
 * Ids are put in one form where they enter, so nothing after depends on letter case: a bot whose
 * MicrosoftAppTenantId is written in upper case still resumes the executions its dead instance
 * left (they are stored under the activity's tenant), and one person approving twice with their
 * object id in another case is still one person.
 */
import type { Activity } from 'botbuilder';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { activityTenant } from '../../src/bot/teams/activity-tenant.ts';
import { turnOf } from '../../src/bot/teams/turn-of.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { decide } from '../../src/domain/approval/rules.ts';
import { createEngine } from '../../src/execution/engine.ts';
import { createLogger } from '../../src/logging/logger.ts';
import type { RequestStore } from '../../src/ports/request-store.ts';
import { createAuditTrail } from '../../src/store/audit-trail.ts';
import { createSqliteStore } from '../../src/store/sqlite/index.ts';
import { BEN, ctx, requested, T0 } from '../domain/approval/builders.ts';
import { fakeCloud } from './fake-cloud.ts';

const logger = createLogger({ level: 'silent' });
const TENANT = 'ab12cd34-0000-4000-8000-00000000abcd';
let store: RequestStore;
beforeEach(() => (store = createSqliteStore(':memory:')));
afterEach(() => store.close());

const activity = (tenant: string, from: string): Partial<Activity> => ({
  type: 'message',
  text: 'status',
  from: { id: 'u', name: 'Ben', aadObjectId: from },
  conversation: { id: 'c', tenantId: tenant, isGroup: false, conversationType: 'personal', name: '' },
  recipient: { id: 'bot', name: 'bot' },
  serviceUrl: 'https://smba.example',
  channelId: 'msteams',
});

describe('ids in one form from the edge on', () => {
  it('resumes an abandoned execution when MicrosoftAppTenantId is configured in upper case', async () => {
    const turn = turnOf(activity(TENANT, BEN.aadObjectId), activityTenant(activity(TENANT, BEN.aadObjectId)));
    // Executing under a lease that ran out (its instance died), with nothing left but the final write.
    const dead = requested({ tenantId: turn.tenantId, state: 'executing', steps: [], records: [], lease: { owner: 'dead', until: T0 } });
    await store.create(dead);
    const config = loadConfig({
      MicrosoftAppId: '33333333-3333-3333-3333-333333333333',
      MicrosoftAppType: 'UserAssignedMSI',
      MicrosoftAppTenantId: TENANT.toUpperCase(),
    });
    const engine = createEngine({
      store,
      audit: createAuditTrail(store, logger),
      steps: { cloud: fakeCloud([]), sync: { triggerSync: () => Promise.resolve({ startedAt: '', finishedAt: '', detail: '' }) } },
      owner: 'b',
      logger,
      now: () => T0 + 60_000,
    });
    expect(await engine.resumeAbandoned(config.tenantId ?? '')).toBe(1);
    expect((await store.get(dead.id))?.value.state).toBe('done');
  });

  it("puts the activity's tenant and actor in one form", () => {
    const turn = turnOf(activity(TENANT.toUpperCase(), BEN.aadObjectId.toUpperCase()), activityTenant(activity(TENANT.toUpperCase(), '')));
    expect(turn.tenantId).toBe(TENANT);
    expect(turn.actor.aadObjectId).toBe(BEN.aadObjectId);
  });

  it('refuses a second approval by the same person whose id arrives in another case', () => {
    const request = requested({ requiredApprovals: 2, approvals: [{ actor: BEN, at: T0 }] });
    const again = decide(request, { verb: 'approve' }, ctx({ ...BEN, aadObjectId: BEN.aadObjectId.toUpperCase() }));
    expect(again.ok).toBe(false);
    if (!again.ok) expect(again.refusal.code).toBe('ALREADY_APPROVED_BY_YOU');
  });
});
