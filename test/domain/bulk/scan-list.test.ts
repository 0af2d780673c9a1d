import { describe, expect, it } from 'vitest';
import { ListResolver } from '../../../src/domain/bulk/scan-list.ts';
import { adUser } from '../diagnosis/builders.ts';

const jdoe = adUser();
const asmith = adUser({ samAccountName: 'asmith', objectGuid: '5f9b2c1e-7a4d-4e8b-9c3f-1a2b3c4d5e6f' });
const twin = adUser({
  samAccountName: 'jdoe2',
  objectGuid: '6f9b2c1e-7a4d-4e8b-9c3f-1a2b3c4d5e6f',
  mail: 'shared@contoso.com',
  proxyAddresses: [],
});
const twin2 = adUser({
  samAccountName: 'jdoe3',
  objectGuid: '7f9b2c1e-7a4d-4e8b-9c3f-1a2b3c4d5e6f',
  mail: 'shared@contoso.com',
  proxyAddresses: [],
});

describe('ListResolver', () => {
  it('matches every kind of name, any spelling of a DN, across pages; reports unknown, ambiguous and malformed lines', () => {
    const resolver = new ListResolver([
      { line: 1, input: 'JDOE' },
      { line: 2, input: 'cn=asmith, ou=staff, dc=contoso, dc=com' },
      { line: 3, input: 'nobody' },
      { line: 4, input: 'shared@contoso.com' },
      { line: 5, input: 'two words' },
      { line: 6, input: jdoe.objectGuid.toUpperCase() },
      { line: 7, input: 'asmith@contoso.com' },
    ]);
    resolver.offer([jdoe, twin]);
    resolver.offer([asmith, twin2]);
    const result = resolver.result();
    expect(result.map((r) => ('user' in r ? r.user.samAccountName : 'none'))).toEqual([
      'jdoe',
      'asmith',
      'none',
      'none',
      'none',
      'jdoe',
      'asmith',
    ]);
    const why = (line: number) => {
      const r = result.find((x) => x.entry.line === line);
      return r && 'why' in r ? r.why : '';
    };
    expect(why(3)).toContain('No AD user');
    expect(why(4)).toContain('names 2 AD users (jdoe2, jdoe3)');
    expect(why(5)).toContain('spaces');
  });
});
