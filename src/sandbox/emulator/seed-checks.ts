/**
 * Cross-object checks on a seed: the invariants Entra itself maintains. Each problem is reported
 * on the offending field and names the earlier object it collides with.
 */
import type { z } from 'zod';
import { domainOf, foldCase, isValidImmutableId, proxyKey } from './directory-values.ts';
import { roleDefinition } from './role-definitions.ts';
import type { SeedShape } from './seed.ts';

type Report = (path: (string | number)[], message: string) => void;

/** zod superRefine hook: runs every check so one start-up shows every problem. */
export function crossCheckSeed(seed: SeedShape, ctx: z.RefinementCtx): void {
  const report: Report = (path, message) => ctx.addIssue({ code: 'custom', path, message });
  checkDomains(seed, report);
  checkObjectIds(seed, report);
  checkUsers(seed, report);
  checkProxyAddresses(seed, report);
  checkMembers(seed, report);
  checkRoleNames(seed, report);
}

/** Eligibilities name a user and a built-in role; the app's roles are built-in roles too. */
function checkRoleNames(seed: SeedShape, report: Report): void {
  const users = new Set(seed.users.map((u) => foldCase(u.id)));
  const known = 'a built-in role name or template id (src/sandbox/emulator/role-definitions.ts)';
  seed.roleEligibilities.forEach((e, i) => {
    if (!users.has(foldCase(e.principalId))) report(['roleEligibilities', i, 'principalId'], `no user has id ${e.principalId}`);
    if (!roleDefinition(e.role)) report(['roleEligibilities', i, 'role'], `"${e.role}" is not ${known}`);
  });
  seed.app.directoryRoles.forEach((r, i) => {
    if (!roleDefinition(r)) report(['app', 'directoryRoles', i], `"${r}" is not ${known}`);
  });
}

function checkDomains(seed: SeedShape, report: Report): void {
  const seen = new Map<string, number>();
  seed.domains.forEach((d, i) => {
    const first = seen.get(foldCase(d.id));
    if (first !== undefined) report(['domains', i, 'id'], `duplicates domains[${first}]`);
    else seen.set(foldCase(d.id), i);
    if (d.isInitial && foldCase(d.id) !== foldCase(seed.tenant.initialDomain)) {
      report(['domains', i, 'isInitial'], `only tenant.initialDomain (${seed.tenant.initialDomain}) can be the initial domain`);
    }
  });
  const initial = seed.domains.find((d) => foldCase(d.id) === foldCase(seed.tenant.initialDomain));
  if (!initial) report(['tenant', 'initialDomain'], 'must also be listed in domains');
  else if (!initial.isVerified || initial.authenticationType !== 'Managed') {
    report(['tenant', 'initialDomain'], 'the initial onmicrosoft.com domain is always verified and Managed');
  }
  if (seed.domains.filter((d) => d.isDefault).length > 1) report(['domains'], 'at most one domain can be isDefault');
}

function checkObjectIds(seed: SeedShape, report: Report): void {
  const seen = new Map<string, string>();
  const visit = (id: string, path: (string | number)[]): void => {
    const first = seen.get(foldCase(id));
    if (first !== undefined) report(path, `object id ${id} is already used by ${first}`);
    else
      seen.set(
        foldCase(id),
        path
          .slice(0, -1)
          .join('.')
          .replace(/\.(\d+)/g, '[$1]'),
      );
  };
  seed.users.forEach((u, i) => visit(u.id, ['users', i, 'id']));
  seed.groups.forEach((g, i) => visit(g.id, ['groups', i, 'id']));
  seed.directoryRoles.forEach((r, i) => visit(r.id, ['directoryRoles', i, 'id']));
}

function checkUsers(seed: SeedShape, report: Report): void {
  const verified = new Set(seed.domains.filter((d) => d.isVerified).map((d) => foldCase(d.id)));
  const anchors = new Map<string, number>();
  const upns = new Map<string, number>();
  seed.users.forEach((u, i) => {
    if (!verified.has(domainOf(u.userPrincipalName))) {
      report(['users', i, 'userPrincipalName'], `suffix @${domainOf(u.userPrincipalName)} is not a verified domain of the tenant`);
    }
    const anchor = u.onPremisesImmutableId;
    if (anchor != null) {
      if (!isValidImmutableId(anchor)) report(['users', i, 'onPremisesImmutableId'], 'cannot contain $ or _');
      const first = anchors.get(anchor);
      if (first !== undefined)
        report(['users', i, 'onPremisesImmutableId'], `duplicates users[${first}] (unique across active and deleted users)`);
      else anchors.set(anchor, i);
    }
    if (u.onPremisesSyncEnabled === true && anchor == null) {
      report(['users', i, 'onPremisesImmutableId'], 'a synced user (onPremisesSyncEnabled: true) always has an anchor');
    }
    if (u.deletedDateTime != null) return;
    const first = upns.get(foldCase(u.userPrincipalName));
    if (first !== undefined) report(['users', i, 'userPrincipalName'], `duplicates users[${first}] (unique among active users)`);
    else upns.set(foldCase(u.userPrincipalName), i);
  });
}

/** Proxy addresses are unique across active users and groups (mail-enabled objects). */
function checkProxyAddresses(seed: SeedShape, report: Report): void {
  const seen = new Map<string, string>();
  const visit = (owner: 'users' | 'groups', index: number, addresses: string[] | undefined): void => {
    (addresses ?? []).forEach((address, j) => {
      const first = seen.get(proxyKey(address));
      if (first !== undefined) report([owner, index, 'proxyAddresses', j], `${address} is already held by ${first}`);
      else seen.set(proxyKey(address), `${owner}[${index}]`);
    });
  };
  seed.users.forEach((u, i) => {
    if (u.deletedDateTime == null) visit('users', i, u.proxyAddresses);
  });
  seed.groups.forEach((g, i) => visit('groups', i, g.proxyAddresses));
}

function checkMembers(seed: SeedShape, report: Report): void {
  const users = new Set(seed.users.map((u) => foldCase(u.id)));
  const groups = new Set(seed.groups.map((g) => foldCase(g.id)));
  seed.groups.forEach((g, i) =>
    g.members.forEach((m, j) => {
      if (!users.has(foldCase(m)) && !groups.has(foldCase(m))) report(['groups', i, 'members', j], `no user or group has id ${m}`);
    }),
  );
  const assignable = new Set(seed.groups.filter((g) => g.isAssignableToRole === true).map((g) => foldCase(g.id)));
  seed.groups.forEach((g, i) => {
    if (g.isAssignableToRole !== true) return;
    g.members.forEach((m, j) => {
      if (groups.has(foldCase(m))) report(['groups', i, 'members', j], `a role-assignable group cannot have a group (${m}) as a member`);
    });
  });
  seed.directoryRoles.forEach((r, i) =>
    r.members.forEach((m, j) => {
      if (groups.has(foldCase(m)) && !assignable.has(foldCase(m))) {
        report(['directoryRoles', i, 'members', j], `group ${m} is not role-assignable (isAssignableToRole)`);
      } else if (!users.has(foldCase(m)) && !groups.has(foldCase(m)))
        report(['directoryRoles', i, 'members', j], `no user or group has id ${m}`);
    }),
  );
}
