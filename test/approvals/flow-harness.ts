/**
 * The approval flow end to end for tests: the sandbox (emulator over HTTPS, signed relay, bot over
 * /api/messages, request store) with short engine timings, and Teams stand-ins for its people.
 */
import { createLogger } from '../../src/logging/logger.ts';
import { SANDBOX_PEOPLE } from '../../src/sandbox/sandbox-users.ts';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../../src/sandbox/start-sandbox.ts';
import { allElements } from '../support/card-query.ts';
import type { RecordingConnector } from '../support/recording-connector.ts';
import { teamsClient, type Person } from '../support/teams-client.ts';

export const ADELE: Person = SANDBOX_PEOPLE.adele;
export const BEN: Person = SANDBOX_PEOPLE.ben;
export const NINA: Person = SANDBOX_PEOPLE.nina;
export const CLEO: Person = { aadObjectId: '00000000-0000-4000-8000-0000000000a4', name: 'Cleo Third Admin' };

export async function flowSandbox(env: Record<string, string> = {}, options: Partial<SandboxOptions> = {}): Promise<RunningSandbox> {
  return startSandbox({
    env,
    logger: createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    botPort: 0,
    playground: false,
    engine: { leaseMs: 1500, pollIntervalMs: 25, syncBusyRetryMs: 50 },
    ...options,
  });
}

export function clientFor(
  sandbox: RunningSandbox,
  connector: RecordingConnector,
  person: Person,
  conversation?: Parameters<typeof teamsClient>[0]['conversation'],
) {
  return teamsClient({ botUrl: sandbox.botUrl, connector, tenantId: sandbox.tenantId, person, ...(conversation ? { conversation } : {}) });
}

/** The Action.Execute actions of a card, by verb. */
export function executeActions(card: unknown): { verb: string; data: Record<string, unknown> }[] {
  return allElements(card)
    .filter((e) => e.type === 'Action.Execute' && typeof e.verb === 'string')
    .map((e) => ({ verb: e.verb as string, data: (e.data ?? {}) as Record<string, unknown> }));
}

/** The request id a card's buttons carry. */
export function requestIdOf(card: unknown): string {
  const id = executeActions(card).find((a) => typeof a.data.requestId === 'string')?.data.requestId;
  if (typeof id !== 'string') throw new Error('the card carries no request id');
  return id;
}

/** Polls the store until the request reaches one of `states`. */
export async function untilState(sandbox: RunningSandbox, requestId: string, states: readonly string[], timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const stored = await sandbox.approvals.features.store.get(requestId);
    if (stored && states.includes(stored.value.state)) return stored.value;
    if (Date.now() > deadline)
      throw new Error(`request ${requestId} is ${stored?.value.state ?? 'missing'}, not ${states.join('/')}, after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export const JUSTIFICATION = 'Ticket 4711: asmith cannot sign in since the migration.';
