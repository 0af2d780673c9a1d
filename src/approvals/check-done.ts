/**
 * A person's "Done" on a MANUAL step, checked where the bot can see the result: Graph for the
 * cloud (addresses, UPNs, roles, the recycle bin, tenant switches), the relay for AD (the object's
 * UPN, and its DN against SYNC_SCOPE_OUS). Not done → the Done is refused naming what is still
 * there, and the step keeps waiting. What the bot cannot see (scope without SYNC_SCOPE_OUS, a sync
 * rule filter, a step it cannot model) is taken on the person's word, and recorded as such.
 */
import type { ApprovalRequest, DoneCheck } from '../domain/approval/types.ts';
import { domainOf, sameAddress, smtpAddresses, type CloudUser } from '../domain/cloud.ts';
import type { ManualAction, PlanStep } from '../domain/diagnosis/types.ts';
import { sameDn } from '../domain/dn.ts';
import type { OnPremUser } from '../domain/onprem-user.ts';
import { decidingEntry, inSyncScope, type SyncScope } from '../domain/sync-scope.ts';
import type { CloudDirectory } from '../ports/cloud-directory.ts';
import type { RelayClient } from '../ports/relay.ts';

export interface DoneCheckDeps {
  cloud: CloudDirectory;
  /** Absent without RELAY_URL: AD-side steps are then taken on the person's word. */
  relay?: Pick<RelayClient, 'lookup'>;
  /** SYNC_SCOPE_OUS; absent: scope steps are taken on the person's word. */
  scope?: SyncScope;
}

type Manual = Extract<PlanStep, { kind: 'MANUAL' }>;

/** Throws the relay's or Graph's error when a read fails: the caller refuses the Done with it. */
export async function checkDone(request: ApprovalRequest, step: Manual, deps: DoneCheckDeps): Promise<DoneCheck> {
  const action = step.action;
  if (!action) return word('the step is an instruction the bot cannot model, so it cannot see its result');
  switch (action.kind) {
    case 'SCOPE_OUT':
    case 'SCOPE_IN':
      return checkScope(request, action, deps);
    case 'SET_ONPREM_UPN':
      return checkOnPremUpn(request, action, deps);
    case 'REMOVE_ADMIN_ROLES':
    case 'ASSIGN_ADMIN_ROLES':
      return checkRoles(action, deps.cloud);
    case 'REMOVE_ADDRESSES':
      return (await onPremHolderCheck(action, deps)) ?? checkAddresses(request, action, deps.cloud);
    case 'FREE_UPN':
      return (await onPremHolderCheck(action, deps)) ?? checkFreedUpn(action, deps.cloud);
    case 'SET_SYNC_SWITCH': {
      const switches = (await deps.cloud.tenantFacts(undefined, { fresh: true })).switches;
      const state = (on: boolean): string => (on ? 'on' : 'off');
      return switches[action.feature] === action.enabled
        ? { status: 'done', seen: `Graph shows ${action.feature} ${state(action.enabled)}` }
        : { status: 'not-done', still: `Graph still shows ${action.feature} ${state(switches[action.feature])}` };
    }
    case 'RESTORE_DELETED_USER':
      return checkRestored(action, deps.cloud);
    case 'RUN_MATCH_AGAIN':
      return word(`this step is typing \`${action.command}\`, which makes a new plan; there is nothing to check`);
  }
}

/**
 * Restored means active and cloud-only: a user the sync soft-deleted comes back from the recycle bin
 * cloud-only. One still synced was never deleted (its AD object is still in scope somewhere).
 */
async function checkRestored(action: Extract<ManualAction, { kind: 'RESTORE_DELETED_USER' }>, cloud: CloudDirectory): Promise<DoneCheck> {
  const user = await cloud.findUser(action.subject.userId);
  const upn = action.subject.userPrincipalName;
  if (!user) return { status: 'not-done', still: `there is no user ${action.subject.userId}, active or deleted` };
  if (user.deletedDateTime !== null)
    return { status: 'not-done', still: `${upn} is still in the recycle bin (since ${user.deletedDateTime})` };
  if (user.synced) {
    const joinedTo = user.onPremisesDistinguishedName ?? 'its AD object';
    return {
      status: 'not-done',
      still:
        `${user.userPrincipalName} is active but still synced (joined to ${joinedTo}, last sync ${user.lastSyncDateTime ?? 'not recorded'}): ` +
        `the sync never soft-deleted it, so ${joinedTo} is still in scope. Take it out of scope, run a delta sync, then restore`,
    };
  }
  return { status: 'done', seen: `${user.userPrincipalName} is active again, cloud-only` };
}

function word(why: string): DoneCheck {
  return { status: 'word', why };
}

