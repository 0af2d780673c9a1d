/** Plain fakes for the bot's ports: no botbuilder, no network. */
import type { CommandDeps } from '../../src/bot/commands/command.ts';
import type { CloudDirectory } from '../../src/ports/cloud-directory.ts';
import type { RelayClient } from '../../src/ports/relay.ts';
import { createDeadline, type Deadline } from '../../src/cloud-directory/deadline.ts';
import type { CloudEvidence, CloudUser, TenantFacts } from '../../src/domain/cloud.ts';
import type { LookupResult } from '../../src/domain/onprem-user.ts';
import { createLogger } from '../../src/logging/logger.ts';
import type { Reply } from '../../src/bot/reply.ts';
import { sandboxFrame } from '../../src/sandbox/sandbox-cards.ts';
import { baseCloudUser } from './cloud-user.ts';

/** The relay as commands and re-validation use it: look-ups only. */
export interface FakeRelay extends Pick<RelayClient, 'lookup'> {
  calls: { who: string; limit: number | undefined }[];
}

/** A relay that answers with `answer` (or throws it when it is an Error). */
export function fakeRelay(answer: LookupResult | Error | ((who: string) => LookupResult | Promise<LookupResult>)): FakeRelay {
  const calls: FakeRelay['calls'] = [];
  return {
    calls,
    lookup(who, limit) {
      calls.push({ who, limit });
      if (answer instanceof Error) return Promise.reject(answer);
      return Promise.resolve(typeof answer === 'function' ? answer(who) : answer);
    },
  };
}

export function commandDeps(overrides: Partial<CommandDeps> = {}): CommandDeps {
  return { logger: createLogger({ level: 'silent' }), ...overrides };
}

/** A cloud user as the cloud module reports it; cloud-only, active, no anchor unless overridden. */
export function cloudUser(overrides: Partial<CloudUser> = {}): CloudUser {
  return baseCloudUser({
    id: '11111111-1111-4111-8111-111111111111',
    userPrincipalName: 'john.doe@contoso.com',
    displayName: 'John Doe',
    mail: 'john.doe@contoso.com',
    proxyAddresses: ['SMTP:john.doe@contoso.com'],
    ...overrides,
  });
}

/** contoso.com verified and managed, fabrikam.com federated, no match switches on. */
export function tenantFacts(overrides: Partial<TenantFacts> = {}): TenantFacts {
  return {
    initialDomain: 'contoso.onmicrosoft.com',
    domains: [
      { name: 'contoso.onmicrosoft.com', verified: true, federated: false, initial: true, default: false },
      { name: 'contoso.com', verified: true, federated: false, initial: false, default: true },
      { name: 'fabrikam.com', verified: true, federated: true, initial: false, default: false },
    ],
    switches: { blockSoftMatchEnabled: false, blockCloudObjectTakeoverThroughHardMatchEnabled: false, softMatchOnUpnEnabled: true },
    roleHolders: {},
    ...overrides,
  };
}

export interface FakeCloud extends CloudDirectory {
  /** Every call in the order it was made (startDeadline excepted), with the deadline it was given. */
  calls: { method: Exclude<keyof CloudDirectory, 'startDeadline'>; args: unknown[]; deadline: Deadline | undefined }[];
  /** Every deadline startDeadline handed out. */
  deadlines: Deadline[];
}

/**
 * A cloud directory whose methods default to an empty tenant (no users, no holders) and can each
 * be replaced; every call is recorded before the handler runs.
 */
export function fakeCloud(handlers: Partial<CloudDirectory> = {}): FakeCloud {
  const calls: FakeCloud['calls'] = [];
  const deadlines: Deadline[] = [];
  const defaults: CloudDirectory = {
    startDeadline: () => createDeadline(),
    tenantFacts: () => Promise.resolve(tenantFacts()),
    findUser: () => Promise.resolve(null),
    evidenceFor: async (_onPrem, context): Promise<CloudEvidence> => ({
      candidates: [],
      otherObjects: [],
      tenant: await context.tenant,
      ...(context.target ? { target: context.target } : {}),
    }),
    holdersOfAnchor: () => Promise.resolve([]),
    groupUserIds: () => Promise.resolve([]),
    rolesOf: () => Promise.resolve([]),
    objectIdentifierOf: () => Promise.resolve({ exists: false, onPremisesObjectIdentifier: null }),
    provisioningLogOf: () => Promise.resolve(null),
  };
  const h = { ...defaults, ...handlers };
  return {
    calls,
    deadlines,
    startDeadline: () => {
      const deadline = h.startDeadline();
      deadlines.push(deadline);
      return deadline;
    },
    tenantFacts: (deadline, options) => {
      calls.push({ method: 'tenantFacts', args: options === undefined ? [] : [options], deadline });
      return h.tenantFacts(deadline, options);
    },
    findUser: (idOrUpn, deadline) => {
      calls.push({ method: 'findUser', args: [idOrUpn], deadline });
      return h.findUser(idOrUpn, deadline);
    },
    evidenceFor: (onPrem, context, deadline) => {
      calls.push({ method: 'evidenceFor', args: [onPrem, context], deadline });
      return h.evidenceFor(onPrem, context, deadline);
    },
    holdersOfAnchor: (immutableId, deadline) => {
      calls.push({ method: 'holdersOfAnchor', args: [immutableId], deadline });
      return h.holdersOfAnchor(immutableId, deadline);
    },
    groupUserIds: (groupId, deadline) => {
      calls.push({ method: 'groupUserIds', args: [groupId], deadline });
      return h.groupUserIds(groupId, deadline);
    },
    rolesOf: (userId, deadline) => {
      calls.push({ method: 'rolesOf', args: [userId], deadline });
      return h.rolesOf(userId, deadline);
    },
    objectIdentifierOf: (userId, deadline) => {
      calls.push({ method: 'objectIdentifierOf', args: [userId], deadline });
      return h.objectIdentifierOf(userId, deadline);
    },
    provisioningLogOf: (jobId, deadline) => {
      calls.push({ method: 'provisioningLogOf', args: [jobId], deadline });
      return h.provisioningLogOf(jobId, deadline);
    },
  };
}

/** A promise the test settles by hand, to observe what runs concurrently. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (err: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A reply's card as the sandbox sends it: with the SANDBOX frame the sandbox composition puts on every card. */
export function asSandboxSends<R extends Pick<Reply, 'card'>>(reply: R): R {
  return reply.card ? { ...reply, card: sandboxFrame(reply.card) } : reply;
}
