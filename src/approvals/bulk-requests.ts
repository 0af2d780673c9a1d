/**
 * Bulk requests: one approval for the fully automated plans a scan found. Proposed when the scan
 * ends (the scan's id is the request's when it is free), with the scan's counts; the requester may
 * leave users out when asking for approval (resolved here against the scan's users, so a name that
 * is not among them is refused and nothing is requested). Each covered user is re-read just before
 * its own steps run (bulk/bulk-executor.ts), so the approval itself re-reads nothing.
 */
import { newRequestId } from '../domain/approval/request-id.ts';
import { excludeInvalid } from '../domain/approval/refusals.ts';
import type { Actor, ApprovalRequest, Refusal } from '../domain/approval/types.ts';
import type { BulkScan } from '../domain/bulk/types.ts';
import type { Diagnosis } from '../domain/diagnosis/types.ts';
import { scopeWords } from '../domain/bulk/types.ts';

/** What a bulk request needs to know of each user it covers. */
export interface BulkUser {
  samAccountName: string;
  dn: string;
  purges: number;
  clears?: number;
}

const purgesOf = (users: readonly BulkUser[]): number => users.reduce((n, u) => n + u.purges, 0);
const clearsOf = (users: readonly BulkUser[]): number => users.reduce((n, u) => n + (u.clears ?? 0), 0);

/** A bulk request carries no diagnosis of its own: each user's is read again when it runs. */
const NO_DIAGNOSIS: Diagnosis = {
  who: '',
  onPrem: null,
  candidates: [],
  findings: [],
  plan: { target: null, steps: [], nothingToDo: false },
};

export function newBulkRequest(
  scan: BulkScan,
  users: readonly BulkUser[],
  options: { id: string; at: number; ttlMs: number },
): ApprovalRequest {
  const summary = scan.summary;
  if (!summary) throw new Error(`scan ${scan.id} has no summary`);
  return {
    id: options.id,
    kind: 'bulk',
    state: 'proposed',
    tenantId: scan.tenantId,
    command: `scan ${scan.scope.kind === 'ou' ? scan.scope.dn : scan.scope.kind === 'list' ? `(${scopeWords(scan.scope)})` : ''}`.trim(),
    who: scopeWords(scan.scope),
    diagnosis: { ...NO_DIAGNOSIS, who: scopeWords(scan.scope) },
    steps: [],
    records: [],
    fingerprint: [],
    proposedBy: scan.startedBy,
    approvals: [],
    cards: [],
    createdAt: options.at,
    updatedAt: options.at,
    expiresAt: options.at + options.ttlMs,
    bulk: {
      scanId: scan.id,
      scope: scan.scope,
      automated: users.length,
      excluded: [],
      users: users.length,
      purges: purgesOf(users),
      clears: clearsOf(users),
      counts: summary.counts,
      itemChunks: scan.itemChunks ?? 0,
    },
  };
}

/** An id for the bulk request: the scan's own when free, else a fresh one. */
export function bulkRequestIds(scan: BulkScan, random: (n: number) => Uint8Array): string[] {
  return [scan.id, ...Array.from({ length: 9 }, () => newRequestId(random))];
}

/**
 * The request with `exclude` applied (sAMAccountNames or DNs, any case), or the refusal naming the
 * names that are not among its users.
 */
export function withExclusions(
  request: ApprovalRequest,
  users: readonly BulkUser[],
  exclude: readonly string[],
): ApprovalRequest | Refusal {
  const bulk = request.bulk;
  if (!bulk || exclude.length === 0) return request;
  const byName = new Map<string, BulkUser>();
  for (const u of users) {
    byName.set(u.samAccountName.toLowerCase(), u);
    byName.set(u.dn.toLowerCase(), u);
  }
  const unknown = exclude.filter((name) => !byName.has(name.toLowerCase()));
  if (unknown.length > 0) return excludeInvalid(request, unknown);
  const left = new Set(exclude.map((name) => byName.get(name.toLowerCase())?.samAccountName ?? name));
  const covered = users.filter((u) => !left.has(u.samAccountName));
  return {
    ...request,
    bulk: { ...bulk, excluded: [...left].sort(), users: covered.length, purges: purgesOf(covered), clears: clearsOf(covered) },
  };
}

/** Who proposed it: the admin who ran the scan. */
export function bulkProposer(scan: BulkScan): Actor {
  return scan.startedBy;
}
