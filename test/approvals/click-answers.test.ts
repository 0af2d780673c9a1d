/**
 * The person who clicks gets their answer even when replacing the other copies of the card is
 * slow (a conversation whose Teams call hangs): the click waits a bounded time, the rest go on.
 */
import { describe, expect, it } from 'vitest';
import { CLICK_WAITS_FOR_COPIES_MS, createApprovalService } from '../../src/approvals/service.ts';
import { DEFAULT_POLICY } from '../../src/domain/approval/types.ts';
import { createLogger } from '../../src/logging/logger.ts';
import { createAuditTrail } from '../../src/store/audit-trail.ts';
import { createSqliteStore } from '../../src/store/sqlite/index.ts';
import { ANN, proposed, T0 } from '../domain/approval/builders.ts';

describe('a click and the copies of its card', () => {
  it("answers within the bound while a copy's replacement never finishes", async () => {
    const store = createSqliteStore(':memory:');
    const logger = createLogger({ level: 'silent' });
    const request = proposed({ expiresAt: T0 + 60 * 60_000 });
    await store.create(request);
    const service = createApprovalService({
      store,
      audit: createAuditTrail(store, logger),
      admins: { configured: true, isAdmin: () => Promise.resolve(true), adminIds: () => Promise.resolve([]) },
      policy: DEFAULT_POLICY,
      logger,
      refingerprint: () => Promise.resolve([]),
      execute: () => undefined,
      publish: () => new Promise<void>(() => undefined), // a copy whose conversation never answers
      now: () => T0,
    });
    const started = Date.now();
    const outcome = await service.act(
      request.id,
      { verb: 'requestApproval', justification: 'Ticket 4711: two accounts for jdoe' },
      { actor: ANN, tenantId: request.tenantId },
    );
    expect(outcome.ok).toBe(true);
    expect(Date.now() - started).toBeLessThan(CLICK_WAITS_FOR_COPIES_MS + 1000);
    await store.close();
  }, 10_000);
});
