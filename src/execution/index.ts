/** The actions behind the plan's step kinds, for the approval executor and the scenario tests. */
export { runStep } from './run-step.ts';
export { undoStep } from './undo-step.ts';
export {
  DEFAULT_POLL_INTERVAL_MS,
  FRESHNESS_SLACK_MS,
  STEP_FAILURES,
  type AnchorValue,
  type JoinedState,
  type PurgedUser,
  type StepDeps,
  type StepResult,
  type UpnValue,
} from './types.ts';
