/**
 * The action router: one handler per Action.Execute verb, each trusting only `{ verb, requestId }`
 * (and its own input) and looking everything else up on the server.
 */
import type { IAdaptiveCard } from 'adaptivecards/lib/schema.js';
import type { ActionVerb } from '../../domain/approval/types.ts';
import type { Turn } from '../turn.ts';
import { approve } from './approve.ts';
import { cancel } from './cancel.ts';
import { downloadReport } from './download-report.ts';
import { manualDone } from './manual-done.ts';
import { parseAction } from './parse-action.ts';
import { refresh } from './refresh.ts';
import { reject } from './reject.ts';
import { requestApproval } from './request-approval.ts';
import type { ActionDeps, ActionHandler } from './types.ts';

export type { ActionDeps } from './types.ts';

const HANDLERS: Readonly<Record<ActionVerb, ActionHandler>> = Object.freeze({
  requestApproval,
  approve,
  reject,
  cancel,
  refresh,
  manualDone,
  downloadReport,
});

export async function routeAction(invoke: { verb: unknown; data: unknown }, turn: Turn, deps: ActionDeps): Promise<IAdaptiveCard> {
  const parsed = parseAction(invoke.verb, invoke.data);
  if (!parsed.ok) return deps.views.refusalFor({ code: 'UNKNOWN_REQUEST', message: parsed.message });
  deps.logger.info({ verb: parsed.verb, requestId: parsed.requestId, actor: turn.actor.aadObjectId }, 'card action');
  return HANDLERS[parsed.verb](parsed, turn, deps);
}
