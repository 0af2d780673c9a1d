/**
 * Unit: predictSync, Entra Connect's matching order. One table row per rule (each alone), then
 * rows for the precedence between rules, then the exported values and their adjustments.
 */
import { describe, expect, it } from 'vitest';
import { digitsFromAnchor } from '../../../src/domain/sync/exported-values.ts';
import { predictSync } from '../../../src/domain/sync/predict.ts';
import type { ExportedValues, PredictSync, SyncOutcome, SyncSubject, SyncTenant } from '../../../src/domain/sync/types.ts';
import { onPremUser } from '../../support/users.ts';
import { cloudUser, deletedUser, group, INITIAL, tenant } from './builders.ts';

// AD side: jdoe@contoso.com, primary SMTP john.doe@contoso.com.
const AD = onPremUser();
const ANCHOR = AD.anchor.immutableId;
const OTHER_ANCHOR = 'SV+BWQuSnU6tbIK1OqTBAg==';
const inScope: SyncSubject = { onPrem: AD, inScope: true };
const outOfScope: SyncSubject = { onPrem: AD, inScope: false };

/** The values of a clean export of AD: nothing adjusted. */
const CLEAN: ExportedValues = { immutableId: ANCHOR, userPrincipalName: 'jdoe@contoso.com', quarantinedAddresses: [], conflicts: [] };

interface Row {
  name: string;
  build: () => { subject: SyncSubject; tenant: SyncTenant; expected: SyncOutcome };
}

function row(name: string, build: Row['build']): Row {
  return { name, build };
}

const SYNCED = { synced: true, immutableId: ANCHOR };
const SMTP = { proxyAddresses: ['SMTP:john.doe@contoso.com'] };

