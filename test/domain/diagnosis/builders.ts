/**
 * Small builders for diagnosis tests: AD users with real anchors (src/domain/effective-anchor.ts,
 * values from the sandbox directory's README), cloud users, deleted users as Entra shows them,
 * groups, tenant facts and evidence. Defaults are a healthy contoso tenant.
 */
import type { CandidateReason, CloudEvidence, CloudGroup, CloudUser, TenantFacts } from '../../../src/domain/cloud.ts';
import { effectiveAnchor } from '../../../src/domain/effective-anchor.ts';
import type { OnPremUser, SourceAnchorSetting } from '../../../src/domain/onprem-user.ts';
import type { Diagnosis, FindingCode, Finding } from '../../../src/domain/diagnosis/index.ts';
import { baseCloudUser } from '../../support/cloud-user.ts';

/** jdoe's objectGUID and its ImmutableID (sandbox directory README). */
export const JDOE_GUID = '04e278dc-0512-4dc7-ab22-156d99c343ca';
export const JDOE_ANCHOR = '3HjiBBIFx02rIhVtmcNDyg==';
/** cmigrated: objectGUID and an old-forest ConsistencyGuid. */
export const CMIGRATED_GUID = '6ae7df86-03d9-459a-8acf-0af05daa2212';
export const CMIGRATED_GUID_ANCHOR = 'ht/natkDmkWKzwrwXaoiEg==';
export const CMIGRATED_CG = '89246b27-4e85-426d-a685-b1421ff9c7df';
export const CMIGRATED_CG_ANCHOR = 'J2skiYVObUKmhbFCH/nH3w==';
/** Anchors of other AD objects (fsynced, asmith), for "another ImmutableID". */
export const OTHER_ANCHOR = '4xi30X2VZEyg16E3u7eZtw==';
export const OTHER_ANCHOR_GUID = 'd1b718e3-957d-4c64-a0d7-a137bbb799b7';
export const THIRD_ANCHOR = 'T/yzssffdUmQOSucQrJEHw==';

export function tenant(over: Omit<Partial<TenantFacts>, 'switches'> & { switches?: Partial<TenantFacts['switches']> } = {}): TenantFacts {
  return {
    initialDomain: 'contoso.onmicrosoft.com',
    domains: [
      { name: 'contoso.com', verified: true, federated: false, initial: false, default: true },
      { name: 'contoso.onmicrosoft.com', verified: true, federated: false, initial: true, default: false },
      { name: 'fabrikam.com', verified: true, federated: true, initial: false, default: false },
    ],
    roleHolders: {},
    ...over,
    switches: {
      blockSoftMatchEnabled: false,
      blockCloudObjectTakeoverThroughHardMatchEnabled: false,
      softMatchOnUpnEnabled: true,
      ...over.switches,
    },
  };
}

export interface AdUserOptions extends Partial<Omit<OnPremUser, 'anchor'>> {
  sourceAnchor?: SourceAnchorSetting;
}

/** jdoe by default; anchors derived from objectGuid / consistencyGuid like the relay does. */
export function adUser(o: AdUserOptions = {}): OnPremUser {
  const sam = o.samAccountName ?? 'jdoe';
  const objectGuid = o.objectGuid ?? JDOE_GUID;
  const consistencyGuid = o.consistencyGuid === undefined ? null : o.consistencyGuid;
  return {
    dn: o.dn ?? `CN=${sam},OU=Staff,DC=contoso,DC=com`,
    samAccountName: sam,
    userPrincipalName: o.userPrincipalName === undefined ? `${sam}@contoso.com` : o.userPrincipalName,
    mail: o.mail === undefined ? `${sam}@contoso.com` : o.mail,
    proxyAddresses: o.proxyAddresses ?? [`SMTP:${sam}@contoso.com`, `smtp:${sam}@contoso.mail.onmicrosoft.com`],
    displayName: o.displayName ?? sam,
    enabled: o.enabled ?? true,
    objectGuid,
    consistencyGuid,
    whenChanged: o.whenChanged ?? '2025-10-14T08:21:37.000Z',
    anchor: effectiveAnchor(o.sourceAnchor ?? 'auto', objectGuid, consistencyGuid),
  };
}

/** An active cloud-only user with no anchor, holding the UPN and addresses given. */
export function cloudUser(o: Partial<CloudUser> & { id: string; userPrincipalName: string }): CloudUser {
  return baseCloudUser({ displayName: o.userPrincipalName, ...o });
}

/** A synced user joined to `dn` with `immutableId`. */
export function syncedUser(o: Partial<CloudUser> & { id: string; userPrincipalName: string; immutableId: string; dn: string }): CloudUser {
  const { dn, ...rest } = o;
  return cloudUser({ synced: true, lastSyncDateTime: '2026-03-02T08:30:00Z', onPremisesDistinguishedName: dn, ...rest });
}

/** The user as Entra shows it in the recycle bin: deletedDateTime set, UPN prefixed with its id. */
export function deleted(user: CloudUser, when = '2026-02-21T09:15:00Z'): CloudUser {
  return { ...user, deletedDateTime: when, userPrincipalName: `${user.id.replaceAll('-', '')}${user.userPrincipalName}` };
}

export function group(o: Partial<CloudGroup> & { id: string; displayName: string }): CloudGroup {
  return { mail: null, proxyAddresses: [], ...o };
}

export interface EvidenceOptions {
  candidates?: [CloudUser, ...CandidateReason[]][];
  otherObjects?: CloudGroup[];
  target?: { requested: string; user: CloudUser | null };
  tenant?: TenantFacts;
}

export function evidence(o: EvidenceOptions = {}): CloudEvidence {
  return {
    candidates: (o.candidates ?? []).map(([user, ...reasons]) => ({ user, reasons })),
    otherObjects: o.otherObjects ?? [],
    ...(o.target ? { target: o.target } : {}),
    tenant: o.tenant ?? tenant(),
  };
}

export function codes(d: Diagnosis): FindingCode[] {
  return d.findings.map((f) => f.code);
}

export function kinds(d: Diagnosis): string[] {
  return d.plan.steps.map((s) => s.kind);
}

/** The finding with this code; fails the test when there is none. */
export function findingOf(d: Diagnosis, code: FindingCode): Finding {
  const f = d.findings.find((x) => x.code === code);
  if (!f) throw new Error(`no ${code} in ${codes(d).join(', ')}`);
  return f;
}

export function evidenceText(f: Finding): string {
  return f.evidence.join('\n');
}

/** Ids used in tests: readable, GUID-shaped. */
export const IDS = {
  original: '11111111-1111-4111-8111-111111111111',
  duplicate: '22222222-2222-4222-8222-222222222222',
  deleted: '33333333-3333-4333-8333-333333333333',
  other: '44444444-4444-4444-8444-444444444444',
  group: '55555555-5555-4555-8555-555555555555',
  third: '66666666-6666-4666-8666-666666666666',
} as const;
