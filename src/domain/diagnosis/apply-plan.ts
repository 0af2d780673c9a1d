/**
 * The tenant as the sync engine sees it, before and after a plan: `tenantFromEvidence` builds it
 * from what `match` read, `applyPlanToTenant` plays the plan's steps on a copy (pure), so the
 * prediction can say what the plan's joining sync will do. MANUAL steps are modelled from their
 * `action` (sync scope, AD UPN, roles, addresses, tenant switch); a sync in the middle of a plan
 * is modelled for what plans use it for: soft-deleting synced users whose AD object left the scope.
 */
import { isSmtpProxy, sameAddress, type CloudGroup, type CloudEvidence, type CloudUser } from '../cloud.ts';
import type { SyncSubject, SyncTenant } from '../sync/types.ts';
import { originalUpn } from './describe.ts';
import type { ManualAction, Plan, PlanStep } from './types.ts';

/** A plan's progress: the tenant, the AD user, and the AD objects taken out of sync scope. */
export interface PlanState {
  tenant: SyncTenant;
  subject: SyncSubject;
  /** DNs (lower case) a MANUAL step took out of sync scope. */
  outOfScope: string[];
}

/**
 * `deletedDateTime` given to a user a modelled sync soft-deletes. A pure function has no clock;
 * the sync rules only ask whether the user is deleted, never when.
 */
export const MODELLED_DELETION_TIME = '1970-01-01T00:00:00.000Z';

const WRITES: ReadonlySet<PlanStep['kind']> = new Set([
  'PURGE_DELETED_USER',
  'CLEAR_ANCHOR',
  'RENAME_UPN_TEMPORARILY',
  'SET_ANCHOR',
  'CLEAR_OBJECT_IDENTIFIER',
]);
/** Either engine's sync of the AD user (Connect Sync's delta cycle, Cloud Sync's provisioning on demand). */
export const SYNC_KINDS: ReadonlySet<PlanStep['kind']> = new Set(['TRIGGER_DELTA_SYNC', 'PROVISION_ON_DEMAND']);

/**
 * The evidence as a tenant to read, without copies: every candidate once (and the named target),
 * the groups, the facts. For the diagnosis's own predictions only, which never change it
 * (applyStep works on a copy of the state it is given); a caller that changes the tenant wants
 * tenantFromEvidence.
 */
export function tenantView(evidence: CloudEvidence): SyncTenant {
  const users: CloudUser[] = [];
  for (const { user } of evidence.candidates) if (!users.some((u) => u.id === user.id)) users.push(user);
  const target = evidence.target?.user;
  if (target && !users.some((u) => u.id === target.id)) users.push(target);
  return { users, otherObjects: [...evidence.otherObjects], facts: evidence.tenant };
}

/** The evidence as a tenant of its own: copies of every candidate once (and the named target), the groups and the facts. */
export function tenantFromEvidence(evidence: CloudEvidence): SyncTenant {
  const users = new Map<string, CloudUser>();
  for (const { user } of evidence.candidates) users.set(user.id, copyUser(user));
  const target = evidence.target?.user;
  if (target && !users.has(target.id)) users.set(target.id, copyUser(target));
  return {
    users: [...users.values()],
    otherObjects: evidence.otherObjects.map(copyGroup),
    facts: copyFacts(evidence.tenant),
  };
}

export function applyPlanToTenant(plan: Plan, tenant: SyncTenant, subject: SyncSubject): { tenant: SyncTenant; subject: SyncSubject } {
  let state: PlanState = { tenant, subject, outOfScope: [] };
  for (const step of stepsBeforeJoiningSync(plan.steps)) state = applyStep(state, step);
  return { tenant: state.tenant, subject: state.subject };
}

/** The steps before the first sync (either engine's) that follows the last write (all, without one). */
export function stepsBeforeJoiningSync(steps: readonly PlanStep[]): PlanStep[] {
  const lastWrite = steps.reduce((last, step, i) => (WRITES.has(step.kind) ? i : last), -1);
  const stop = steps.findIndex((step, i) => i > lastWrite && SYNC_KINDS.has(step.kind));
  return stop < 0 ? [...steps] : steps.slice(0, stop);
}

/** One step on a copy of the state. */
export function applyStep(state: PlanState, step: PlanStep): PlanState {
  const next: PlanState = {
    tenant: {
      users: state.tenant.users.map(copyUser),
      otherObjects: state.tenant.otherObjects.map(copyGroup),
      facts: copyFacts(state.tenant.facts),
    },
    subject: { inScope: state.subject.inScope, onPrem: { ...state.subject.onPrem } },
    outOfScope: [...state.outOfScope],
  };
  const user = (id: string): CloudUser | undefined => next.tenant.users.find((u) => u.id === id);
  switch (step.kind) {
    case 'PURGE_DELETED_USER':
      next.tenant.users = next.tenant.users.filter((u) => u.id !== step.subject.userId);
      break;
    case 'CLEAR_ANCHOR':
      setIf(user(step.subject.userId), (u) => (u.immutableId = null));
      break;
    case 'SET_ANCHOR':
      setIf(user(step.subject.userId), (u) => (u.immutableId = step.immutableId));
      break;
    case 'RENAME_UPN_TEMPORARILY':
      setIf(user(step.subject.userId), (u) => (u.userPrincipalName = step.to));
      break;
    case 'MANUAL':
      if (step.action) applyManual(next, step.action);
      break;
    case 'CLEAR_OBJECT_IDENTIFIER':
      setIf(user(step.subject.userId), (u) => (u.onPremisesObjectIdentifier = null));
      break;
    case 'TRIGGER_DELTA_SYNC':
    case 'PROVISION_ON_DEMAND':
      modelScopeDeletions(next);
      break;
    case 'VERIFY_JOINED':
      break;
  }
  return next;
}

