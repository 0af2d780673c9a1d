/**
 * `diagnoseOnPrem`: ONPREM_NOT_FOUND and ONPREM_AMBIGUOUS as diagnoses that say what to type;
 * null when exactly one AD user was found.
 */
import { describe, expect, it } from 'vitest';
import { diagnoseOnPrem } from '../../../src/domain/diagnosis/index.ts';
import { adUser } from './builders.ts';

describe('diagnoseOnPrem', () => {
  it('exactly one user: null (the full diagnosis follows)', () => {
    expect(diagnoseOnPrem('jdoe', { users: [adUser()], truncated: false })).toBeNull();
  });

  it('nobody: ONPREM_NOT_FOUND blocker, naming what was typed and what to type', () => {
    const d = diagnoseOnPrem('jdoe2', { users: [], truncated: false });
    expect(d?.findings.map((f) => [f.code, f.severity])).toEqual([['ONPREM_NOT_FOUND', 'blocker']]);
    expect(d?.findings[0]?.title).toBe('No AD user matches "jdoe2"');
    expect(d?.findings[0]?.remedy).toContain('`match jdoe`');
    expect(d).toMatchObject({ who: 'jdoe2', onPrem: null, candidates: [], plan: { target: null, steps: [], nothingToDo: false } });
    expect(d?.plan.blockedReason).toBe(d?.findings[0]?.remedy);
    expect(d?.prediction).toBeUndefined();
  });

  it('several: ONPREM_AMBIGUOUS blocker listing each user and the exact command for each', () => {
    const share1 = adUser({ samAccountName: 'share1', mail: 'shared@contoso.com' });
    const share2 = adUser({ samAccountName: 'share2', mail: 'shared@contoso.com' });
    const d = diagnoseOnPrem('shared@contoso.com', { users: [share1, share2], truncated: false });
    const f = d?.findings[0];
    expect(f).toMatchObject({ code: 'ONPREM_AMBIGUOUS', severity: 'blocker', title: '2 AD users match "shared@contoso.com"' });
    expect(f?.evidence).toEqual([
      'share1: CN=share1,OU=Staff,DC=contoso,DC=com, UPN share1@contoso.com, mail shared@contoso.com',
      'share2: CN=share2,OU=Staff,DC=contoso,DC=com, UPN share2@contoso.com, mail shared@contoso.com',
    ]);
    expect(f?.remedy).toBe('Type one of them exactly: `match share1` and `match share2`.');
  });

  it('several with the same sAMAccountName (two domains): suggests the DN; a truncated list says so', () => {
    const a = adUser({ samAccountName: 'jdoe', dn: 'CN=jdoe,OU=Staff,DC=contoso,DC=com' });
    const b = adUser({ samAccountName: 'jdoe', dn: 'CN=jdoe,OU=Staff,DC=fabrikam,DC=com' });
    const d = diagnoseOnPrem('jdoe', { users: [a, b], truncated: true });
    expect(d?.findings[0]?.title).toBe('More than 2 AD users match "jdoe"');
    expect(d?.findings[0]?.evidence).toContain('The relay stopped after 2 users; more match');
    expect(d?.findings[0]?.remedy).toContain('`match CN=jdoe,OU=Staff,DC=fabrikam,DC=com`');
  });
});
