/**
 * The request publisher keeps the posted copies of a card bounded (newest win: a few per
 * conversation, a fixed number in all), so `status` asked again and again neither grows the stored
 * request without end nor makes every change replace ever more copies.
 */
import { describe, expect, it } from 'vitest';
import { createRequestPublisher } from '../../src/bot/request-publisher.ts';
import type { RequestViews } from '../../src/bot/request-views.ts';
import { MAX_COPIES, MAX_COPIES_PER_CONVERSATION } from '../../src/domain/approval/posted-cards.ts';
import type { PostedCard } from '../../src/domain/approval/types.ts';
import { createLogger } from '../../src/logging/logger.ts';
import type { Messenger } from '../../src/ports/messenger.ts';
import { createSqliteStore } from '../../src/store/sqlite/index.ts';
import { requested } from '../domain/approval/builders.ts';

const posted = (conversation: string, n: number): PostedCard => ({
  conversation: { conversation: { id: conversation } },
  activityId: `${conversation}-${n}`,
});

describe('posted copies of a request card', () => {
  it('keeps the newest few per conversation and a fixed number in all, and replaces only those', async () => {
    const store = createSqliteStore(':memory:');
    const request = requested();
    await store.create(request);
    const replaced: string[] = [];
    const messenger: Messenger = {
      post: () => Promise.reject(new Error('not used')),
      replace: (p) => Promise.resolve(void replaced.push(p.activityId)),
    };
    const views = { sharedCard: () => Promise.resolve({ card: {} }) } as unknown as RequestViews;
    const publisher = createRequestPublisher({ store, messenger, views, logger: createLogger({ level: 'silent' }) });
    for (let n = 1; n <= 10; n += 1) await publisher.attach(request.id, posted('personal-ann', n));
    for (let c = 1; c <= 20; c += 1) await publisher.attach(request.id, posted(`chat-${c}`, 1));
    const cards = (await store.get(request.id))?.value.cards ?? [];
    expect(cards).toHaveLength(MAX_COPIES);
    // The newest win: the last chats, in the order they were posted.
    expect(cards.map((c) => c.activityId)).toEqual(Array.from({ length: MAX_COPIES }, (_, i) => `chat-${20 - MAX_COPIES + 1 + i}-1`));
    for (let n = 1; n <= 10; n += 1) await publisher.attach(request.id, posted('chat-20', n + 1));
    const again = (await store.get(request.id))?.value.cards ?? [];
    expect(again.filter((c) => c.activityId.startsWith('chat-20-'))).toHaveLength(MAX_COPIES_PER_CONVERSATION);
    expect(again.at(-1)?.activityId).toBe('chat-20-11');
    const current = (await store.get(request.id))?.value;
    if (current) await publisher.publish(current);
    expect(replaced).toHaveLength(MAX_COPIES);
    await store.close();
  });
});