function applyManual(state: PlanState, action: ManualAction): void {
  const isSubject = (dn: string): boolean => sameAddress(dn, state.subject.onPrem.dn);
  const user = (id: string): CloudUser | undefined => state.tenant.users.find((u) => u.id === id);
  switch (action.kind) {
    case 'SCOPE_OUT':
      if (isSubject(action.dn)) state.subject.inScope = false;
      state.outOfScope = [...new Set([...state.outOfScope, action.dn.toLowerCase()])];
      break;
    case 'SCOPE_IN':
      if (isSubject(action.dn)) state.subject.inScope = true;
      state.outOfScope = state.outOfScope.filter((dn) => dn !== action.dn.toLowerCase());
      break;
    case 'SET_ONPREM_UPN':
      if (isSubject(action.dn)) state.subject.onPrem.userPrincipalName = action.to;
      break;
    case 'REMOVE_ADMIN_ROLES':
      setIf(user(action.subject.userId), (u) => {
        u.adminRoles = u.adminRoles.filter((r) => !action.roles.includes(r));
        u.eligibleRoles = (u.eligibleRoles ?? []).filter((r) => !action.roles.includes(r));
      });
      break;
    case 'ASSIGN_ADMIN_ROLES':
      setIf(user(action.subject.userId), (u) => (u.adminRoles = [...new Set([...u.adminRoles, ...action.roles])]));
      break;
    case 'REMOVE_ADDRESSES': {
      const holder = user(action.objectId) ?? state.tenant.otherObjects.find((g) => g.id === action.objectId);
      setIf(holder, (h) => removeAddresses(h, action.addresses));
      break;
    }
    case 'FREE_UPN':
      setIf(user(action.objectId), (u) => (u.userPrincipalName = action.suggestion));
      break;
    case 'SET_SYNC_SWITCH':
      state.tenant.facts.switches[action.feature] = action.enabled;
      break;
    case 'RESTORE_DELETED_USER':
      setIf(user(action.subject.userId), (u) => {
        if (u.deletedDateTime === null) return;
        u.userPrincipalName = originalUpn(u);
        u.deletedDateTime = null;
        u.synced = false;
      });
      break;
    case 'RUN_MATCH_AGAIN':
      break;
  }
}

/** Entra Connect soft-deletes the synced user of every AD object that left the scope. */
function modelScopeDeletions(state: PlanState): void {
  const anchor = state.subject.onPrem.anchor.immutableId;
  for (const u of state.tenant.users) {
    if (u.deletedDateTime !== null || !u.synced) continue;
    const leftScope =
      (u.onPremisesDistinguishedName !== null && state.outOfScope.includes(u.onPremisesDistinguishedName.toLowerCase())) ||
      (!state.subject.inScope && u.immutableId === anchor);
    if (leftScope) {
      u.userPrincipalName = `${u.id.replaceAll('-', '')}${u.userPrincipalName}`;
      u.deletedDateTime = MODELLED_DELETION_TIME;
    }
  }
}

function removeAddresses(holder: { proxyAddresses: string[]; mail: string | null }, addresses: readonly string[]): void {
  const drop = new Set(addresses.map((a) => a.toLowerCase()));
  holder.proxyAddresses = holder.proxyAddresses.filter((p) => !(isSmtpProxy(p) && drop.has(p.slice(5).toLowerCase())));
  if (holder.mail !== null && drop.has(holder.mail.toLowerCase())) holder.mail = null;
}

function setIf<T>(value: T | undefined, change: (v: T) => void): void {
  if (value !== undefined) change(value);
}

function copyUser(u: CloudUser): CloudUser {
  return {
    ...u,
    proxyAddresses: [...u.proxyAddresses],
    provisioningErrors: u.provisioningErrors.map((e) => ({ ...e })),
    adminRoles: [...u.adminRoles],
    ...(u.eligibleRoles ? { eligibleRoles: [...u.eligibleRoles] } : {}),
  };
}

function copyGroup(g: CloudGroup): CloudGroup {
  return { ...g, proxyAddresses: [...g.proxyAddresses] };
}

function copyFacts(f: SyncTenant['facts']): SyncTenant['facts'] {
  return { ...f, domains: f.domains.map((d) => ({ ...d })), switches: { ...f.switches } };
}
