/**
 * The replay guard in front of every card action: an invoke whose activity id this bot has already
 * seen (a replay, or Bot Framework redelivering it) is refused before any handler runs, so no
 * approval or "Done" is ever counted twice. The seen-store is the request store's `markSeen`,
 * shared by every instance.
 */
import type { IAdaptiveCard } from 'adaptivecards/lib/schema.js';
import type { Logger } from '../../logging/logger.ts';
import type { RequestStore } from '../../ports/request-store.ts';
import type { RequestViews } from '../request-views.ts';
import type { Turn } from '../turn.ts';

/** Inbound activity ids are remembered this long; Bot Framework redeliveries come within minutes. */
const REPLAY_WINDOW_MS = 24 * 60 * 60_000;

export interface ReplayGuardDeps {
  store: Pick<RequestStore, 'markSeen'>;
  views: Pick<RequestViews, 'refusalFor'>;
  logger: Logger;
  now: () => number;
}

/** Answers the refusal card for an invoke seen before (or without an activity id), or undefined for a new one. */
export type ReplayGuard = (turn: Turn) => Promise<IAdaptiveCard | undefined>;

export function createReplayGuard(deps: ReplayGuardDeps): ReplayGuard {
  return async (turn) => {
    const key = `activity:${turn.tenantId.toLowerCase()}:${turn.conversation.id}:${turn.activityId ?? ''}`;
    const fresh = turn.activityId !== undefined && (await deps.store.markSeen(key, REPLAY_WINDOW_MS, deps.now()));
    if (fresh) return undefined;
    deps.logger.warn({ activityId: turn.activityId ?? null, actor: turn.actor.aadObjectId }, 'refused a replayed card action');
    const message =
      turn.activityId === undefined
        ? 'This card action carries no activity id, so it cannot be told apart from a replay; nothing was done.'
        : 'This card action was already received (a replay or a redelivery); nothing was done again. Type "status" to see where your requests stand.';
    return deps.views.refusalFor({ code: 'REPLAYED', message });
  };
}
