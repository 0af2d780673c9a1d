/**
 * A small AD and tenant for scan tests, one group of users per outcome, and the in-memory fakes of
 * the two snapshot ports (src/ports/snapshot.ts) over them. The fake relay refuses an OU outside
 * its base DN with an InputError, as the relay does.
 */
import { isWithinBase } from '../../src/domain/dn.ts';
import type { CloudGroup, CloudUser, TenantFacts } from '../../src/domain/cloud.ts';
import type { OnPremUser } from '../../src/domain/onprem-user.ts';
import { InputError } from '../../src/errors/index.ts';
import type { CloudSnapshot, CloudSnapshotSource, OnPremSnapshotSource, ScanScope } from '../../src/ports/snapshot.ts';
import { adUser, cloudUser, deleted, syncedUser, tenant } from '../domain/diagnosis/builders.ts';
import { toImmutableId, parseAnchor } from '../../src/domain/anchors.ts';

export const BASE_DN = 'DC=contoso,DC=com';

const guid = (group: number, i: number): string =>
  `${group.toString(16).padStart(8, '0')}-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
const anchorOf = (g: string): string => toImmutableId(parseAnchor(g));

export interface BulkWorld {
  ad: OnPremUser[];
  cloud: CloudSnapshot;
  tenant: TenantFacts;
}

/**
 * `n` users per group, in OU=<group>: healthy (already matched), hard (a cloud-only user with the
 * old forest's anchor: needs a hard match), purge (the anchor held in the recycle bin), lonely
 * (no cloud user at all).
 */
export function bulkWorld(n: number): BulkWorld {
  const ad: OnPremUser[] = [];
  const users: CloudUser[] = [];
  const gone: CloudUser[] = [];
  for (let i = 1; i <= n; i += 1) {
    const healthy = adUser({ samAccountName: `healthy${i}`, objectGuid: guid(1, i), dn: `CN=healthy${i},OU=Healthy,${BASE_DN}` });
    users.push(
      syncedUser({
        id: guid(11, i),
        userPrincipalName: `healthy${i}@contoso.com`,
        immutableId: anchorOf(guid(1, i)),
        dn: healthy.dn,
        proxyAddresses: [`SMTP:healthy${i}@contoso.com`],
        mail: `healthy${i}@contoso.com`,
      }),
    );
    const hard = adUser({ samAccountName: `hard${i}`, objectGuid: guid(2, i), dn: `CN=hard${i},OU=Migrated,${BASE_DN}` });
    users.push(
      cloudUser({
        id: guid(12, i),
        userPrincipalName: `hard${i}@contoso.com`,
        mail: `hard${i}@contoso.com`,
        proxyAddresses: [`SMTP:hard${i}@contoso.com`],
        immutableId: anchorOf(guid(99, i)),
      }),
    );
    const purge = adUser({ samAccountName: `purge${i}`, objectGuid: guid(3, i), dn: `CN=purge${i},OU=Recycled,${BASE_DN}` });
    users.push(
      cloudUser({
        id: guid(13, i),
        userPrincipalName: `purge${i}@contoso.com`,
        mail: `purge${i}@contoso.com`,
        proxyAddresses: [`SMTP:purge${i}@contoso.com`],
      }),
    );
    gone.push(deleted(cloudUser({ id: guid(23, i), userPrincipalName: `purge${i}.old@contoso.com`, immutableId: anchorOf(guid(3, i)) })));
    const lonely = adUser({ samAccountName: `lonely${i}`, objectGuid: guid(4, i), dn: `CN=lonely${i},OU=New,${BASE_DN}` });
    ad.push(healthy, hard, purge, lonely);
  }
  const groups: CloudGroup[] = [];
  return { ad, cloud: { users, deleted: gone, groups }, tenant: tenant() };
}

export interface FakeOnPremSnapshot extends OnPremSnapshotSource {
  scopes: ScanScope[];
  /** Resolved by the test to let a held stream go on (see `hold`). */
  release(): void;
}

/** Pages of `pageSize`; with `hold`, the stream stops after its first page until `release()`. */
export function fakeOnPremSnapshot(users: readonly OnPremUser[], options: { pageSize?: number; hold?: boolean } = {}): FakeOnPremSnapshot {
  const scopes: ScanScope[] = [];
  let release = (): void => undefined;
  const gate = options.hold ? new Promise<void>((resolve) => (release = resolve)) : Promise.resolve();
  return {
    scopes,
    release: () => release(),
    async *streamUsers(scope) {
      scopes.push(scope);
      if (scope.kind === 'ou' && !isWithinBase(scope.dn, BASE_DN)) {
        throw new InputError('INPUT_INVALID', `"${scope.dn}" is outside the relay's LDAP_BASE_DN (${BASE_DN}); scan an OU inside it.`);
      }
      const inScope = scope.kind === 'ou' ? users.filter((u) => isWithinBase(u.dn, scope.dn)) : users;
      const size = options.pageSize ?? 1000;
      for (let start = 0; start < inScope.length || start === 0; start += size) {
        if (start > 0) await gate;
        yield inScope.slice(start, start + size);
        if (start + size >= inScope.length) break;
      }
    },
  };
}

export function fakeCloudSnapshot(snapshot: CloudSnapshot): CloudSnapshotSource & { reads: number } {
  const source = {
    reads: 0,
    readCloudSnapshot(options?: Parameters<CloudSnapshotSource['readCloudSnapshot']>[0]) {
      source.reads += 1;
      options?.onProgress?.({ read: snapshot.users.length + snapshot.deleted.length, pages: 2 });
      return Promise.resolve(structuredClone(snapshot));
    },
  };
  return source;
}
