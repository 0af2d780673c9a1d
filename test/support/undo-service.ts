/** The undo service as the composition root builds it (compose-approvals.ts): single undos and the bulk undo proposer. */
import { createUndoService, type UndoService } from '../../src/approvals/undo.ts';
import { createBulkUndo } from '../../src/bulk/bulk-undo.ts';
import type { AdminDirectory } from '../../src/ports/admin-directory.ts';
import type { AuditTrail } from '../../src/ports/audit-trail.ts';
import type { RequestStore } from '../../src/ports/request-store.ts';

const TTL_MS = 60 * 60_000;

export function undoService(o: {
  store: RequestStore;
  audit: AuditTrail;
  now: () => number;
  admins?: Pick<AdminDirectory, 'configured' | 'isAdmin'>;
}): UndoService {
  const random = (n: number): Uint8Array => crypto.getRandomValues(new Uint8Array(n));
  const bulk = createBulkUndo({
    store: o.store,
    audit: o.audit,
    ...(o.admins ? { admins: o.admins } : {}),
    now: o.now,
    random,
    ttlMs: TTL_MS,
  });
  return createUndoService({ store: o.store, audit: o.audit, now: o.now, bulk });
}
