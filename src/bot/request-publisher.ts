/**
 * Keeps every copy of a request's card true: after each change it replaces every posted copy
 * (from the stored conversation references, so it works from any bot instance and after a
 * restart), and on a new request posts it to the approvers' place too. Where a card was posted is
 * recorded on the request with a compare-and-swap, so concurrent posts are never lost. Updates of
 * one request are serialised in this instance, and a state older than one already asked for is
 * never sent after it (the engine hands states over without waiting), so the last state wins.
 */
import type { ApprovalRequest, PostedCard } from '../domain/approval/types.ts';
import type { Logger } from '../logging/logger.ts';
import type { Messenger, OutgoingCard } from '../ports/messenger.ts';
import type { RequestStore } from '../ports/request-store.ts';
import { approversPlaceKey, type ApproversPlace } from './approvers-place.ts';
import type { RequestViews } from './request-views.ts';

export interface RequestPublisher {
  publish(request: ApprovalRequest, options?: { announce?: boolean }): Promise<void>;
  /** Records that a copy of the card was posted (the `match` reply, a `status` answer). */
  attach(requestId: string, posted: PostedCard): Promise<void>;
}

export function createRequestPublisher(deps: { store: RequestStore; messenger: Messenger; views: RequestViews; logger: Logger }): RequestPublisher {
  const attach = async (requestId: string, posted: PostedCard): Promise<void> => {
    for (let attempt = 0; attempt < 20; attempt += 1) {
      const stored = await deps.store.get(requestId);
      if (!stored) return;
      if (stored.value.cards.some((c) => c.activityId === posted.activityId)) return;
      const next = { ...stored.value, cards: [...stored.value.cards, posted] };
      if (await deps.store.update(next, stored.version)) return;
    }
    deps.logger.warn({ requestId }, 'could not record where a request card was posted');
  };
  const replaceAll = async (request: ApprovalRequest): Promise<OutgoingCard> => {
    const message = await deps.views.sharedCard(request);
    const results = await Promise.allSettled(request.cards.map((posted) => deps.messenger.replace(posted, message)));
    for (const r of results) if (r.status === 'rejected') deps.logger.warn({ err: r.reason, requestId: request.id }, 'could not replace a copy of the request card');
    return message;
  };
  const announce = async (request: ApprovalRequest, message: OutgoingCard): Promise<void> => {
    const place = await deps.store.getSetting<ApproversPlace>(approversPlaceKey(request.tenantId));
    if (!place) return;
    if (request.cards.some((c) => conversationId(c) === place.value.conversationId)) return;
    try {
      const posted = await deps.messenger.post(place.value.reference, message);
      await attach(request.id, posted);
    } catch (err) {
      deps.logger.warn({ err, requestId: request.id }, 'could not post the request to the approvers\' place');
    }
  };
  const lanes = new Map<string, Lane>();
  return {
    attach,
    publish(request, options = {}) {
      const lane = lanes.get(request.id) ?? { newest: request, asked: 0, covered: 0, tail: Promise.resolve() };
      // Updates of one request go out one at a time, and an older state never replaces a newer one.
      if (request.updatedAt >= lane.newest.updatedAt) lane.newest = request;
      const ticket = (lane.asked += 1);
      const run = lane.tail.then(async () => {
        // A card rendered after this call was made already shows what it asked for (or newer).
        if (!lane.shown || lane.covered < ticket) {
          lane.covered = lane.asked;
          const current = lane.newest;
          lane.shown = { request: current, message: await replaceAll(current) };
        }
        if (options.announce) await announce(lane.shown.request, lane.shown.message);
      });
      const tail = run.catch(() => undefined);
      lane.tail = tail;
      lanes.set(request.id, lane);
      void tail.then(() => {
        if (lanes.get(request.id)?.tail === tail) lanes.delete(request.id);
      });
      return run;
    },
  };
}

/** One request's card updates in this instance: the newest state asked for, and the last one sent. */
interface Lane {
  newest: ApprovalRequest;
  /** Calls made so far, and how many of them the last card rendered covers. */
  asked: number;
  covered: number;
  shown?: { request: ApprovalRequest; message: OutgoingCard };
  tail: Promise<void>;
}

function conversationId(posted: PostedCard): string | undefined {
  const conversation = posted.conversation['conversation'];
  return typeof conversation === 'object' && conversation !== null && 'id' in conversation && typeof conversation.id === 'string' ? conversation.id : undefined;
}
