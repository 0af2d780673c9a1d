import type { IAdaptiveCard } from 'adaptivecards/lib/schema.js';
import type { ApprovalService } from '../../approvals/service.ts';
import type { ActOutcome } from '../../approvals/types.ts';
import type { Logger } from '../../logging/logger.ts';
import type { AdminDirectory } from '../../ports/admin-directory.ts';
import type { BulkFeatures } from '../bulk-features.ts';
import type { Turn } from '../turn.ts';
import type { RequestViews } from '../request-views.ts';
import type { ParsedAction } from './parse-action.ts';

export interface ActionDeps {
  approvals: ApprovalService;
  views: RequestViews;
  logger: Logger;
  /** Scans (their report links); absent when `scan` is not available. */
  bulk?: Pick<BulkFeatures, 'scans' | 'reportLink'> & { admins: AdminDirectory };
}

export type ValidAction = Extract<ParsedAction, { ok: true }>;

/** One Action.Execute verb: its answer is the card the acting user sees in place of the old one. */
export type ActionHandler = (action: ValidAction, turn: Turn, deps: ActionDeps) => Promise<IAdaptiveCard>;

/** The card for an outcome: the request as this user may act on it now, or the refusal on top of it. */
export function answer(outcome: ActOutcome, turn: Turn, deps: ActionDeps): Promise<IAdaptiveCard> {
  if (outcome.ok) return deps.views.cardFor(outcome.request, turn.actor);
  return deps.views.refusalFor(outcome.refusal, outcome.request);
}