/** The AD object a step names: by its DN, else (moved since) by the anchor the plan knew it by. */
async function locate(request: ApprovalRequest, dn: string, relay: Pick<RelayClient, 'lookup'>): Promise<OnPremUser | null> {
  const byDn = (await relay.lookup(dn, 2)).users.find((u) => sameDn(u.dn, dn));
  if (byDn) return byDn;
  const onPrem = request.diagnosis.onPrem;
  const key =
    onPrem && sameDn(onPrem.dn, dn)
      ? onPrem.objectGuid
      : request.diagnosis.candidates.find((c) => sameDn(c.user.onPremisesDistinguishedName ?? '', dn))?.user.immutableId;
  if (!key) return null;
  const found = await relay.lookup(key, 2);
  return found.users.length === 1 ? (found.users[0] ?? null) : null;
}

async function checkScope(
  request: ApprovalRequest,
  action: Extract<ManualAction, { kind: 'SCOPE_OUT' | 'SCOPE_IN' }>,
  deps: DoneCheckDeps,
): Promise<DoneCheck> {
  if (!deps.scope)
    return word('SYNC_SCOPE_OUS is not set, so the bot cannot see which OUs Entra Connect synchronises (nor a sync rule filter)');
  if (!deps.relay) return word('no relay is configured (RELAY_URL), so the bot cannot see where the AD object is');
  // An object in a forest SYNC_SCOPE_OUS does not cover is one the relay does not serve either.
  if (decidingEntry(action.dn, deps.scope) === null)
    return word(`${action.dn} is in a forest SYNC_SCOPE_OUS does not cover, so the bot cannot see it`);
  const out = action.kind === 'SCOPE_OUT';
  const user = await locate(request, action.dn, deps.relay);
  if (!user) {
    return out
      ? { status: 'done', seen: `the relay finds no AD object at ${action.dn} or with its anchor any more (deleted)` }
      : { status: 'not-done', still: `the relay finds no AD object at ${action.dn} or with its anchor` };
  }
  const inside = inSyncScope(user.dn, deps.scope);
  const where = `${user.dn} is ${inside ? 'in' : 'outside'} the sync scope (SYNC_SCOPE_OUS: ${decidingEntry(user.dn, deps.scope) ?? 'under no listed OU'})`;
  if (inside !== out) return { status: 'done', seen: where };
  const hint = out
    ? ': move it to an OU that is not synchronised (if you filtered it out with a sync rule instead, the bot cannot see that: correct SYNC_SCOPE_OUS)'
    : ': move it back to a synchronised OU';
  return { status: 'not-done', still: `${where}${hint}` };
}

async function checkOnPremUpn(
  request: ApprovalRequest,
  action: Extract<ManualAction, { kind: 'SET_ONPREM_UPN' }>,
  deps: DoneCheckDeps,
): Promise<DoneCheck> {
  if (!deps.relay) return word('no relay is configured (RELAY_URL), so the bot cannot read the AD user');
  const user = await locate(request, action.dn, deps.relay);
  if (!user) return { status: 'not-done', still: `the relay finds no AD user at ${action.dn}` };
  const upn = user.userPrincipalName;
  if (sameAddress(upn, action.to)) return { status: 'done', seen: `the AD user ${user.samAccountName} has the UPN ${upn ?? ''}` };
  const tenant = await deps.cloud.tenantFacts();
  const verified = upn !== null && tenant.domains.some((d) => d.verified && !d.initial && d.name === domainOf(upn));
  if (verified) return { status: 'done', seen: `the AD user ${user.samAccountName} has the UPN ${upn}, in a verified domain` };
  return {
    status: 'not-done',
    still: `the AD user ${user.samAccountName} still has the UPN ${upn ?? '(none)'}, not one in a verified domain such as ${action.to}`,
  };
}

async function checkRoles(
  action: Extract<ManualAction, { kind: 'REMOVE_ADMIN_ROLES' | 'ASSIGN_ADMIN_ROLES' }>,
  cloud: CloudDirectory,
): Promise<DoneCheck> {
  // Assigned roles and PIM eligibility both count (MC1262584 refuses a hard match onto either),
  // read now: the tenant facts' cached eligibility could predate the person's change.
  const [assigned, facts] = await Promise.all([cloud.rolesOf(action.subject.userId), cloud.tenantFacts(undefined, { fresh: true })]);
  const eligible = facts.eligibleRoleHolders?.[action.subject.userId.toLowerCase()] ?? [];
  const held = [...assigned, ...eligible];
  const has = (role: string): boolean => held.some((h) => h.toLowerCase() === role.toLowerCase());
  const who = action.subject.userPrincipalName;
  if (action.kind === 'REMOVE_ADMIN_ROLES') {
    const still = action.roles.filter(has);
    return still.length === 0
      ? { status: 'done', seen: `Graph shows none of ${action.roles.join(', ')} on ${who}` }
      : { status: 'not-done', still: `${who} still holds ${still.join(', ')}` };
  }
  const missing = action.roles.filter((r) => !has(r));
  return missing.length === 0
    ? { status: 'done', seen: `Graph shows ${action.roles.join(', ')} on ${who}` }
    : { status: 'not-done', still: `${who} does not hold ${missing.join(', ')} yet` };
}

