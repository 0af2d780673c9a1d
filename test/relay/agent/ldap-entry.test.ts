import type { Entry } from 'ldapts';
import { describe, expect, it } from 'vitest';
import { DirectoryError } from '../../../src/errors/index.ts';
import { compareUsers, entryToOnPremUser, generalizedTimeToIso } from '../../../src/relay/agent/ldap-entry.ts';

// Seed 002's anchor: bytes 83c3dc96... = GUID 96dcc383-2f6e-4fa2-af15-6b4c1119259a.
const OBJECT_GUID = Buffer.from('83c3dc966e2fa24faf156b4c1119259a', 'hex');
// Seed 001's anchor, standing in for an old forest's objectGUID kept in mS-DS-ConsistencyGuid.
const CONSISTENCY_GUID = Buffer.from('SV+BWQuSnU6tbIK1OqTBAg==', 'base64');

function entry(overrides: Record<string, Entry[string]> = {}): Entry {
  return {
    dn: 'CN=John Doe,OU=Staff,DC=contoso,DC=com',
    distinguishedName: 'CN=John Doe,OU=Staff,DC=contoso,DC=com',
    sAMAccountName: 'jdoe',
    userPrincipalName: 'jdoe@contoso.com',
    mail: 'jdoe@contoso.com',
    proxyAddresses: ['SMTP:jdoe@contoso.com', 'smtp:john.doe@contoso.com'],
    displayName: 'John Doe',
    userAccountControl: '512',
    objectGUID: OBJECT_GUID,
    'mS-DS-ConsistencyGuid': [],
    whenChanged: '20251014082137.0Z',
    ...overrides,
  };
}

describe('entryToOnPremUser', () => {
  it('maps every attribute, GUIDs from raw bytes', () => {
    expect(entryToOnPremUser(entry(), 'auto')).toEqual({
      dn: 'CN=John Doe,OU=Staff,DC=contoso,DC=com',
      samAccountName: 'jdoe',
      userPrincipalName: 'jdoe@contoso.com',
      mail: 'jdoe@contoso.com',
      proxyAddresses: ['SMTP:jdoe@contoso.com', 'smtp:john.doe@contoso.com'],
      displayName: 'John Doe',
      enabled: true,
      objectGuid: '96dcc383-2f6e-4fa2-af15-6b4c1119259a',
      consistencyGuid: null,
      whenChanged: '2025-10-14T08:21:37.000Z',
      anchor: { attribute: 'objectGUID', guid: '96dcc383-2f6e-4fa2-af15-6b4c1119259a', immutableId: 'g8Pclm4vok+vFWtMERklmg==' },
    });
  });

  it('the anchor follows SOURCE_ANCHOR when mS-DS-ConsistencyGuid differs from objectGUID', () => {
    const migrated = entry({ 'mS-DS-ConsistencyGuid': CONSISTENCY_GUID });
    expect(entryToOnPremUser(migrated, 'auto').anchor).toEqual({
      attribute: 'mS-DS-ConsistencyGuid',
      guid: '59815f49-920b-4e9d-ad6c-82b53aa4c102',
      immutableId: 'SV+BWQuSnU6tbIK1OqTBAg==',
    });
    expect(entryToOnPremUser(migrated, 'objectGUID').anchor.immutableId).toBe('g8Pclm4vok+vFWtMERklmg==');
  });

  it('reads attribute names in any casing, single values as lists where lists are expected', () => {
    const renamed = entry();
    for (const name of ['proxyAddresses', 'sAMAccountName', 'objectGUID']) delete renamed[name];
    const user = entryToOnPremUser(
      { ...renamed, samaccountname: 'jdoe', objectguid: OBJECT_GUID, ProxyAddresses: 'SMTP:only@contoso.com' },
      'auto',
    );
    expect(user).toMatchObject({
      samAccountName: 'jdoe',
      objectGuid: '96dcc383-2f6e-4fa2-af15-6b4c1119259a',
      proxyAddresses: ['SMTP:only@contoso.com'],
    });
  });

  it('the ACCOUNTDISABLE bit (2) of userAccountControl means disabled', () => {
    expect(entryToOnPremUser(entry({ userAccountControl: '514' }), 'auto').enabled).toBe(false);
    expect(entryToOnPremUser(entry({ userAccountControl: '66050' }), 'auto').enabled).toBe(false);
    expect(entryToOnPremUser(entry({ userAccountControl: '66048' }), 'auto').enabled).toBe(true);
  });

  it('absent optional attributes are null or empty', () => {
    const user = entryToOnPremUser(
      entry({ userPrincipalName: [], mail: [], proxyAddresses: [], displayName: [], whenChanged: [] }),
      'auto',
    );
    expect(user).toMatchObject({ userPrincipalName: null, mail: null, proxyAddresses: [], displayName: null, whenChanged: null });
  });

  it('refuses a GUID that arrived as text or with the wrong length, naming the user', () => {
    const asText = () => entryToOnPremUser(entry({ objectGUID: '96dcc383-2f6e-4fa2-af15-6b4c1119259a' }), 'auto');
    expect(asText).toThrow(DirectoryError);
    expect(asText).toThrow('CN=John Doe,OU=Staff,DC=contoso,DC=com with objectGUID as text instead of bytes');
    expect(() => entryToOnPremUser(entry({ 'mS-DS-ConsistencyGuid': Buffer.alloc(15) }), 'auto')).toThrow('of 15 bytes instead of 16');
    expect(() => entryToOnPremUser(entry({ objectGUID: [] }), 'auto')).toThrow('objectGUID missing');
  });
});

describe('generalizedTimeToIso', () => {
  it.each([
    ['20251014082137.0Z', '2025-10-14T08:21:37.000Z'],
    ['20251014082137Z', '2025-10-14T08:21:37.000Z'],
    ['20251014082137.1234Z', '2025-10-14T08:21:37.123Z'],
    ['20251014102137.0+0200', '2025-10-14T08:21:37.000Z'],
    ['20251231233000.0-0130', '2026-01-01T01:00:00.000Z'],
  ])('%s → %s', (input, iso) => {
    expect(generalizedTimeToIso(input)).toBe(iso);
  });

  it.each(['', '2025-10-14T08:21:37Z', '20250231082137.0Z', '20251014246000.0Z', '20251014082137.0'])(
    '%j is not a time → null',
    (input) => {
      expect(generalizedTimeToIso(input)).toBeNull();
    },
  );
});

describe('compareUsers', () => {
  it('orders by sAMAccountName case-insensitively, then DN', () => {
    const users = [
      entryToOnPremUser(entry({ sAMAccountName: 'share2', distinguishedName: 'CN=b' }), 'auto'),
      entryToOnPremUser(entry({ sAMAccountName: 'Share1', distinguishedName: 'CN=z' }), 'auto'),
      entryToOnPremUser(entry({ sAMAccountName: 'share1', distinguishedName: 'CN=a' }), 'auto'),
    ];
    expect(users.sort(compareUsers).map((u) => `${u.samAccountName} ${u.dn}`)).toEqual(['share1 CN=a', 'Share1 CN=z', 'share2 CN=b']);
  });
});
