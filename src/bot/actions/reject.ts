/** `reject`: an approver turns the request down, with a reason. */
import type { ActionHandler } from './types.ts';
import { answer } from './types.ts';

export const reject: ActionHandler = async (action, turn, deps) =>
  answer(await deps.approvals.act(action.requestId, { verb: 'reject', reason: action.reason ?? '' }, turn), turn, deps);
