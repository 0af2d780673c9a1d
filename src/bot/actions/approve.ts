/** `approve`: a second admin approves; the last approval re-reads AD and the cloud, then execution starts. */
import type { ActionHandler } from './types.ts';
import { answer } from './types.ts';

export const approve: ActionHandler = async (action, turn, deps) =>
  answer(await deps.approvals.act(action.requestId, { verb: 'approve' }, turn), turn, deps);
