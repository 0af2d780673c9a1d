/**
 * The card updates of one execution, sent in the background: the engine hands over each new state
 * and goes on with the next step instead of waiting for Teams. Updates go out one at a time, in
 * order; a state handed over while one is being sent replaces any other still waiting (only the
 * newest is worth showing), so the last state handed over is always the last one sent.
 */
import type { ApprovalRequest } from '../domain/approval/types.ts';

export interface CardLane {
  push(request: ApprovalRequest): void;
  /** Resolves once every state handed over so far has been sent (or its failure logged by `send`). */
  settled(): Promise<void>;
}

/** `send` must not reject: it logs its own failures (the stored request stays the truth). */
export function cardLane(send: (request: ApprovalRequest) => Promise<void>): CardLane {
  let waiting: ApprovalRequest | undefined;
  let sending: Promise<void> | undefined;
  const drain = async (): Promise<void> => {
    while (waiting) {
      const next = waiting;
      waiting = undefined;
      await send(next);
    }
    sending = undefined;
  };
  return {
    push(request) {
      waiting = request;
      sending ??= drain();
    },
    settled: () => sending ?? Promise.resolve(),
  };
}
