/**
 * Sandbox only: when an admin says "Done" on a MANUAL step, the sandbox does the person's part on
 * its stand-ins (moves the AD object, removes the roles, flips the switch) from the step's
 * structured `action`, so a whole plan plays through to 'joined'. A step without an action, or
 * RUN_MATCH_AGAIN, changes nothing.
 */
import type { ApprovalDeps } from '../approvals/types.ts';
import type { ApprovalRequest } from '../domain/approval/types.ts';
import type { EmulatorState } from './emulator/index.ts';
import type { Logger } from '../logging/logger.ts';
import { applyManualAction, type EditableDirectory } from './scenarios/index.ts';

export interface CarryOutManualDeps {
  directory: EditableDirectory;
  state: EmulatorState;
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
  const done = applyManualAction(step.action, { directory: deps.directory, state: deps.state });
  deps.logger.info({ ...log, done: done ?? 'nothing to do' }, `sandbox: carried out the person's part of step ${stepNumber}`);
}

export function createCarryOutManual(deps: CarryOutManualDeps): NonNullable<ApprovalDeps['carryOutManual']> {
  return (request, stepNumber) => {
    try {
      carryOut(deps, request, stepNumber);
      return Promise.resolve();
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  };
}
