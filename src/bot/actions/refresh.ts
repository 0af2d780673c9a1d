/**
 * `refresh`: the request as this user may act on it now (Universal Actions' per-user view, also
 * what "Open" on a status list answers). Reads only; changes nothing.
 */
import type { ActionHandler } from './types.ts';
import { answer } from './types.ts';

export const refresh: ActionHandler = async (action, turn, deps) =>
  answer(await deps.approvals.find(action.requestId, turn.tenantId), turn, deps);
