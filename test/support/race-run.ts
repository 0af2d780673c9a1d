/**
 * The two-instance approval race, shared by the race test and the approval-race bench: for each
 * user, `match` + requestApproval on instance A by the first admin, then the same request approved
 * at the same moment on A by the second admin and on B by the third. Plain functions (no vitest).
 */
import type { RecordingConnector } from './recording-connector.ts';
import { teamsClient, type InvokeAnswer, type Person } from './teams-client.ts';
import { allElements, visibleText } from './card-query.ts';

export const RACE_ADMINS: readonly Person[] = [
  { aadObjectId: '00000000-0000-4000-8000-0000000000c1', name: 'Rae Requester' },
  { aadObjectId: '00000000-0000-4000-8000-0000000000c2', name: 'Abe Approver' },
  { aadObjectId: '00000000-0000-4000-8000-0000000000c3', name: 'Bea Approver' },
];

export const RACE_JUSTIFICATION = 'Ticket 9000: relink after the domain migration.';

export interface RaceOutcome {
  sam: string;
  requestId: string;
  /** The two approvals' answers: [on A by admin 2, on B by admin 3]. */
  answers: [InvokeAnswer, InvokeAnswer];
  /** performance.now() just before both approvals were sent. */
  approvedAt: number;
}

function requestIdOf(card: unknown): string {
  const id = allElements(card).find(
    (e) => e.type === 'Action.Execute' && typeof (e.data as { requestId?: unknown } | undefined)?.requestId === 'string',
  );
  const value = (id?.data as { requestId?: string } | undefined)?.requestId;
  if (!value) throw new Error(`the card carries no request id: ${visibleText(card).slice(0, 400)}`);
  return value;
}

export interface RaceTarget {
  botA: string;
  botB: string;
  connector: RecordingConnector;
  tenantId: string;
}

/** One user's race: match and request on A, then both approvals at once. */
export async function raceOne(target: RaceTarget, sam: string): Promise<RaceOutcome> {
  const [requester, approverA, approverB] = RACE_ADMINS as [Person, Person, Person];
  const conversation = { id: `race-${sam}`, type: 'personal' as const };
  const on = (botUrl: string, person: Person) =>
    teamsClient({
      botUrl,
      connector: target.connector,
      tenantId: target.tenantId,
      person,
      conversation: { ...conversation, id: `${conversation.id}-${person.aadObjectId.slice(-2)}` },
    });
  const rae = on(target.botA, requester);
  const { card } = await rae.say(`match ${sam}`);
  const requestId = requestIdOf(card);
  const requested = await rae.invoke('requestApproval', { verb: 'requestApproval', requestId, justification: RACE_JUSTIFICATION });
  if (!visibleText(requested.card).includes('State: requested'))
    throw new Error(`${sam}: requestApproval answered ${visibleText(requested.card).slice(0, 300)}`);
  const approvedAt = performance.now();
  const answers = await Promise.all([
    on(target.botA, approverA).invoke('approve', { verb: 'approve', requestId }),
    on(target.botB, approverB).invoke('approve', { verb: 'approve', requestId }),
  ]);
  return { sam, requestId, answers, approvedAt };
}

/** Runs `work` over `items` with at most `limit` at a time; answers the results in item order. */
export async function inParallel<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
