/**
 * Keeps every copy of a request's card true: after each change it replaces every posted copy
 * (from the stored conversation references, so it works from any bot instance and after a
 * restart), and on a new request posts it to the approvers' place too. Where a card was posted is
 * recorded on the request with a compare-and-swap, so concurrent posts are never lost.
 */
import type { ApprovalRequest, PostedCard } from '../domain/approval/types.ts';
import type { Logger } from '../logging/logger.ts';
import type { Messenger } from '../ports/messenger.ts';
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
  return {
    attach,
    async publish(request, options = {}) {
      const message = await deps.views.sharedCard(request);
      const results = await Promise.allSettled(request.cards.map((posted) => deps.messenger.replace(posted, message)));
      for (const r of results) if (r.status === 'rejected') deps.logger.warn({ err: r.reason, requestId: request.id }, 'could not replace a copy of the request card');
      if (!options.announce) return;
      const place = await deps.store.getSetting<ApproversPlace>(approversPlaceKey(request.tenantId));
      if (!place) return;
      if (request.cards.some((c) => conversationId(c) === place.value.conversationId)) return;
      try {
        const posted = await deps.messenger.post(place.value.reference, message);
        await attach(request.id, posted);
      } catch (err) {
        deps.logger.warn({ err, requestId: request.id }, 'could not post the request to the approvers\' place');
      }
    },
  };
}

function conversationId(posted: PostedCard): string | undefined {
  const conversation = posted.conversation['conversation'];
  return typeof conversation === 'object' && conversation !== null && 'id' in conversation && typeof conversation.id === 'string' ? conversation.id : undefined;
}
