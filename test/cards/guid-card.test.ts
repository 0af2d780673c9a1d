import { describe, expect, it } from 'vitest';
import { CLOUD_NOT_CONFIGURED, ELEMENT_IDS, guidCard } from '../../src/cards/guid-card.ts';
import { SANDBOX_MARKER_ID } from '../../src/cards/card-parts.ts';
import { parseAnchor } from '../../src/domain/anchors.ts';
import { copyRowValues, findById, visibleText } from '../support/card-query.ts';
import { onPremUser } from '../support/users.ts';

const found = (user = onPremUser()) => ({ kind: 'found' as const, user });

describe('guidCard', () => {
  it('shows the SANDBOX marker only in sandbox mode', () => {
    expect(findById(guidCard({ sandbox: true, query: 'jdoe', onPrem: found() }), SANDBOX_MARKER_ID)).toBeDefined();
    const prod = guidCard({ sandbox: false, query: 'jdoe', onPrem: found() });
    expect(findById(prod, SANDBOX_MARKER_ID)).toBeUndefined();
    expect(visibleText(prod)).not.toContain('SANDBOX');
  });

  it('shows the on-prem object facts', () => {
    const text = visibleText(guidCard({ sandbox: false, query: 'jdoe', onPrem: found() }));
    for (const expected of ['CN=John Doe,OU=Staff,DC=contoso,DC=com', 'jdoe@contoso.com', 'john.doe@contoso.com', '2024-05-01T10:00:00.000Z']) {
      expect(text).toContain(expected);
    }
  });

  it('marks objectGUID as the effective anchor when ConsistencyGuid is empty, with no ConsistencyGuid rows', () => {
    const c = guidCard({ sandbox: false, query: 'jdoe', onPrem: found() });
    expect(findById(c, ELEMENT_IDS.effectiveImmutableId)).toMatchObject({ text: 'g8Pclm4vok+vFWtMERklmg==', fontType: 'Monospace' });
    expect(visibleText(c)).toContain('objectGUID (effective anchor)');
    expect(findById(c, ELEMENT_IDS.consistencyGuid)).toBeUndefined();
    expect(copyRowValues(c, 'LDAP filter')).toEqual(['(objectGUID=\\83\\c3\\dc\\96\\6e\\2f\\a2\\4f\\af\\15\\6b\\4c\\11\\19\\25\\9a)']);
    expect(copyRowValues(c, 'GUID')).toEqual(['96dcc383-2f6e-4fa2-af15-6b4c1119259a']);
    expect(copyRowValues(c, 'Hex')).toEqual(['83c3dc966e2fa24faf156b4c1119259a']);
  });

  it('shows ConsistencyGuid when set and marks it as the effective anchor', () => {
    const user = onPremUser({ consistencyGuid: '59815f49-920b-4e9d-ad6c-82b53aa4c102' });
    const c = guidCard({ sandbox: false, query: 'jdoe', onPrem: found(user) });
    expect(findById(c, ELEMENT_IDS.consistencyGuid)).toMatchObject({ text: 'mS-DS-ConsistencyGuid (effective anchor)' });
    expect(findById(c, ELEMENT_IDS.effectiveImmutableId)).toMatchObject({ text: 'SV+BWQuSnU6tbIK1OqTBAg==' });
    expect(visibleText(c)).toContain('Taken from **mS-DS-ConsistencyGuid**');
    expect(visibleText(c)).not.toContain('objectGUID (effective anchor)');
    expect(copyRowValues(c, 'ImmutableID')).toEqual(['SV+BWQuSnU6tbIK1OqTBAg==', 'g8Pclm4vok+vFWtMERklmg==', 'SV+BWQuSnU6tbIK1OqTBAg==']);
    expect(copyRowValues(c, 'LDAP filter')[1]).toMatch(/^\(mS-DS-ConsistencyGuid=\\49\\5f\\81\\59/);
  });

  it('never lets a displayName or DN become a markdown link', () => {
    const user = onPremUser({ displayName: '[click](http://evil)', dn: 'CN=[x](http://evil),DC=contoso,DC=com' });
    const text = visibleText(guidCard({ sandbox: false, query: '[q](http://evil)', onPrem: found(user) }));
    expect(text).toContain('\\[click\\](http://evil)');
    expect(text).not.toMatch(/(^|[^\\])\[[^\]\\]*\]\(http/);
  });

  it('converts a typed anchor when the relay is unavailable and says why', () => {
    const c = guidCard({
      sandbox: false,
      query: 'g8Pclm4vok+vFWtMERklmg==',
      typed: parseAnchor('g8Pclm4vok+vFWtMERklmg=='),
      onPrem: { kind: 'unavailable', problem: { code: 'RELAY_UNAVAILABLE', title: 'The on-premises relay could not be reached', text: 'x' } },
    });
    const text = visibleText(c);
    expect(text).toContain('The on-premises relay could not be reached');
    expect(text).toContain('Code: RELAY\\_UNAVAILABLE');
    expect(copyRowValues(c, 'GUID')).toEqual(['96dcc383-2f6e-4fa2-af15-6b4c1119259a']);
    expect(findById(c, ELEMENT_IDS.effectiveImmutableId)).toBeUndefined();
  });

  it('always has the cloud section saying the cloud check is not configured', () => {
    expect(visibleText(guidCard({ sandbox: false, query: 'jdoe', onPrem: found() }))).toContain(CLOUD_NOT_CONFIGURED);
  });

  it('lists several holders of one anchor', () => {
    const a = onPremUser();
    const b = onPremUser({ samAccountName: 'jdoe.old', dn: 'CN=Old,DC=fabrikam,DC=com', consistencyGuid: a.objectGuid, objectGuid: '02347d41-d494-480c-a212-6e645f458fdb' });
    const text = visibleText(guidCard({ sandbox: false, query: a.objectGuid, typed: parseAnchor(a.objectGuid), onPrem: { kind: 'several', users: [a, b], truncated: false } }));
    expect(text).toContain('2 on-premises users carry this value');
    expect(text).toContain('jdoe.old');
  });
});
