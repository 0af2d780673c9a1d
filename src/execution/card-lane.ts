/**
 * The card updates of one execution, sent in the background: the engine hands over each new state
 * and goes on with the next step instead of waiting for Teams. Updates go out one at a time, in
 * order, at least `minGapMs` apart while the execution runs (a step every few hundred ms would
 * otherwise replace every copy of the card as often, competing with the steps for the store and
 * running into Teams' update limits); a state handed over meanwhile replaces any other still
 * waiting, so the last state handed over is always the last one sent. `settled` sends what waits
 * at once.
 */
import type { ApprovalRequest } from '../domain/approval/types.ts';

/** The least time between two updates of one execution's cards. */
export const CARD_UPDATE_GAP_MS = 250;

export interface CardLane {
  push(request: ApprovalRequest): void;
  /** Sends what waits now and resolves once every state handed over has been sent (or its failure logged by `send`). */
  settled(): Promise<void>;
}

/** `send` must not reject: it logs its own failures (the stored request stays the truth). */
export function cardLane(send: (request: ApprovalRequest) => Promise<void>, minGapMs = CARD_UPDATE_GAP_MS): CardLane {
  let waiting: ApprovalRequest | undefined;
  let sending: Promise<void> | undefined;
  let hurry: (() => void) | undefined;
  let closing = false;
  const gap = (): Promise<void> =>
    closing
      ? Promise.resolve()
      : new Promise((resolve) => {
          const timer = setTimeout(resolve, minGapMs);
          hurry = () => {
            clearTimeout(timer);
            resolve();
          };
        });
  const drain = async (): Promise<void> => {
    try {
      while (waiting) {
        const next = waiting;
        waiting = undefined;
        await send(next);
        if (waiting) await gap();
      }
    } finally {
      hurry = undefined;
      sending = undefined;
    }
  };
  return {
    push(request) {
      waiting = request;
      sending ??= drain();
    },
    settled() {
      closing = true;
      hurry?.();
      return sending ?? Promise.resolve();
    },
  };
}
