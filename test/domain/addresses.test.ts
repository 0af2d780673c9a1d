import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSmtpProxy, primarySmtp, smtpAddresses } from '../../src/domain/cloud.ts';
import { addressesOf } from '../../src/domain/diagnosis/situation.ts';

describe('SMTP addresses of a proxyAddresses list', () => {
  const proxies = [
    'SMTP:J.Doe@Contoso.com',
    'x500:/o=Contoso/cn=jdoe',
    'smtp:jdoe@contoso.com',
    'sip:jdoe@contoso.com',
    'SmTp:alias@fabrikam.com',
  ];

  it('keeps the SMTP entries in order, without their prefix, whatever its case', () => {
    expect(smtpAddresses(proxies)).toEqual(['J.Doe@Contoso.com', 'jdoe@contoso.com', 'alias@fabrikam.com']);
    expect(proxies.map(isSmtpProxy)).toEqual([true, false, true, false, true]);
    expect(primarySmtp(proxies)).toBe('J.Doe@Contoso.com');
    expect(smtpAddresses([])).toEqual([]);
  });

  it("a holder's addresses: its SMTP addresses, then its mail, lower case, each once", () => {
    expect(addressesOf({ proxyAddresses: proxies, mail: 'JDOE@contoso.com' })).toEqual([
      'j.doe@contoso.com',
      'jdoe@contoso.com',
      'alias@fabrikam.com',
    ]);
    expect(addressesOf({ proxyAddresses: [], mail: 'New@Contoso.com' })).toEqual(['new@contoso.com']);
    expect(addressesOf({ proxyAddresses: ['X500:/o=x'], mail: null })).toEqual([]);
  });

  it('answers as the list-by-list definition does, for any proxies and mail', () => {
    const entry = fc.tuple(fc.constantFrom('SMTP:', 'smtp:', 'sMtP:', 'x500:', 'sip:', ''), fc.constantFrom('a@b.c', 'A@b.C', 'z@y.x', ''));
    const holder = fc.record({
      proxyAddresses: fc.array(entry.map(([p, a]) => p + a)),
      mail: fc.option(fc.constantFrom('a@B.c', 'q@r.s', '')),
    });
    fc.assert(
      fc.property(holder, (h) => {
        const expected = [
          ...new Set([...smtpAddresses(h.proxyAddresses), h.mail].filter((v): v is string => !!v).map((v) => v.toLowerCase())),
        ];
        expect(addressesOf(h)).toEqual(expected);
      }),
    );
  });
});