const eachRule: Row[] = [
  row('out of scope, joined (active synced holder) → DELETE', () => {
    const u = cloudUser(SYNCED);
    return { subject: outOfScope, tenant: tenant([u]), expected: { kind: 'DELETE', userId: u.id } };
  }),
  row('out of scope, holder already in the recycle bin → NOTHING', () => ({
    subject: outOfScope,
    tenant: tenant([deletedUser({ ...SYNCED, userPrincipalName: 'jdoe@contoso.com' })]),
    expected: { kind: 'NOTHING' },
  })),
  row('out of scope, cloud-only holder → NOTHING', () => ({
    subject: outOfScope,
    tenant: tenant([cloudUser({ immutableId: ANCHOR })]),
    expected: { kind: 'NOTHING' },
  })),
  row('out of scope, not joined, even with a soft-match candidate → NOTHING', () => ({
    subject: outOfScope,
    tenant: tenant([cloudUser(SMTP)]),
    expected: { kind: 'NOTHING' },
  })),
  row('active synced holder → UPDATE', () => {
    const u = cloudUser(SYNCED);
    return { subject: inScope, tenant: tenant([u]), expected: { kind: 'UPDATE', userId: u.id, values: CLEAN } };
  }),
  row('soft-deleted synced holder → RESTORE', () => {
    const u = deletedUser({ ...SYNCED, userPrincipalName: 'jdoe@contoso.com' });
    return { subject: inScope, tenant: tenant([u]), expected: { kind: 'RESTORE', userId: u.id, values: CLEAN } };
  }),
  row('soft-deleted cloud-only holder → ANCHOR_CONFLICT (deleted)', () => {
    const u = deletedUser({ immutableId: ANCHOR, userPrincipalName: 'jdoe@contoso.com' });
    return { subject: inScope, tenant: tenant([u]), expected: { kind: 'ANCHOR_CONFLICT', userId: u.id, deleted: true } };
  }),
  row('active cloud-only holder → HARD_MATCH', () => {
    const u = cloudUser({ immutableId: ANCHOR, userPrincipalName: 'john@contoso.com' });
    return { subject: inScope, tenant: tenant([u]), expected: { kind: 'HARD_MATCH', userId: u.id, values: CLEAN } };
  }),
  row('holder with an admin role → HARD_MATCH_BLOCKED ADMIN_ROLE (MC1262584)', () => {
    const u = cloudUser({ immutableId: ANCHOR, adminRoles: ['Global Administrator'] });
    return { subject: inScope, tenant: tenant([u]), expected: { kind: 'HARD_MATCH_BLOCKED', userId: u.id, reason: 'ADMIN_ROLE' } };
  }),
  row('blockCloudObjectTakeoverThroughHardMatchEnabled → HARD_MATCH_BLOCKED TAKEOVER_BLOCKED', () => {
    const u = cloudUser({ immutableId: ANCHOR });
    return {
      subject: inScope,
      tenant: tenant([u], { switches: { blockCloudObjectTakeoverThroughHardMatchEnabled: true } }),
      expected: { kind: 'HARD_MATCH_BLOCKED', userId: u.id, reason: 'TAKEOVER_BLOCKED' },
    };
  }),
  row('primary SMTP on a cloud-only user → SOFT_MATCH via SMTP', () => {
    const u = cloudUser(SMTP);
    return { subject: inScope, tenant: tenant([u]), expected: { kind: 'SOFT_MATCH', userId: u.id, via: 'SMTP', values: CLEAN } };
  }),
  row('primary SMTP as a secondary smtp: alias, other case → SOFT_MATCH via SMTP', () => {
    const u = cloudUser({ proxyAddresses: ['SMTP:jd@contoso.com', 'smtp:John.Doe@Contoso.com'] });
    return { subject: inScope, tenant: tenant([u]), expected: { kind: 'SOFT_MATCH', userId: u.id, via: 'SMTP', values: CLEAN } };
  }),
  row('UPN on a cloud-only user (softMatchOnUpnEnabled) → SOFT_MATCH via UPN', () => {
    const u = cloudUser({ userPrincipalName: 'JDoe@contoso.com' });
    return { subject: inScope, tenant: tenant([u]), expected: { kind: 'SOFT_MATCH', userId: u.id, via: 'UPN', values: CLEAN } };
  }),
  row('UPN candidate but softMatchOnUpnEnabled off → CREATE with a placeholder UPN', () => {
    const u = cloudUser({ userPrincipalName: 'jdoe@contoso.com' });
    const digits = digitsFromAnchor(ANCHOR);
    return {
      subject: inScope,
      tenant: tenant([u], { switches: { softMatchOnUpnEnabled: false } }),
      expected: {
        kind: 'CREATE',
        values: {
          ...CLEAN,
          userPrincipalName: `jdoe+${digits}@${INITIAL}`,
          upnAdjustment: { from: 'jdoe@contoso.com', reason: 'DUPLICATE' },
          conflicts: [{ category: 'PropertyConflict', property: 'UserPrincipalName', value: 'jdoe@contoso.com', occurredDateTime: null }],
        },
      },
    };
  }),
  row('primary SMTP held by a group (proxyAddresses) → OBJECT_TYPE_MISMATCH', () => ({
    subject: inScope,
    tenant: tenant([], { otherObjects: [group({ id: 'g-1', proxyAddresses: ['SMTP:john.doe@contoso.com'] })] }),
    expected: { kind: 'OBJECT_TYPE_MISMATCH', objectId: 'g-1' },
  })),
  row('primary SMTP held by a group (mail) → OBJECT_TYPE_MISMATCH', () => ({
    subject: inScope,
    tenant: tenant([], { otherObjects: [group({ id: 'g-2', mail: 'John.Doe@contoso.com' })] }),
    expected: { kind: 'OBJECT_TYPE_MISMATCH', objectId: 'g-2' },
  })),
  row('candidate with another ImmutableID → INVALID_SOFT_MATCH', () => {
    const u = cloudUser({ ...SMTP, immutableId: OTHER_ANCHOR });
    return {
      subject: inScope,
      tenant: tenant([u]),
      expected: { kind: 'INVALID_SOFT_MATCH', userId: u.id, via: 'SMTP', candidateImmutableId: OTHER_ANCHOR },
    };
  }),
  row('synced candidate (joined to another AD object) by UPN → INVALID_SOFT_MATCH', () => {
    const u = cloudUser({ userPrincipalName: 'jdoe@contoso.com', synced: true, immutableId: OTHER_ANCHOR });
    return {
      subject: inScope,
      tenant: tenant([u]),
      expected: { kind: 'INVALID_SOFT_MATCH', userId: u.id, via: 'UPN', candidateImmutableId: OTHER_ANCHOR },
    };
  }),
  row('blockSoftMatchEnabled → SOFT_MATCH_BLOCKED TENANT_SWITCH', () => {
    const u = cloudUser(SMTP);
    return {
      subject: inScope,
      tenant: tenant([u], { switches: { blockSoftMatchEnabled: true } }),
      expected: { kind: 'SOFT_MATCH_BLOCKED', userId: u.id, via: 'SMTP', reason: 'TENANT_SWITCH' },
    };
  }),
  row('candidate with an admin role → SOFT_MATCH_BLOCKED ADMIN_ROLE', () => {
    const u = cloudUser({ userPrincipalName: 'jdoe@contoso.com', adminRoles: ['User Administrator'] });
    return {
      subject: inScope,
      tenant: tenant([u]),
      expected: { kind: 'SOFT_MATCH_BLOCKED', userId: u.id, via: 'UPN', reason: 'ADMIN_ROLE' },
    };
  }),
  row('no holder, no candidate → CREATE', () => ({
    subject: inScope,
    tenant: tenant([cloudUser({ userPrincipalName: 'someone@contoso.com', proxyAddresses: ['SMTP:someone@contoso.com'] })]),
    expected: { kind: 'CREATE', values: CLEAN },
  })),
];

