/**
 * Who is eligible for Entra admin roles through PIM: GET
 * `/roleManagement/directory/roleEligibilityScheduleInstances` and, beside it, the role definitions
 * (`/roleManagement/directory/roleDefinitions`, for their display names), both riding in the
 * tenant-facts `$batch`. Since MC1262584 (June 2026) a
 * hard match onto an eligible user is refused like one onto a role holder. Needs
 * RoleEligibilitySchedule.Read.Directory; a refusal (403) leaves eligibility unknown and names the
 * permission instead of failing `match`. An eligibility held through a group (PIM for Groups) names
 * the group, not its members: such principals are not users and match no candidate.
 */
import type { UnifiedRoleDefinition, UnifiedRoleEligibilityScheduleInstance } from '@microsoft/microsoft-graph-types';
import type { Operation } from './errors.ts';
import type { BatchAnswer, BatchGet, GraphTransport } from './graph-transport.ts';
import { collectionUrl } from './odata.ts';
import { answerOf, valuesOf } from './queries.ts';
import { refused, unavailable } from './sync-engine.ts';

export const ELIGIBILITY_OP: Operation = {
  what: 'read who is eligible for admin roles (PIM)',
  permission: 'RoleEligibilitySchedule.Read.Directory',
};

export function eligibilityRequests(id: string): BatchGet[] {
  return [
    {
      id,
      url: collectionUrl('/roleManagement/directory/roleEligibilityScheduleInstances', {
        select: ['id', 'principalId', 'roleDefinitionId', 'startDateTime', 'endDateTime'],
      }),
    },
    { id: `${id}-definitions`, url: collectionUrl('/roleManagement/directory/roleDefinitions', { select: ['id', 'displayName'] }) },
  ];
}

/** Principal id (lower case) → eligible role names, sorted; undefined when the read was refused. */
export async function readEligibleRoleHolders(
  transport: GraphTransport,
  answers: ReadonlyMap<string, BatchAnswer>,
  id: string,
  missing: string[],
): Promise<Record<string, string[]> | undefined> {
  const answer = answers.get(id);
  const definitionsAnswer = answers.get(`${id}-definitions`);
  if (refused(answer)) {
    missing.push(ELIGIBILITY_OP.permission);
    return undefined;
  }
  if (unavailable(answer)) return undefined;
  const instances = await valuesOf<UnifiedRoleEligibilityScheduleInstance>(
    transport,
    ELIGIBILITY_OP,
    answerOf(ELIGIBILITY_OP, answers, id),
    {},
  );
  // Without the definitions (refused or unavailable) the role is named by its id: still a role, still a blocker.
  const definitions =
    definitionsAnswer && definitionsAnswer.status >= 200 && definitionsAnswer.status < 300
      ? await valuesOf<UnifiedRoleDefinition>(transport, ELIGIBILITY_OP, definitionsAnswer, {})
      : [];
  const names = new Map(definitions.map((d) => [(d.id ?? '').toLowerCase(), d.displayName ?? '']));
  const holders = new Map<string, Set<string>>();
  for (const instance of instances) {
    const principal = (instance.principalId ?? '').toLowerCase();
    const role = names.get((instance.roleDefinitionId ?? '').toLowerCase()) || instance.roleDefinitionId || '';
    if (principal === '' || role === '') continue;
    holders.set(principal, (holders.get(principal) ?? new Set()).add(role));
  }
  return Object.fromEntries([...holders].map(([id, roles]) => [id, [...roles].sort()]));
}
