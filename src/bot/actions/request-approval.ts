/** `requestApproval`: the admin asks for a second admin's approval, with a justification. */
import type { ActionHandler } from './types.ts';
import { answer } from './types.ts';

export const requestApproval: ActionHandler = async (action, turn, deps) =>
  answer(
    await deps.approvals.act(
      action.requestId,
      {
        verb: 'requestApproval',
        justification: action.justification ?? '',
        ...(action.exclude?.length ? { exclude: action.exclude } : {}),
      },
      turn,
    ),
    turn,
    deps,
  );
