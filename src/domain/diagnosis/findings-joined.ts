/**
 * Findings about a join that works but is not clean (`joined-leftovers.ts`): the joined user's UPN
 * is not the one the sync writes. Addresses and provisioning errors are told by the SMTP and
 * provisioning findings, which know the joined target too.
 */
import { exportedUpn } from './conflicts.ts';
import { stepRef, userLabel } from './describe.ts';
import { finding, manualStepsOf, stepsOfKind, type FindingContext } from './finding-context.ts';
import { joinedLeftovers } from './joined-leftovers.ts';
import { capital } from './findings-anchor.ts';
import type { Finding } from './types.ts';

export function joinedUpnFindings(c: FindingContext): Finding[] {
  const joined = c.target;
  if (!joined) return [];
  const upn = joinedLeftovers(c.s, joined).upn;
  if (!upn) return [];
  const sync = stepRef(stepsOfKind(c.plan, 'TRIGGER_DELTA_SYNC'));
  const substituted = exportedUpn(c.s)?.substituted === true;
  if (!upn.holder) {
    return [
      finding(
        'UPN_WILL_CHANGE',
        'warning',
        `The UPN of ${joined.userPrincipalName} changes to ${upn.wanted} at the next sync`,
        [
          `${userLabel(joined)} is joined to ${c.s.onPrem.dn} but has the UPN ${upn.current}, not ${upn.wanted}`,
          substituted && `${c.s.onPrem.userPrincipalName ?? ''} is not in a verified domain, so Entra uses ${upn.wanted}`,
          `Nobody else holds ${upn.wanted} now, so the next export writes it`,
        ],
        `The sync of ${sync} writes it; tell the person to sign in as ${upn.wanted} afterwards.`,
        [joined.id],
      ),
    ];
  }
  return [
    finding(
      'UPN_CONFLICT',
      'warning',
      `The UPN ${upn.wanted} is held by another user, so ${c.s.onPrem.samAccountName}'s joined user has ${upn.current}`,
      [
        `${userLabel(upn.holder)} holds ${upn.wanted}`,
        `${userLabel(joined)} is joined to ${c.s.onPrem.dn}, but Entra gave it ${upn.current} instead (PropertyConflict on UserPrincipalName)`,
      ],
      `${capital(stepRef(manualStepsOf(c.plan, 'FREE_UPN'), 'a person'))} gives ${upn.holder.userPrincipalName} another UPN; the sync of ${sync} then gives ${upn.wanted} to the joined user.`,
      [joined.id, upn.holder.id],
    ),
  ];
}
