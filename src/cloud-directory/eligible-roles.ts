/**
 * Who is eligible for Entra admin roles through PIM: one GET of
 * `/roleManagement/directory/roleEligibilityScheduleInstances` with each instance's role definition
 * expanded (its display name), riding in the tenant-facts `$batch`. Since MC1262584 (June 2026) a
 * hard match onto an eligible user is refused like one onto a role holder. Needs
 * RoleEligibilitySchedule.Read.Directory; a refusal (403) leaves eligibility unknown and names the
 * permission instead of failing `match`. An eligibility held through a group (PIM for Groups) names
 * the group, not its members: such principals are not users and match no candidate.
 */
import type { UnifiedRoleEligibilityScheduleInstance } from '@microsoft/microsoft-graph-types';
import type { Operation } from './errors.ts';
import type { BatchAnswer, BatchGet, GraphTransport } from './graph-transport.ts';
import { collectionUrl } from './odata.ts';
import { answerOf, valuesOf } from './queries.ts';
import { refused, unavailable } from './sync-engine.ts';

export const ELIGIBILITY_OP: Operation = { what: 'read who is eligible for admin roles (PIM)', permission: 'RoleEligibilitySchedule.Read.Directory' };

export function eligibilityRequest(id: string): BatchGet {
  return { id, url: collectionUrl('/roleManagement/directory/roleEligibilityScheduleInstances', { expand: 'roleDefinition($select=id,displayName)' }) };
}

/** Principal id (lower case) → eligible role names, sorted; undefined when the read was refused. */
export async function readEligibleRoleHolders(transport: GraphTransport, answer: BatchAnswer | undefined, missing: string[]): Promise<Record<string, string[]> | undefined> {
  if (refused(answer)) {
    missing.push(ELIGIBILITY_OP.permission);
    return undefined;
  }
  if (unavailable(answer)) return undefined;
  const instances = await valuesOf<UnifiedRoleEligibilityScheduleInstance>(transport, ELIGIBILITY_OP, answerOf(ELIGIBILITY_OP, new Map([['e', answer as BatchAnswer]]), 'e'), {});
  const holders = new Map<string, Set<string>>();
  for (const instance of instances) {
    const principal = (instance.principalId ?? '').toLowerCase();
    const role = instance.roleDefinition?.displayName ?? instance.roleDefinitionId ?? '';
    if (principal === '' || role === '') continue;
    holders.set(principal, (holders.get(principal) ?? new Set()).add(role));
  }
  return Object.fromEntries([...holders].map(([id, roles]) => [id, [...roles].sort()]));
}
