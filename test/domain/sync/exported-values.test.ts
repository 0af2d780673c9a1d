/**
 * Unit: the values an export writes and the service's adjustments (unverified suffix, duplicate
 * UPN placeholder, quarantined proxy addresses), each alone and combined, and the rule that the
 * user being joined never conflicts with itself.
 */
import { describe, expect, it } from 'vitest';
import type { OnPremUser } from '../../../src/domain/onprem-user.ts';
import { digitsFromAnchor } from '../../../src/domain/sync/exported-values.ts';
import { predictSync } from '../../../src/domain/sync/predict.ts';
import type { ExportedValues, SyncOutcome, SyncTenant } from '../../../src/domain/sync/types.ts';
import { onPremUser } from '../../support/users.ts';
import { cloudUser, deletedUser, group, INITIAL, tenant } from './builders.ts';

const FIXED = { placeholderDigits: () => '0042' };

function valuesOf(outcome: SyncOutcome): ExportedValues {
  if (!('values' in outcome)) throw new Error(`no values in ${outcome.kind}`);
  return outcome.values;
}

function predictValues(onPrem: OnPremUser, t: SyncTenant, options = FIXED): ExportedValues {
  return valuesOf(predictSync({ onPrem, inScope: true }, t, options));
}

/** UPN soft match off, so a user holding the AD UPN is a duplicate rather than a candidate. */
const NO_UPN_MATCH = { switches: { softMatchOnUpnEnabled: false } };

const upnConflict = (value: string) => ({ category: 'PropertyConflict', property: 'UserPrincipalName', value, occurredDateTime: null });
const proxyConflict = (value: string) => ({ category: 'PropertyConflict', property: 'ProxyAddress', value, occurredDateTime: null });

describe('UPN adjustments', () => {
  it('moves a non-routable suffix (.local) to the initial domain', () => {
    const values = predictValues(onPremUser({ userPrincipalName: 'elocal@contoso.local' }), tenant([]));
    expect(values.userPrincipalName).toBe(`elocal@${INITIAL}`);
    expect(values.upnAdjustment).toEqual({ from: 'elocal@contoso.local', reason: 'UNVERIFIED_SUFFIX' });
    expect(values.conflicts).toEqual([]);
  });

  it('moves a listed but unverified domain to the initial domain', () => {
    const values = predictValues(onPremUser({ userPrincipalName: 'kim@Contoso.NET' }), tenant([]));
    expect(values.userPrincipalName).toBe(`kim@${INITIAL}`);
    expect(values.upnAdjustment?.reason).toBe('UNVERIFIED_SUFFIX');
  });

  it('keeps a verified (even federated) suffix', () => {
    const values = predictValues(onPremUser({ userPrincipalName: 'gfed@fabrikam.com' }), tenant([]));
    expect(values.userPrincipalName).toBe('gfed@fabrikam.com');
    expect(values.upnAdjustment).toBeUndefined();
  });

  it('replaces a UPN held by another active user with prefix+NNNN@initial and reports it', () => {
    const values = predictValues(onPremUser(), tenant([cloudUser({ userPrincipalName: 'JDOE@contoso.com' })], NO_UPN_MATCH), {
      placeholderDigits: () => '0042',
    });
    expect(values).toMatchObject({
      userPrincipalName: `jdoe+0042@${INITIAL}`,
      upnAdjustment: { from: 'jdoe@contoso.com', reason: 'DUPLICATE' },
      conflicts: [upnConflict('jdoe@contoso.com')],
    });
  });

  it('takes the next number when the placeholder itself is taken', () => {
    const t = tenant(
      [cloudUser({ userPrincipalName: 'jdoe@contoso.com' }), cloudUser({ userPrincipalName: `jdoe+9999@${INITIAL}` })],
      NO_UPN_MATCH,
    );
    expect(predictValues(onPremUser(), t, { placeholderDigits: () => '9999' }).userPrincipalName).toBe(`jdoe+0000@${INITIAL}`);
  });

  it('applies both rules: an unverified suffix whose onmicrosoft form is taken becomes a placeholder', () => {
    const t = tenant([cloudUser({ userPrincipalName: `elocal@${INITIAL}` })]);
    const values = predictValues(onPremUser({ userPrincipalName: 'elocal@contoso.local' }), t);
    expect(values).toMatchObject({
      userPrincipalName: `elocal+0042@${INITIAL}`,
      upnAdjustment: { from: 'elocal@contoso.local', reason: 'DUPLICATE' },
      conflicts: [upnConflict(`elocal@${INITIAL}`)],
    });
  });

  it('does not count a user in the recycle bin as holding the UPN', () => {
    const values = predictValues(onPremUser(), tenant([deletedUser({ userPrincipalName: 'jdoe@contoso.com' })]));
    expect(values.userPrincipalName).toBe('jdoe@contoso.com');
  });

  it('keeps the substitute a synced user already has while the conflict lasts', () => {
    const anchor = onPremUser().anchor.immutableId;
    const joined = cloudUser({
      userPrincipalName: `jdoe+1234@${INITIAL}`,
      synced: true,
      immutableId: anchor,
      provisioningErrors: [
        {
          category: 'PropertyConflict',
          property: 'UserPrincipalName',
          value: 'jdoe@contoso.com',
          occurredDateTime: '2026-03-02T08:30:00Z',
        },
      ],
    });
    const t = tenant([joined, cloudUser({ userPrincipalName: 'jdoe@contoso.com' })]);
    expect(predictValues(onPremUser(), t)).toMatchObject({
      userPrincipalName: `jdoe+1234@${INITIAL}`,
      conflicts: [upnConflict('jdoe@contoso.com')],
    });
  });

  it('gives the AD UPN back to a synced user once the conflict is gone', () => {
    const anchor = onPremUser().anchor.immutableId;
    const joined = cloudUser({
      userPrincipalName: `jdoe+1234@${INITIAL}`,
      synced: true,
      immutableId: anchor,
      provisioningErrors: [
        { category: 'PropertyConflict', property: 'UserPrincipalName', value: 'jdoe@contoso.com', occurredDateTime: null },
      ],
    });
    const values = predictValues(onPremUser(), tenant([joined]));
    expect(values).toMatchObject({ userPrincipalName: 'jdoe@contoso.com', conflicts: [] });
    expect(values.upnAdjustment).toBeUndefined();
  });
});

