/**
 * The sandbox's person: when an admin says "Done" on a MANUAL step, the sandbox does the person's
 * part on its stand-ins (moves the AD object, removes the roles, flips the switch) from the step's
 * structured `action`, so a whole plan plays through to 'joined'. A step without an action, or
 * RUN_MATCH_AGAIN, changes nothing.
 *
 * It wraps the bot's check of that Done at composition (composeBot's `wrapCheckDone`): the check
 * runs only for a Done the approval rules accept, so the person acts exactly then, just before the
 * bot looks at the result. The approval flow knows nothing of it.
 */
import type { CheckDone } from '../approvals/types.ts';
import type { ApprovalRequest } from '../domain/approval/types.ts';
import type { Logger } from '../logging/logger.ts';
import type { EmulatorState } from './emulator/index.ts';
import { applyManualAction, type EditableDirectory } from './scenarios/index.ts';

export interface CarryOutManualDeps {
  directory: EditableDirectory;
  state: EmulatorState;
  /** Other forests the sandbox's Entra Connect syncs (an old forest's object can be moved out of scope too). */
  otherForests?: EditableDirectory;
  logger: Logger;
}

/** The person's part of one step, done now; what was done, for the log. */
function carryOut(deps: CarryOutManualDeps, request: ApprovalRequest, stepNumber: number): void {
  const step = request.steps.find((s) => s.number === stepNumber);
  if (step?.kind !== 'MANUAL') return;
  const log = { requestId: request.id, step: stepNumber, action: step.action?.kind ?? null };
  if (!step.action) {
    deps.logger.info(log, 'sandbox: the MANUAL step has no structured action; nothing carried out');
    return;
  }
  const world = { directory: deps.directory, state: deps.state, ...(deps.otherForests ? { otherForests: deps.otherForests } : {}) };
  const done = applyManualAction(step.action, world);
  deps.logger.info({ ...log, done: done ?? 'nothing to do' }, `sandbox: carried out the person's part of step ${stepNumber}`);
}

/**
 * The check of a Done with the sandbox's person in front of it. Only what the sandbox holds can be
 * changed (an object in another forest cannot): then the attempt is logged and the check says
 * what it sees, as it would for a person who did not finish.
 */
export function withPersonsPart(check: CheckDone, deps: CarryOutManualDeps): CheckDone {
  return (request, step) => {
    try {
      carryOut(deps, request, step.number);
    } catch (err) {
      deps.logger.warn(
        { err, requestId: request.id, step: step.number },
        "the sandbox could not carry out this person's step on its stand-ins; the bot checks the result as it is",
      );
    }
    return check(request, step);
  };
}
