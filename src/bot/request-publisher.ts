/**
 * Keeps every copy of a request's card true: after each change it replaces every posted copy
 * (from the stored conversation references, so it works from any bot instance and after a
 * restart), and on a new request posts it to the approvers' place too. Where a card was posted is
 * recorded on the request with a compare-and-swap, so concurrent posts are never lost, and bounded
 * (the newest copies win, see posted-cards.ts). Updates of
 * one request are serialised in this instance, and a state older than one already asked for is
 * never sent after it (the engine hands states over without waiting), so the last state wins.
 */
import type { ApprovalRequest, PostedCard } from '../domain/approval/types.ts';
import { conversationKey, withPostedCard } from '../domain/approval/posted-cards.ts';
import type { Logger } from '../logging/logger.ts';
import type { Messenger, OutgoingCard } from '../ports/messenger.ts';
import type { RequestStore } from '../ports/request-store.ts';
import { casUpdate } from '../concurrency/cas-update.ts';
import { serialByKey } from '../concurrency/serial-by-key.ts';
import { approversPlaceKey, type ApproversPlace } from './approvers-place.ts';
import type { RequestViews } from './request-views.ts';

export interface RequestPublisher {
  publish(request: ApprovalRequest, options?: { announce?: boolean }): Promise<void>;
  /** Records that a copy of the card was posted (the `match` reply, a `status` answer). */
  attach(requestId: string, posted: PostedCard): Promise<void>;
}

/** Compare-and-swap attempts to record a posted copy on a request that keeps changing. */
const ATTACH_ATTEMPTS = 20;

export function createRequestPublisher(deps: {
  store: RequestStore;
  messenger: Messenger;
  views: RequestViews;
  logger: Logger;
}): RequestPublisher {
  const attach = async (requestId: string, posted: PostedCard): Promise<void> => {
    const result = await casUpdate(
      deps.store,
      requestId,
      ({ value }) =>
        value.cards.some((c) => c.activityId === posted.activityId) ? null : { ...value, cards: withPostedCard(value.cards, posted) },
      ATTACH_ATTEMPTS,
    );
    if (!result.written && result.exhausted) deps.logger.warn({ requestId }, 'could not record where a request card was posted');
  };
  const replaceAll = async (request: ApprovalRequest): Promise<OutgoingCard> => {
    const message = await deps.views.sharedCard(request);
    const results = await Promise.allSettled(request.cards.map((posted) => deps.messenger.replace(posted, message)));
    for (const r of results)
      if (r.status === 'rejected')
        deps.logger.warn({ err: r.reason, requestId: request.id }, 'could not replace a copy of the request card');
    return message;
  };
  const announce = async (request: ApprovalRequest, message: OutgoingCard): Promise<void> => {
    const place = await deps.store.getSetting<ApproversPlace>(approversPlaceKey(request.tenantId));
    if (!place) return;
    if (request.cards.some((c) => conversationKey(c) === place.value.conversationId)) return;
    try {
      const posted = await deps.messenger.post(place.value.reference, message);
      await attach(request.id, posted);
    } catch (err) {
      deps.logger.warn({ err, requestId: request.id }, "could not post the request to the approvers' place");
    }
  };
  const queue = serialByKey();
  /** Per request with updates in flight: the newest state asked for, and the card last rendered. */
  const newest = new Map<string, ApprovalRequest>();
  const shown = new Map<string, { request: ApprovalRequest; message: OutgoingCard }>();
  return {
    attach,
    publish(request, options = {}) {
      const known = newest.get(request.id);
      // An older state never replaces a newer one.
      if (!known || request.updatedAt >= known.updatedAt) newest.set(request.id, request);
      const run = queue.run(request.id, async () => {
        // A card rendered after this call was made already shows what it asked for (or newer).
        const wanted = newest.get(request.id) ?? request;
        let last = shown.get(request.id);
        if (last?.request !== wanted) {
          last = { request: wanted, message: await replaceAll(wanted) };
          shown.set(request.id, last);
        }
        if (options.announce) await announce(last.request, last.message);
      });
      void queue.idle(request.id).then(() => {
        if (newest.get(request.id) === shown.get(request.id)?.request) {
          newest.delete(request.id);
          shown.delete(request.id);
        }
      });
      return run;
    },
  };
}
