/**
 * The tenant as one delta sync run sees it, read once and kept current as the run writes, so a
 * run is linear in the number of objects (reading the whole tenant again for each AD user made it
 * quadratic). For each AD user the pure prediction gets only the cloud users that can bear on it:
 * holders of its anchor, of its UPN (as exported, and with the initial domain an unverified suffix
 * gives), of the service's `+NNNN` substitutes of that UPN, and of any of its addresses; every
 * address-holding group. Those are all the users the prediction reads (src/domain/sync), so its
 * answer is the one it gives over the whole tenant.
 */
import { primarySmtp, type CloudGroup, type CloudUser, type TenantFacts } from '../../domain/cloud.ts';
import type { OnPremUser } from '../../domain/onprem-user.ts';
import { exportedProxyAddresses, exportedUserPrincipalName } from '../../domain/sync/ad-values.ts';
import type { SyncTenant } from '../../domain/sync/types.ts';
import type { EmulatorState } from '../emulator/index.ts';
import { tenantFactsOf, toCloudGroup, toCloudUser } from './sync-tenant.ts';

type Key = 'anchor' | 'upn' | 'family' | 'address';

const lower = (s: string): string => s.toLowerCase();
const localPart = (upn: string): string => upn.slice(0, Math.max(0, upn.lastIndexOf('@')));

/** `jdoe+0042@contoso.onmicrosoft.com` → `jdoe@contoso.onmicrosoft.com`: the UPN it substitutes. */
function substituted(upn: string): string | undefined {
  const m = /^(.*)\+\d{4}(@[^@]+)$/.exec(upn);
  return m ? lower(`${m[1]}${m[2]}`) : undefined;
}

function keysOf(user: CloudUser): Record<Key, string[]> {
  const family = substituted(user.userPrincipalName);
  return {
    anchor: user.immutableId === null ? [] : [user.immutableId],
    upn: [lower(user.userPrincipalName)],
    family: family ? [family] : [],
    address: [...user.proxyAddresses.map((p) => lower(p.replace(/^smtp:/i, ''))), ...(user.mail ? [lower(user.mail)] : [])],
  };
}

export class SyncTenantView {
  readonly #state: EmulatorState;
  readonly #users = new Map<string, CloudUser>();
  readonly #keys = new Map<string, Record<Key, string[]>>();
  readonly #maps: Record<Key, Map<string, Set<string>>> = { anchor: new Map(), upn: new Map(), family: new Map(), address: new Map() };
  readonly #groups: CloudGroup[];
  readonly #facts: TenantFacts;

  constructor(state: EmulatorState) {
    this.#state = state;
    this.#facts = tenantFactsOf(state);
    this.#groups = state
      .groups()
      .filter((g) => g.mail !== null || g.proxyAddresses.length > 0)
      .map(toCloudGroup);
    for (const user of state.listedUsers('active')) this.#add(this.#active(user.id));
    for (const user of state.listedUsers('deleted')) this.#add(toCloudUser(user, []));
  }

  /** The part of the tenant the prediction reads for `onPrem`, ordered as the whole tenant is (active by id, then deleted). */
  forUser(onPrem: OnPremUser): SyncTenant {
    const upn = exportedUserPrincipalName(onPrem);
    const onInitial = lower(`${localPart(upn)}@${this.#facts.initialDomain}`);
    const addresses = exportedProxyAddresses(onPrem).map((p) => lower(p.replace(/^[^:]*:/, '')));
    const smtp = primarySmtp(exportedProxyAddresses(onPrem));
    const ids = new Set<string>([
      ...this.#lookup('anchor', onPrem.anchor.immutableId),
      ...this.#lookup('upn', lower(upn)),
      ...this.#lookup('upn', onInitial),
      ...this.#lookup('family', lower(upn)),
      ...this.#lookup('family', onInitial),
      ...[...addresses, ...(smtp ? [lower(smtp)] : [])].flatMap((a) => this.#lookup('address', a)),
    ]);
    const users = [...ids].map((id) => this.#users.get(id) as CloudUser);
    const order = (u: CloudUser): string => `${u.deletedDateTime === null ? 0 : 1}|${u.id}`;
    users.sort((a, b) => (order(a) < order(b) ? -1 : 1));
    return { users, otherObjects: this.#groups, facts: this.#facts };
  }

  /** Read one user again after the run wrote it (active, deleted, or gone). */
  refresh(id: string): void {
    this.#remove(id);
    if (this.#state.activeUser(id)) this.#add(this.#active(id));
    else {
      const deleted = this.#state.deletedUser(id);
      if (deleted) this.#add(toCloudUser(deleted, []));
    }
  }

  #active(id: string): CloudUser {
    const record = this.#state.activeUser(id);
    if (!record) throw new Error(`no active user ${id}`);
    return toCloudUser(
      record,
      this.#state.directoryRolesOf(id).map((r) => r.displayName),
      this.#state.eligibleRolesOf(id),
    );
  }

  #lookup(key: Key, value: string): string[] {
    return [...(this.#maps[key].get(value) ?? [])];
  }

  #add(user: CloudUser): void {
    const keys = keysOf(user);
    this.#users.set(user.id, user);
    this.#keys.set(user.id, keys);
    for (const key of Object.keys(keys) as Key[]) {
      for (const value of keys[key]) {
        const ids = this.#maps[key].get(value);
        if (ids) ids.add(user.id);
        else this.#maps[key].set(value, new Set([user.id]));
      }
    }
  }

  #remove(id: string): void {
    const keys = this.#keys.get(id);
    this.#users.delete(id);
    this.#keys.delete(id);
    if (!keys) return;
    for (const key of Object.keys(keys) as Key[]) for (const value of keys[key]) this.#maps[key].get(value)?.delete(id);
  }
}
