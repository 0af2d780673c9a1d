import { describe, expect, it } from 'vitest';
import { CLOUD_CHECK_FAILED, CLOUD_NOT_CONFIGURED, ELEMENT_IDS, guidCard, type CloudState } from '../../src/cards/guid-card.ts';
import { SANDBOX_MARKER_ID, sandboxFrame } from '../../src/sandbox/sandbox-cards.ts';
import { parseAnchor } from '../../src/domain/anchors.ts';
import { copyRowValues, findById, visibleText } from '../support/card-query.ts';
import { cloudUser } from '../support/fakes.ts';
import { onPremUser } from '../support/users.ts';

const found = (user = onPremUser()) => ({ kind: 'found' as const, user });

describe('guidCard', () => {
  it('shows the SANDBOX marker only in sandbox mode', () => {
    expect(findById(sandboxFrame(guidCard({ query: 'jdoe', onPrem: found() })), SANDBOX_MARKER_ID)).toBeDefined();
    const prod = guidCard({ query: 'jdoe', onPrem: found() });
    expect(findById(prod, SANDBOX_MARKER_ID)).toBeUndefined();
    expect(visibleText(prod)).not.toContain('SANDBOX');
  });

  it('shows the on-prem object facts', () => {
    const text = visibleText(guidCard({ query: 'jdoe', onPrem: found() }));
    for (const expected of [
      'CN=John Doe,OU=Staff,DC=contoso,DC=com',
      'jdoe@contoso.com',
      'john.doe@contoso.com',
      '2024-05-01T10:00:00.000Z',
    ]) {
      expect(text).toContain(expected);
    }
  });

  it('marks objectGUID as the effective anchor when ConsistencyGuid is empty, with no ConsistencyGuid rows', () => {
    const c = guidCard({ query: 'jdoe', onPrem: found() });
    expect(findById(c, ELEMENT_IDS.effectiveImmutableId)).toMatchObject({ text: 'g8Pclm4vok+vFWtMERklmg==', fontType: 'Monospace' });
    expect(visibleText(c)).toContain('objectGUID (effective anchor)');
    expect(findById(c, ELEMENT_IDS.consistencyGuid)).toBeUndefined();
    expect(copyRowValues(c, 'LDAP filter')).toEqual(['(objectGUID=\\83\\c3\\dc\\96\\6e\\2f\\a2\\4f\\af\\15\\6b\\4c\\11\\19\\25\\9a)']);
    expect(copyRowValues(c, 'GUID')).toEqual(['96dcc383-2f6e-4fa2-af15-6b4c1119259a']);
    expect(copyRowValues(c, 'Hex')).toEqual(['83c3dc966e2fa24faf156b4c1119259a']);
  });

  it('shows ConsistencyGuid when set and marks it as the effective anchor', () => {
    const user = onPremUser({ consistencyGuid: '59815f49-920b-4e9d-ad6c-82b53aa4c102' });
    const c = guidCard({ query: 'jdoe', onPrem: found(user) });
    expect(findById(c, ELEMENT_IDS.consistencyGuid)).toMatchObject({ text: 'mS-DS-ConsistencyGuid (effective anchor)' });
    expect(findById(c, ELEMENT_IDS.effectiveImmutableId)).toMatchObject({ text: 'SV+BWQuSnU6tbIK1OqTBAg==' });
    expect(visibleText(c)).toContain('Taken from **mS-DS-ConsistencyGuid**');
    expect(visibleText(c)).not.toContain('objectGUID (effective anchor)');
    expect(copyRowValues(c, 'ImmutableID')).toEqual(['SV+BWQuSnU6tbIK1OqTBAg==', 'g8Pclm4vok+vFWtMERklmg==', 'SV+BWQuSnU6tbIK1OqTBAg==']);
    expect(copyRowValues(c, 'LDAP filter')[1]).toMatch(/^\(mS-DS-ConsistencyGuid=\\49\\5f\\81\\59/);
  });

  it('never lets a displayName or DN become a markdown link', () => {
    const user = onPremUser({ displayName: '[click](http://evil)', dn: 'CN=[x](http://evil),DC=contoso,DC=com' });
    const text = visibleText(guidCard({ query: '[q](http://evil)', onPrem: found(user) }));
    expect(text).toContain('\\[click\\](http://evil)');
    expect(text).not.toMatch(/(^|[^\\])\[[^\]\\]*\]\(http/);
  });

  it('converts a typed anchor when the relay is unavailable and says why', () => {
    const c = guidCard({
      query: 'g8Pclm4vok+vFWtMERklmg==',
      typed: parseAnchor('g8Pclm4vok+vFWtMERklmg=='),
      onPrem: {
        kind: 'unavailable',
        problem: { code: 'RELAY_UNAVAILABLE', title: 'The on-premises relay could not be reached', text: 'x' },
      },
    });
    const text = visibleText(c);
    expect(text).toContain('The on-premises relay could not be reached');
    expect(text).toContain('Code: RELAY\\_UNAVAILABLE');
    expect(copyRowValues(c, 'GUID')).toEqual(['96dcc383-2f6e-4fa2-af15-6b4c1119259a']);
    expect(findById(c, ELEMENT_IDS.effectiveImmutableId)).toBeUndefined();
  });

  it('always has the cloud section saying the cloud check is not configured', () => {
    expect(visibleText(guidCard({ query: 'jdoe', onPrem: found() }))).toContain(CLOUD_NOT_CONFIGURED);
  });

  it('lists several holders of one anchor', () => {
    const a = onPremUser();
    const b = onPremUser({
      samAccountName: 'jdoe.old',
      dn: 'CN=Old,DC=fabrikam,DC=com',
      consistencyGuid: a.objectGuid,
      objectGuid: '02347d41-d494-480c-a212-6e645f458fdb',
    });
    const text = visibleText(
      guidCard({ query: a.objectGuid, typed: parseAnchor(a.objectGuid), onPrem: { kind: 'several', users: [a, b], truncated: false } }),
    );
    expect(text).toContain('2 on-premises users carry this value');
    expect(text).toContain('jdoe.old');
  });
});

describe('guidCard: the cloud section', () => {
  const anchor = 'g8Pclm4vok+vFWtMERklmg==';
  const active = cloudUser({
    id: 'aaaaaaaa-0000-4000-8000-000000000001',
    userPrincipalName: 'jdoe@contoso.com',
    immutableId: anchor,
    synced: true,
    onPremisesDistinguishedName: 'CN=John Doe,OU=Staff,DC=contoso,DC=com',
  });
  const deleted = cloudUser({
    id: 'dddddddd-0000-4000-8000-000000000002',
    userPrincipalName: 'dddddddd000040008000000000000002jdoe1234@contoso.onmicrosoft.com',
    immutableId: anchor,
    deletedDateTime: '2024-05-02T09:30:00Z',
  });
  const render = (cloud: CloudState) => guidCard({ query: 'jdoe', onPrem: found(), cloud });

  it('lists active holders before deleted ones, with UPN, object id, sync state and deleted date', () => {
    const c = render({
      kind: 'checked',
      anchors: [{ immutableId: anchor, label: 'effective anchor, objectGUID', result: { kind: 'holders', users: [deleted, active] } }],
    });
    expect(findById(c, ELEMENT_IDS.cloud)).toMatchObject({ text: 'Cloud' });
    const text = visibleText(c);
    expect(text).toContain(`Holders of ${anchor} (effective anchor, objectGUID):`);
    const a = visibleText(findById(c, ELEMENT_IDS.cloudHolder(active.id)));
    expect(a).toContain('jdoe@contoso.com');
    expect(a).toContain(active.id);
    expect(a).toContain('Synced, joined to CN=John Doe,OU=Staff,DC=contoso,DC=com');
    expect(a).toContain('No (active)');
    const d = visibleText(findById(c, ELEMENT_IDS.cloudHolder(deleted.id)));
    expect(d).toContain('Cloud-only');
    expect(d).toContain('Yes, in the recycle bin since 2024-05-02T09:30:00Z');
    expect(text.indexOf(active.id)).toBeLessThan(text.indexOf(deleted.id));
    expect(text).not.toContain(CLOUD_NOT_CONFIGURED);
  });

  it('says when nobody holds the value, per value checked', () => {
    const other = 'SV+BWQuSnU6tbIK1OqTBAg==';
    const c = render({
      kind: 'checked',
      anchors: [
        { immutableId: anchor, label: 'effective anchor, objectGUID', result: { kind: 'holders', users: [] } },
        { immutableId: other, label: 'mS-DS-ConsistencyGuid, not the effective anchor', result: { kind: 'holders', users: [active] } },
      ],
    });
    const text = visibleText(c);
    expect(text).toContain(
      `Holders of ${anchor} (effective anchor, objectGUID):\nNo cloud user, active or in the recycle bin, holds this ImmutableID.`,
    );
    expect(text).toContain(`Holders of ${other} (mS-DS-ConsistencyGuid, not the effective anchor):\njdoe@contoso.com`);
  });

  it("keeps the AD part and says the cloud check failed, with Graph's code", () => {
    const c = render({
      kind: 'checked',
      anchors: [
        {
          immutableId: anchor,
          label: 'effective anchor, objectGUID',
          result: {
            kind: 'failed',
            problem: {
              code: 'CLOUD_AUTH_FAILED',
              title: 'The bot could not sign in to Microsoft Graph',
              text: 'Graph answered 403.',
              graph: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.', status: 403 },
            },
          },
        },
      ],
    });
    const text = visibleText(c);
    expect(findById(c, ELEMENT_IDS.effectiveImmutableId)).toMatchObject({ text: anchor });
    expect(text).toContain('CN=John Doe,OU=Staff,DC=contoso,DC=com');
    expect(text).toContain(CLOUD_CHECK_FAILED);
    expect(text).toContain('Code: CLOUD\\_AUTH\\_FAILED');
    expect(text).toContain('Graph error code\nAuthorization\\_RequestDenied');
    expect(text).toContain('HTTP status\n403');
    expect(text).toContain('Graph message\nInsufficient privileges to complete the operation.');
  });

  it('escapes holder UPNs', () => {
    const evil = cloudUser({ userPrincipalName: '[x](http://evil)@contoso.com' });
    const c = render({
      kind: 'checked',
      anchors: [{ immutableId: anchor, label: 'the value you typed', result: { kind: 'holders', users: [evil] } }],
    });
    expect(visibleText(c)).toContain('\\[x\\](http://evil)@contoso.com');
  });
});
