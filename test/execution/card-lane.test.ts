/**
 * The card lane: one update at a time, in order, the newest waiting state replacing the others,
 * updates spaced while the execution runs, and whatever waits sent at once when it ends.
 */
import { describe, expect, it } from 'vitest';
import type { ApprovalRequest } from '../../src/domain/approval/types.ts';
import { cardLane } from '../../src/execution/card-lane.ts';
import { requested } from '../domain/approval/builders.ts';

const state = (n: number): ApprovalRequest => requested({ updatedAt: n });
const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('card lane', () => {
  it('sends the first state at once, then only the newest of those handed over meanwhile, after the gap', async () => {
    const sent: number[] = [];
    const lane = cardLane((r) => Promise.resolve(void sent.push(r.updatedAt)), 60);
    lane.push(state(1));
    lane.push(state(2));
    lane.push(state(3));
    await tick(20);
    expect(sent).toEqual([1]);
    await tick(80);
    expect(sent).toEqual([1, 3]);
    await lane.settled();
    expect(sent).toEqual([1, 3]);
  });

  it('settled sends what waits without waiting out the gap', async () => {
    const sent: number[] = [];
    const lane = cardLane((r) => Promise.resolve(void sent.push(r.updatedAt)), 10_000);
    lane.push(state(1));
    await tick(5);
    lane.push(state(2));
    const started = Date.now();
    await lane.settled();
    expect(sent).toEqual([1, 2]);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
