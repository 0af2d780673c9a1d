/**
 * Findings about what the tenant refuses: a federated UPN (Graph will not change its ImmutableID),
 * admin roles (no hard or soft match onto role holders since MC1262584), and the tenant's match
 * switches (`blockCloudObjectTakeoverThroughHardMatchEnabled`, `blockSoftMatchEnabled`).
 */
import { domainOf } from '../cloud.ts';
import { exportedUpn } from './conflicts.ts';
import { originalUpn, stepRef, userLabel, wordList } from './describe.ts';
import { finding, joiningSync, manualStepsOf, stepsOfKind, type FindingContext } from './finding-context.ts';
import { capital } from './findings-anchor.ts';
import { isActive, linksOfUser } from './situation.ts';
import type { Finding } from './types.ts';

export function tenantFindings(c: FindingContext): Finding[] {
  return [federated(c), adminRoles(c), takeover(c), softMatch(c)].filter((f): f is Finding => f !== null);
}

function federated(c: FindingContext): Finding | null {
  const w = c.work;
  if (!w || w.renameTo === null) return null;
  const upn = w.target.userPrincipalName;
  const adUpn = exportedUpn(c.s)?.upn;
  return finding(
    'FEDERATED_DOMAIN',
    'warning',
    `${upn} is in the federated domain ${domainOf(upn)}`,
    [
      `${domainOf(upn)} is federated: Graph refuses to change the ImmutableID of a user whose UPN is in a federated domain`,
      `${userLabel(w.target)} needs a new ImmutableID`,
    ],
    `${capital(stepRef(stepsOfKind(c.plan, 'RENAME_UPN_TEMPORARILY', w.target.id)))} renames it to ${w.renameTo} first; ` +
      `the sync in ${stepRef(joiningSync(c.plan))} writes the AD UPN${adUpn ? ` ${adUpn}` : ''} back.`,
    [w.target.id],
  );
}

function adminRoles(c: FindingContext): Finding | null {
  const w = c.work;
  if (!w || w.target.adminRoles.length === 0) return null;
  const roles = wordList(w.target.adminRoles);
  return finding(
    'TARGET_HAS_ADMIN_ROLE',
    'blocker',
    `${originalUpn(w.target)} holds Entra admin roles: ${roles}`,
    [
      `${userLabel(w.target)} holds ${roles}`,
      'Since MC1262584 Entra refuses a hard match onto a role holder (InvalidHardMatch), and it never soft-matches one',
      'Setting the ImmutableID of a privileged user also needs a Privileged Authentication Administrator or Global Administrator',
    ],
    `${capital(stepRef(manualStepsOf(c.plan, 'REMOVE_ADMIN_ROLES')))} removes the roles (a person, in the Entra admin center); ` +
      `${stepRef(manualStepsOf(c.plan, 'ASSIGN_ADMIN_ROLES'))} assigns them again once the match is verified.`,
    [w.target.id],
  );
}

function takeover(c: FindingContext): Finding | null {
  const w = c.work;
  // A soft match the next sync makes by itself is not a hard match: the switch does not stand in its way.
  if (!w || !w.takeoverBlocked || w.softMatch !== null) return null;
  const steps = manualStepsOf(c.plan, 'SET_SYNC_SWITCH');
  return finding(
    'HARD_MATCH_TAKEOVER_BLOCKED',
    'blocker',
    'The tenant blocks hard matches onto cloud-only users',
    [
      'The tenant switch blockCloudObjectTakeoverThroughHardMatchEnabled is on',
      `Entra refuses to hard-match ${c.s.onPrem.dn} onto the cloud-only ${userLabel(w.target)}`,
    ],
    `${capital(stepRef(steps.slice(0, 1)))}: a Global Administrator turns it off just before the sync ` +
      `(PATCH /directory/onPremisesSynchronization/{id}, or Update-MgDirectoryOnPremiseSynchronization); ` +
      `${stepRef(steps.slice(1))} turns it back on after the match is verified.`,
  );
}

function softMatch(c: FindingContext): Finding | null {
  const { s, plan } = c;
  const switches = s.evidence.tenant.switches;
  if (!switches.blockSoftMatchEnabled) return null;
  const sam = s.onPrem.samAccountName;
  const candidates = s.users.filter((u) => {
    const links = linksOfUser(s, u);
    return (
      isActive(u) &&
      !u.synced &&
      u.immutableId === null &&
      (links.has('primarySmtp') || (switches.softMatchOnUpnEnabled && links.has('upn')))
    );
  });
  if (candidates.length === 0) return null;
  const sets = stepsOfKind(plan, 'SET_ANCHOR');
  const anchored = sets.length > 0 || (c.work !== null && !c.work.needsSet);
  const on = (u: (typeof candidates)[number]): string =>
    linksOfUser(s, u).has('primarySmtp') ? `primary SMTP address ${s.primary ?? ''}` : 'UPN';
  return finding(
    'SOFT_MATCH_BLOCKED',
    anchored ? 'info' : 'warning',
    'The tenant blocks soft matches',
    [
      'The tenant switch blockSoftMatchEnabled is on',
      ...candidates.map((u) => `Entra Connect does not soft-match ${sam} to ${userLabel(u)} on its ${on(u)}`),
    ],
    anchored
      ? `Nothing to do: the plan sets the ImmutableID (${stepRef(sets, 'already set')}), so the sync hard-matches.`
      : `Setting the ImmutableID works around it: type \`match ${sam} to <UPN>\` for the right cloud user and approve the plan.`,
    candidates.map((u) => u.id),
  );
}
