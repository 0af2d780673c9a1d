/**
 * `manualDone`: the requester or an approver says a person's (MANUAL) step is done. The card names
 * the step it answers, so a late second click cannot complete the step after it.
 */
import type { ActionHandler } from './types.ts';
import { answer } from './types.ts';

export const manualDone: ActionHandler = async (action, turn, deps) =>
  answer(await deps.approvals.act(action.requestId, { verb: 'manualDone', step: action.step ?? 0 }, turn), turn, deps);
