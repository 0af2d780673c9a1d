/**
 * The guid card's cloud section: which cloud users (active or in the recycle bin) hold each
 * ImmutableID. Each value is asked at most once, look-ups can start before the relay answers, and
 * a failed look-up becomes part of the card (with Graph's code) instead of failing the command, so
 * the AD part is still shown when Graph is down.
 */
import type { AnchorHolders, CloudState } from '../../cards/guid-card.ts';
import { userAnchors } from '../../cards/user-anchors.ts';
import type { OnPremUser } from '../../domain/onprem-user.ts';
import { isHardmatchError } from '../../errors/index.ts';
import type { CommandDeps } from './command.ts';
import { problemOf } from '../problem-of.ts';

export interface AnchorToCheck {
  immutableId: string;
  /** Shown on the card next to the value. */
  label: string;
}

export interface HoldersCheck {
  /** Start the look-up of one ImmutableID now (no-op when already started or no cloud is configured). */
  start(immutableId: string): void;
  /** The cloud section for these values, in this order; starts whatever was not started yet. */
  collect(anchors: readonly AnchorToCheck[]): Promise<CloudState>;
}

export const TYPED_LABEL = 'the value you typed';

export function holdersCheck(deps: Pick<CommandDeps, 'cloud' | 'logger'>): HoldersCheck {
  const cloud = deps.cloud;
  if (!cloud) {
    return { start: () => undefined, collect: () => Promise.resolve({ kind: 'not-configured' }) };
  }
  // One guid command, one deadline for all its look-ups.
  const deadline = cloud.startDeadline();
  const started = new Map<string, Promise<AnchorHolders['result']>>();
  const ask = (immutableId: string): Promise<AnchorHolders['result']> => {
    const existing = started.get(immutableId);
    if (existing) return existing;
    const pending = cloud.holdersOfAnchor(immutableId, deadline).then(
      (users): AnchorHolders['result'] => ({ kind: 'holders', users }),
      (err: unknown): AnchorHolders['result'] => {
        // Bugs are not a "cloud check failed": they go to onTurnError like everywhere else.
        if (!isHardmatchError(err)) throw err;
        deps.logger.warn({ err, immutableId }, 'guid: cloud holders look-up failed; showing the AD part only');
        return { kind: 'failed', problem: problemOf(err) };
      },
    );
    // Started early, awaited later: never let a rejection in between count as unhandled.
    pending.catch(() => undefined);
    started.set(immutableId, pending);
    return pending;
  };
  return {
    start(immutableId) {
      void ask(immutableId);
    },
    async collect(anchors) {
      const checked = await Promise.all(anchors.map(async (a) => ({ ...a, result: await ask(a.immutableId) })));
      return { kind: 'checked', anchors: checked };
    },
  };
}

/** The user's anchors to check: the effective one first, then the other one when it differs. */
export function anchorsOf(user: OnPremUser): AnchorToCheck[] {
  return userAnchors(user).map((a) => ({
    immutableId: a.immutableId,
    label: a.effective ? `effective anchor, ${a.attribute}` : `${a.attribute}, not the effective anchor`,
  }));
}
