/**
 * A small hand fake of CloudDirectory & CloudWriter for the plan actions: users in memory, every
 * call recorded, Graph's refusals for the writes the actions make (synced user, ObjectConflict,
 * purge of an active user), and a hook to fail the next call with any error.
 */
import type { CloudDirectory, CloudWriter } from '../../src/ports/cloud-directory.ts';
import type { CloudUser } from '../../src/domain/cloud.ts';
import type { ProvisioningLogError, ProvisionOnDemandResult } from '../../src/ports/cloud-directory.ts';
import { createDeadline } from '../../src/cloud-directory/deadline.ts';
import { CloudError } from '../../src/errors/index.ts';
import { baseCloudUser } from '../support/cloud-user.ts';

export type FakeCall =
  | { op: 'findUser'; idOrUpn: string }
  | { op: 'setImmutableId'; userId: string; immutableId: string | null }
  | { op: 'setUserPrincipalName'; userId: string; userPrincipalName: string }
  | { op: 'purgeDeletedUser'; userId: string }
  | { op: 'objectIdentifierOf'; userId: string }
  | { op: 'clearObjectIdentifier'; userId: string }
  | { op: 'provisionOnDemand'; jobId: string; dn: string };

export interface FakeCloud extends CloudDirectory, CloudWriter {
  users: Map<string, CloudUser>;
  calls: FakeCall[];
  /** Calls that wrote (setImmutableId, setUserPrincipalName, purgeDeletedUser). */
  writes(): FakeCall[];
  /** The next call of `op` throws `err` instead. */
  failNext(op: FakeCall['op'], err: Error): void;
  /** What provisioningLogOf answers. */
  provisioningLog: ProvisioningLogError | null;
  /** What provisionOnDemand answers, in order (a test queues them). */
  provisionAnswers: ProvisionOnDemandResult[];
  /** Runs before each findUser returns (e.g. a sync landing between polls). */
  onFind?: (calls: number) => void;
}

export function cloudUser(overrides: Partial<CloudUser> & Pick<CloudUser, 'id' | 'userPrincipalName'>): CloudUser {
  return baseCloudUser(overrides);
}

export function graphError(status: number, graphCode: string, graphMessage: string): CloudError {
  return new CloudError('CLOUD_REQUEST_FAILED', `Microsoft Graph refused the request (${status} ${graphCode}: ${graphMessage}).`, {
    status,
    graphCode,
    graphMessage,
  });
}

export function fakeCloud(users: CloudUser[]): FakeCloud {
  const map = new Map(users.map((u) => [u.id, structuredClone(u)]));
  const calls: FakeCall[] = [];
  const failures = new Map<FakeCall['op'], Error>();
  let finds = 0;
  const record = (call: FakeCall): void => {
    calls.push(call);
    const err = failures.get(call.op);
    if (err) {
      failures.delete(call.op);
      throw err;
    }
  };
  const active = (userId: string): CloudUser => {
    const user = map.get(userId);
    if (!user || user.deletedDateTime !== null) throw graphError(404, 'Request_ResourceNotFound', `Resource '${userId}' does not exist.`);
    return user;
  };
  const fake: FakeCloud = {
    users: map,
    calls,
    writes: () => calls.filter((c) => c.op !== 'findUser' && c.op !== 'objectIdentifierOf'),
    provisionAnswers: [],
    provisioningLog: null,
    provisioningLogOf() {
      return Promise.resolve(fake.provisioningLog);
    },
    objectIdentifierOf(userId) {
      return Promise.resolve().then(() => {
        record({ op: 'objectIdentifierOf', userId });
        const user = map.get(userId);
        return user && user.deletedDateTime === null
          ? { exists: true, onPremisesObjectIdentifier: user.onPremisesObjectIdentifier ?? null }
          : { exists: false, onPremisesObjectIdentifier: null };
      });
    },
    clearObjectIdentifier(userId) {
      return Promise.resolve().then(() => {
        record({ op: 'clearObjectIdentifier', userId });
        active(userId).onPremisesObjectIdentifier = null;
      });
    },
    provisionOnDemand(job, dn) {
      return Promise.resolve().then(() => {
        record({ op: 'provisionOnDemand', jobId: job.jobId, dn });
        const answer = fake.provisionAnswers.shift();
        if (!answer) throw new Error('no provisionOnDemand answer queued');
        return answer;
      });
    },
    failNext: (op, err) => void failures.set(op, err),
    startDeadline: () => createDeadline(),
    tenantFacts: () => Promise.reject(new Error('not used by the plan actions')),
    evidenceFor: () => Promise.reject(new Error('not used by the plan actions')),
    holdersOfAnchor: (immutableId) => Promise.resolve([...map.values()].filter((u) => u.immutableId === immutableId)),
    groupUserIds: () => Promise.reject(new Error('not used by the plan actions')),
    rolesOf: (userId) => Promise.resolve([...(map.get(userId)?.adminRoles ?? [])]),
    findUser(idOrUpn) {
      return Promise.resolve().then(() => {
        record({ op: 'findUser', idOrUpn });
        finds += 1;
        fake.onFind?.(finds);
        const all = [...map.values()];
        const match = (u: CloudUser): boolean => u.id === idOrUpn || u.userPrincipalName.toLowerCase() === idOrUpn.toLowerCase();
        const found = all.find((u) => u.deletedDateTime === null && match(u)) ?? all.find(match) ?? null;
        return found ? structuredClone(found) : null;
      });
    },
    setImmutableId(userId, immutableId) {
      return Promise.resolve().then(() => {
        record({ op: 'setImmutableId', userId, immutableId });
        const user = active(userId);
        if (user.synced) {
          throw graphError(
            400,
            'Request_BadRequest',
            'Unable to update the specified properties for on-premises mastered Directory Sync objects or objects currently undergoing migration.',
          );
        }
        const holder = [...map.values()].find((u) => u.id !== userId && immutableId !== null && u.immutableId === immutableId);
        if (holder)
          throw graphError(
            400,
            'ObjectConflict',
            `Another object with the same value for property onPremisesImmutableId already exists. User_${holder.id}`,
          );
        user.immutableId = immutableId;
      });
    },
    setUserPrincipalName(userId, userPrincipalName) {
      return Promise.resolve().then(() => {
        record({ op: 'setUserPrincipalName', userId, userPrincipalName });
        active(userId).userPrincipalName = userPrincipalName;
      });
    },
    purgeDeletedUser(userId) {
      return Promise.resolve().then(() => {
        record({ op: 'purgeDeletedUser', userId });
        const user = map.get(userId);
        if (!user || user.deletedDateTime === null)
          throw graphError(404, 'Request_ResourceNotFound', `Resource '${userId}' does not exist.`);
        map.delete(userId);
      });
    },
  };
  return fake;
}

/** A fake clock and a sleep that advances it, for VERIFY_JOINED. */
export function fakeClock(start: number): { now: () => number; sleep: (ms: number) => Promise<void>; slept: number[] } {
  let t = start;
  const slept: number[] = [];
  return {
    now: () => t,
    sleep: (ms) => {
      slept.push(ms);
      t += ms;
      return Promise.resolve();
    },
    slept,
  };
}