describe('placeholder digits', () => {
  it('are four digits derived from the anchor: stable across calls, different across anchors', () => {
    const a = onPremUser();
    const b = onPremUser({ objectGuid: '59815f49-920b-4e9d-ad6c-82b53aa4c102' });
    expect(digitsFromAnchor(a.anchor.immutableId)).toMatch(/^\d{4}$/);
    expect(digitsFromAnchor(a.anchor.immutableId)).toBe(digitsFromAnchor(a.anchor.immutableId));
    expect(digitsFromAnchor(a.anchor.immutableId)).not.toBe(digitsFromAnchor(b.anchor.immutableId));
    const t = tenant([cloudUser({ userPrincipalName: 'jdoe@contoso.com' })], NO_UPN_MATCH);
    const first = valuesOf(predictSync({ onPrem: a, inScope: true }, t)).userPrincipalName;
    expect(valuesOf(predictSync({ onPrem: a, inScope: true }, t)).userPrincipalName).toBe(first);
    expect(first).toBe(`jdoe+${digitsFromAnchor(a.anchor.immutableId)}@${INITIAL}`);
  });
});

describe('quarantined proxy addresses', () => {
  const ad = onPremUser({ proxyAddresses: ['SMTP:john.doe@contoso.com', 'smtp:jdoe@contoso.com', 'X500:/o=contoso/cn=jdoe'] });

  it('quarantines an address another active user holds (SMTP: and smtp: collide, case ignored)', () => {
    const values = predictValues(ad, tenant([cloudUser({ proxyAddresses: ['SMTP:JDoe@contoso.com'] })]));
    expect(values.quarantinedAddresses).toEqual(['smtp:jdoe@contoso.com']);
    expect(values.conflicts).toEqual([proxyConflict('smtp:jdoe@contoso.com')]);
  });

  it('quarantines an address a group holds, by proxy or by mail', () => {
    const t = tenant([], {
      otherObjects: [group({ id: 'g-1', mail: 'jdoe@contoso.com' }), group({ id: 'g-2', proxyAddresses: ['x500:/o=contoso/cn=jdoe'] })],
    });
    expect(predictValues(ad, t).quarantinedAddresses).toEqual(['smtp:jdoe@contoso.com', 'X500:/o=contoso/cn=jdoe']);
  });

  it('ignores addresses of users in the recycle bin', () => {
    const values = predictValues(
      ad,
      tenant([deletedUser({ userPrincipalName: 'old@contoso.com', proxyAddresses: ['smtp:jdoe@contoso.com'] })]),
    );
    expect(values.quarantinedAddresses).toEqual([]);
  });

  it('lists the UPN conflict first, then each address in AD order', () => {
    const t = tenant([cloudUser({ userPrincipalName: 'jdoe@contoso.com', proxyAddresses: ['smtp:jdoe@contoso.com'] })], {
      otherObjects: [group({ proxyAddresses: ['SMTP:john.doe@contoso.com'] })],
    });
    // The group holds the primary SMTP address: that is an ObjectTypeMismatch, so predict on a hard match instead.
    const holder = cloudUser({ immutableId: ad.anchor.immutableId, userPrincipalName: 'other@contoso.com' });
    const values = predictValues(ad, { ...t, users: [...t.users, holder] });
    expect(values.conflicts).toEqual([
      upnConflict('jdoe@contoso.com'),
      proxyConflict('SMTP:john.doe@contoso.com'),
      proxyConflict('smtp:jdoe@contoso.com'),
    ]);
  });
});