/**
 * A synced holder is changed on-premises; the plan's next sync exports it. When the relay sees its
 * AD object (same forest), the check reads AD; null when it cannot (another forest): Graph decides.
 */
async function onPremHolderCheck(
  action: Extract<ManualAction, { kind: 'REMOVE_ADDRESSES' | 'FREE_UPN' }>,
  deps: DoneCheckDeps,
): Promise<DoneCheck | null> {
  if (!action.dn || !deps.relay) return null;
  const dn = action.dn;
  const holder = (await deps.relay.lookup(dn, 2)).users.find((u) => sameDn(u.dn, dn));
  if (!holder) return null;
  if (action.kind === 'FREE_UPN') {
    return sameAddress(holder.userPrincipalName, action.upn)
      ? { status: 'not-done', still: `the AD object ${holder.dn} still has the UPN ${action.upn}` }
      : {
          status: 'done',
          seen: `the AD object ${holder.dn} now has the UPN ${holder.userPrincipalName ?? '(none)'}; the next sync exports it`,
        };
  }
  const still = action.addresses.map((a) => a.toLowerCase()).filter((a) => addressesOf(holder).includes(a));
  return still.length === 0
    ? { status: 'done', seen: `the AD object ${holder.dn} no longer has ${action.addresses.join(', ')}; the next sync exports it` }
    : { status: 'not-done', still: `the AD object ${holder.dn} still has ${still.join(', ')}` };
}

async function checkAddresses(
  request: ApprovalRequest,
  action: Extract<ManualAction, { kind: 'REMOVE_ADDRESSES' }>,
  cloud: CloudDirectory,
): Promise<DoneCheck> {
  const held = await heldAddresses(request, action, cloud);
  const wanted = action.addresses.map((a) => a.toLowerCase());
  const still = wanted.filter((a) => held?.addresses.includes(a));
  if (!held || still.length === 0)
    return { status: 'done', seen: `Graph shows ${wanted.join(', ')} no longer on ${held?.label ?? `object ${action.objectId}`}` };
  const synced = action.dn
    ? ` (it is synced: the change shows once its Entra Connect has exported it; run a delta sync there and press Done again)`
    : '';
  return { status: 'not-done', still: `${held.label} still holds ${still.join(', ')}${synced}` };
}

/** The holder's addresses as Graph shows them now; null when it is gone. */
async function heldAddresses(
  request: ApprovalRequest,
  action: Extract<ManualAction, { kind: 'REMOVE_ADDRESSES' }>,
  cloud: CloudDirectory,
): Promise<{ label: string; addresses: string[] } | null> {
  if (action.objectKind === 'user') {
    const user = await cloud.findUser(action.objectId);
    return user && user.deletedDateTime === null ? { label: user.userPrincipalName, addresses: addressesOf(user) } : null;
  }
  const onPrem = request.diagnosis.onPrem;
  if (!onPrem) return null;
  const evidence = await cloud.evidenceFor(onPrem, { tenant: cloud.tenantFacts() });
  const group = evidence.otherObjects.find((g) => g.id === action.objectId);
  return group ? { label: `the group "${group.displayName}"`, addresses: addressesOf(group) } : null;
}

function addressesOf(holder: Pick<CloudUser, 'proxyAddresses' | 'mail'>): string[] {
  return [...smtpAddresses(holder.proxyAddresses), ...(holder.mail ? [holder.mail] : [])].map((a) => a.toLowerCase());
}

async function checkFreedUpn(action: Extract<ManualAction, { kind: 'FREE_UPN' }>, cloud: CloudDirectory): Promise<DoneCheck> {
  const user = await cloud.findUser(action.objectId);
  if (!user || user.deletedDateTime !== null || !sameAddress(user.userPrincipalName, action.upn)) {
    return {
      status: 'done',
      seen: `Graph shows ${action.upn} no longer on the user ${action.objectId}${user ? ` (now ${user.userPrincipalName})` : ''}`,
    };
  }
  const synced = action.dn ? ' (it is synced: the new UPN shows once Entra Connect has exported it)' : '';
  return { status: 'not-done', still: `${user.userPrincipalName} (id ${user.id}) still has the UPN ${action.upn}${synced}` };
}
