/** Plain fakes for the bot's ports: no botbuilder, no network. */
import type { CommandDeps, RelayClient } from '../../src/bot/ports.ts';
import type { LookupResult } from '../../src/domain/onprem-user.ts';
import { createLogger } from '../../src/logging/logger.ts';

export interface FakeRelay extends RelayClient {
  calls: { who: string; limit: number | undefined }[];
}

/** A relay that answers with `answer` (or throws it when it is an Error). */
export function fakeRelay(answer: LookupResult | Error | ((who: string) => LookupResult)): FakeRelay {
  const calls: FakeRelay['calls'] = [];
  return {
    calls,
    lookup(who, limit) {
      calls.push({ who, limit });
      if (answer instanceof Error) return Promise.reject(answer);
      return Promise.resolve(typeof answer === 'function' ? answer(who) : answer);
    },
  };
}

export function commandDeps(overrides: Partial<CommandDeps> = {}): CommandDeps {
  return { sandbox: false, logger: createLogger({ level: 'silent' }), ...overrides };
}