describe('the user being joined is no conflict with itself', () => {
  it('hard match onto a user holding the same UPN and addresses: nothing adjusted', () => {
    const ad = onPremUser({ proxyAddresses: ['SMTP:john.doe@contoso.com', 'smtp:jdoe@contoso.com'] });
    const self = cloudUser({
      immutableId: ad.anchor.immutableId,
      userPrincipalName: 'jdoe@contoso.com',
      proxyAddresses: ['SMTP:john.doe@contoso.com', 'smtp:jdoe@contoso.com'],
    });
    const outcome = predictSync({ onPrem: ad, inScope: true }, tenant([self]));
    expect(outcome).toEqual({
      kind: 'HARD_MATCH',
      userId: self.id,
      values: { immutableId: ad.anchor.immutableId, userPrincipalName: 'jdoe@contoso.com', quarantinedAddresses: [], conflicts: [] },
    });
  });

  it('soft match by UPN onto the candidate: its UPN is no duplicate', () => {
    const self = cloudUser({ userPrincipalName: 'jdoe@contoso.com', proxyAddresses: ['smtp:jdoe@contoso.com'] });
    const ad = onPremUser({ proxyAddresses: ['SMTP:john.doe@contoso.com', 'smtp:jdoe@contoso.com'] });
    const values = predictValues(ad, tenant([self]));
    expect(values).toEqual({
      immutableId: ad.anchor.immutableId,
      userPrincipalName: 'jdoe@contoso.com',
      quarantinedAddresses: [],
      conflicts: [],
    });
  });

  it('restore: the deleted user being restored holds nothing against itself, another active user does', () => {
    const ad = onPremUser();
    const self = deletedUser({
      userPrincipalName: 'jdoe@contoso.com',
      synced: true,
      immutableId: ad.anchor.immutableId,
      proxyAddresses: ['SMTP:john.doe@contoso.com'],
    });
    const taker = cloudUser({ userPrincipalName: 'jdoe@contoso.com' });
    const outcome = predictSync({ onPrem: ad, inScope: true }, tenant([self, taker]), FIXED);
    expect(outcome).toMatchObject({
      kind: 'RESTORE',
      userId: self.id,
      values: { userPrincipalName: `jdoe+0042@${INITIAL}`, quarantinedAddresses: [] },
    });
  });
});

describe('values exported from AD', () => {
  it('a user without a UPN exports sAMAccountName@<domain of the DN>, and soft matches on it', () => {
    const ad = onPremUser({ userPrincipalName: null, samAccountName: 'nupn', dn: 'CN=No Upn,OU=Staff,DC=contoso,DC=com' });
    const candidate = cloudUser({ userPrincipalName: 'nupn@contoso.com' });
    expect(predictSync({ onPrem: ad, inScope: true }, tenant([candidate]))).toMatchObject({
      kind: 'SOFT_MATCH',
      via: 'UPN',
      values: { userPrincipalName: 'nupn@contoso.com' },
    });
  });

  it('a user with mail but no proxyAddresses soft matches on its mail', () => {
    const ad = onPremUser({ proxyAddresses: [], mail: 'john.doe@contoso.com' });
    const candidate = cloudUser({ userPrincipalName: 'jd@contoso.com', proxyAddresses: ['SMTP:john.doe@contoso.com'] });
    expect(predictSync({ onPrem: ad, inScope: true }, tenant([candidate]))).toMatchObject({
      kind: 'SOFT_MATCH',
      via: 'SMTP',
      userId: candidate.id,
    });
  });
});
