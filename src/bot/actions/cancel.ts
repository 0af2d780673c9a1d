/** `cancel`: the requester withdraws a request that is not executing. */
import type { ActionHandler } from './types.ts';
import { answer } from './types.ts';

export const cancel: ActionHandler = async (action, turn, deps) =>
  answer(await deps.approvals.act(action.requestId, { verb: 'cancel' }, turn), turn, deps);