const precedence: Row[] = [
  row('the anchor holder wins over a soft-match candidate', () => {
    const holder = cloudUser({ immutableId: ANCHOR, userPrincipalName: 'john@contoso.com' });
    const candidate = cloudUser({ ...SMTP, userPrincipalName: 'jdoe@contoso.com' });
    const digits = digitsFromAnchor(ANCHOR);
    return {
      subject: inScope,
      tenant: tenant([holder, candidate]),
      expected: {
        kind: 'HARD_MATCH',
        userId: holder.id,
        values: {
          immutableId: ANCHOR,
          userPrincipalName: `jdoe+${digits}@${INITIAL}`,
          upnAdjustment: { from: 'jdoe@contoso.com', reason: 'DUPLICATE' },
          quarantinedAddresses: ['SMTP:john.doe@contoso.com'],
          conflicts: [
            { category: 'PropertyConflict', property: 'UserPrincipalName', value: 'jdoe@contoso.com', occurredDateTime: null },
            { category: 'PropertyConflict', property: 'ProxyAddress', value: 'SMTP:john.doe@contoso.com', occurredDateTime: null },
          ],
        },
      },
    };
  }),
  row('an active holder wins over a deleted one', () => {
    const gone = deletedUser({ ...SYNCED, userPrincipalName: 'old@contoso.com' });
    const active = cloudUser({ immutableId: ANCHOR });
    return { subject: inScope, tenant: tenant([gone, active]), expected: { kind: 'HARD_MATCH', userId: active.id, values: CLEAN } };
  }),
  row('admin role is reported before the takeover switch', () => {
    const u = cloudUser({ immutableId: ANCHOR, adminRoles: ['Global Administrator'] });
    return {
      subject: inScope,
      tenant: tenant([u], { switches: { blockCloudObjectTakeoverThroughHardMatchEnabled: true } }),
      expected: { kind: 'HARD_MATCH_BLOCKED', userId: u.id, reason: 'ADMIN_ROLE' },
    };
  }),
  row('takeover switch does not block UPDATE of an already synced holder', () => {
    const u = cloudUser(SYNCED);
    return {
      subject: inScope,
      tenant: tenant([u], { switches: { blockCloudObjectTakeoverThroughHardMatchEnabled: true } }),
      expected: { kind: 'UPDATE', userId: u.id, values: CLEAN },
    };
  }),
  row('SMTP is tried before UPN', () => {
    const byUpn = cloudUser({ userPrincipalName: 'jdoe@contoso.com' });
    const bySmtp = cloudUser({ ...SMTP, userPrincipalName: 'johnd@contoso.com' });
    const digits = digitsFromAnchor(ANCHOR);
    return {
      subject: inScope,
      tenant: tenant([byUpn, bySmtp]),
      expected: {
        kind: 'SOFT_MATCH',
        userId: bySmtp.id,
        via: 'SMTP',
        values: {
          ...CLEAN,
          userPrincipalName: `jdoe+${digits}@${INITIAL}`,
          upnAdjustment: { from: 'jdoe@contoso.com', reason: 'DUPLICATE' },
          conflicts: [{ category: 'PropertyConflict', property: 'UserPrincipalName', value: 'jdoe@contoso.com', occurredDateTime: null }],
        },
      },
    };
  }),
  row('a group holding the SMTP address wins over a UPN candidate', () => ({
    subject: inScope,
    tenant: tenant([cloudUser({ userPrincipalName: 'jdoe@contoso.com' })], {
      otherObjects: [group({ id: 'g-3', proxyAddresses: ['SMTP:john.doe@contoso.com'] })],
    }),
    expected: { kind: 'OBJECT_TYPE_MISMATCH', objectId: 'g-3' },
  })),
  row('InvalidSoftMatch is reported before the blockSoftMatch switch', () => {
    const u = cloudUser({ ...SMTP, immutableId: OTHER_ANCHOR });
    return {
      subject: inScope,
      tenant: tenant([u], { switches: { blockSoftMatchEnabled: true } }),
      expected: { kind: 'INVALID_SOFT_MATCH', userId: u.id, via: 'SMTP', candidateImmutableId: OTHER_ANCHOR },
    };
  }),
  row('the blockSoftMatch switch is reported before an admin role', () => {
    const u = cloudUser({ ...SMTP, adminRoles: ['Global Administrator'] });
    return {
      subject: inScope,
      tenant: tenant([u], { switches: { blockSoftMatchEnabled: true } }),
      expected: { kind: 'SOFT_MATCH_BLOCKED', userId: u.id, via: 'SMTP', reason: 'TENANT_SWITCH' },
    };
  }),
  row('a deleted user holding the SMTP address or UPN is no candidate', () => ({
    subject: inScope,
    tenant: tenant([deletedUser({ ...SMTP, userPrincipalName: 'jdoe@contoso.com' })]),
    expected: { kind: 'CREATE', values: CLEAN },
  })),
];

describe('predictSync: each rule alone', () => {
  it.each(eachRule.map((r) => [r.name, r] as const))('%s', (_name, r) => {
    const { subject, tenant: t, expected } = r.build();
    expect(predictSync(subject, t)).toEqual(expected);
  });
});

describe('predictSync: precedence', () => {
  it.each(precedence.map((r) => [r.name, r] as const))('%s', (_name, r) => {
    const { subject, tenant: t, expected } = r.build();
    expect(predictSync(subject, t)).toEqual(expected);
  });

  it('is usable as the PredictSync port the diagnosis takes', () => {
    const port: PredictSync = predictSync;
    expect(port(inScope, tenant([])).kind).toBe('CREATE');
  });
});
