/**
 * The sandbox's person: when an admin says "Done" on a MANUAL step, the sandbox does the person's
 * part on its stand-ins (moves the AD object, removes the roles, flips the switch) from the step's
 * structured `action`, so a whole plan plays through to 'joined'. A step without an action, or
 * RUN_MATCH_AGAIN, changes nothing.
 *
 * It wraps the engine at composition: a confirmed "Done" moves the request to `approved` and the
 * engine is run for it at once, so the person's part is done there, before the first step after
 * it (a delta sync, usually) reads AD. The approval flow knows nothing of it.
 */
import type { ApprovalRequest } from '../domain/approval/types.ts';
import type { Engine } from '../execution/engine.ts';
import type { Logger } from '../logging/logger.ts';
import type { RequestStore } from '../ports/request-store.ts';
import type { EmulatorState } from './emulator/index.ts';
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

/** MANUAL steps a person said are done (`doneBy`), in order. */
function confirmedManualSteps(request: ApprovalRequest): number[] {
  const manual = new Set(request.steps.filter((s) => s.kind === 'MANUAL').map((s) => s.number));
  return request.records.filter((r) => r.status === 'done' && r.doneBy && manual.has(r.number)).map((r) => r.number);
}

/**
 * The engine with the sandbox's person in front of each run: every MANUAL step confirmed since the
 * last run of that request is carried out once. Only what the sandbox holds can be changed (an
 * object in another forest cannot): then the step is still the person's, and the attempt is
 * logged rather than failing the execution they said may go on.
 */
export function withPersonsPart(engine: Engine, store: Pick<RequestStore, 'get'>, deps: CarryOutManualDeps): Engine {
  const carried = new Set<string>();
  const personsPart = (request: ApprovalRequest): void => {
    for (const step of confirmedManualSteps(request)) {
      const key = `${request.id}:${step}`;
      if (carried.has(key)) continue;
      carried.add(key);
      try {
        carryOut(deps, request, step);
      } catch (err) {
        deps.logger.warn(
          { err, requestId: request.id, step },
          "the sandbox could not carry out this person's step on its stand-ins; continuing as the person said it is done",
        );
      }
    }
  };
  return {
    ...engine,
    async run(requestId, options) {
      const stored = options?.claimed ?? options?.approved ?? (await store.get(requestId));
      if (stored) personsPart(stored.value);
      return engine.run(requestId, options);
    },
  };
}
