import fc from 'fast-check';
import { BerWriter, FilterParser, type Filter } from 'ldapts';
import { describe, expect, it } from 'vitest';
import { parseAnchor, toLdapEscaped } from '../../../src/domain/anchors.ts';
import { classifyWho, type Who } from '../../../src/domain/who.ts';
import { buildLdapSearch } from '../../../src/relay/agent/ldap-filter.ts';

const BASE = 'DC=contoso,DC=com';
const USERS = '(objectCategory=person)(objectClass=user)';

type Node = { op: 'and' | 'or'; children: Node[] } | { op: 'eq'; attribute: string; value: Buffer } | { op: 'other'; tag: number };

/**
 * A small BER reader written for this test, independent of ldapts: it decodes the filter as the
 * server will receive it. Anything but and/or/equality (a substring or presence match, say) would
 * widen the search, and shows up as `other`.
 */
function decode(buf: Buffer, start = 0): { node: Node; end: number } {
  const tag = buf[start] ?? -1;
  let len = buf[start + 1] ?? 0;
  let offset = start + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = buf.subarray(offset, offset + n).reduce((acc, b) => acc * 256 + b, 0);
    offset += n;
  }
  const end = offset + len;
  if (tag === 0xa0 || tag === 0xa1) {
    const children: Node[] = [];
    for (let at = offset; at < end;) {
      const child = decode(buf, at);
      children.push(child.node);
      at = child.end;
    }
    return { node: { op: tag === 0xa0 ? 'and' : 'or', children }, end };
  }
  if (tag === 0xa3) {
    const attr = octets(buf, offset);
    const value = octets(buf, attr.end);
    return { node: { op: 'eq', attribute: attr.bytes.toString('utf8'), value: value.bytes }, end };
  }
  return { node: { op: 'other', tag }, end };
}

function octets(buf: Buffer, start: number): { bytes: Buffer; end: number } {
  expect(buf[start]).toBe(0x04);
  let len = buf[start + 1] ?? 0;
  let offset = start + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = buf.subarray(offset, offset + n).reduce((acc, b) => acc * 256 + b, 0);
    offset += n;
  }
  return { bytes: buf.subarray(offset, offset + len), end: offset + len };
}

function wire(filter: Filter): Node {
  const writer = new BerWriter();
  filter.write(writer);
  return decode(writer.buffer).node;
}

const eq = (attribute: string, value: string | Buffer): Node => ({
  op: 'eq',
  attribute,
  value: Buffer.isBuffer(value) ? value : Buffer.from(value, 'utf8'),
});
const usersAnd = (...match: Node[]): Node => ({
  op: 'and',
  children: [eq('objectCategory', 'person'), eq('objectClass', 'user'), ...match],
});

function sam(name: string): Who {
  return { kind: 'samAccountName', name, text: name };
}

describe('buildLdapSearch: the filter for each kind of input', () => {
  it('sAMAccountName: one equality, users only, subtree of the base', () => {
    const plan = buildLdapSearch(classifyWho('jdoe'), BASE);
    expect(plan).toMatchObject({ base: BASE, scope: 'sub' });
    expect(plan.filter.toString()).toBe(`(&${USERS}(sAMAccountName=jdoe))`);
    expect(wire(plan.filter)).toEqual(usersAnd(eq('sAMAccountName', 'jdoe')));
  });

  it('address: UPN, mail or an smtp: proxy address (smtp: also finds the primary SMTP:)', () => {
    for (const typed of ['jdoe@contoso.com', 'SMTP:jdoe@contoso.com']) {
      const plan = buildLdapSearch(classifyWho(typed), BASE);
      expect(plan.filter.toString()).toBe(
        `(&${USERS}(|(userPrincipalName=jdoe@contoso.com)(mail=jdoe@contoso.com)(proxyAddresses=smtp:jdoe@contoso.com)))`,
      );
    }
  });

  it('anchor: the same 16 raw bytes on objectGUID or mS-DS-ConsistencyGuid, whatever form was typed', () => {
    const forms = [
      'g8Pclm4vok+vFWtMERklmg==',
      '96dcc383-2f6e-4fa2-af15-6b4c1119259a',
      '{96DCC383-2F6E-4FA2-AF15-6B4C1119259A}',
      '83c3dc966e2fa24faf156b4c1119259a',
      '\\83\\c3\\dc\\96\\6e\\2f\\a2\\4f\\af\\15\\6b\\4c\\11\\19\\25\\9a',
    ];
    const bytes = Buffer.from('83c3dc966e2fa24faf156b4c1119259a', 'hex');
    const escaped = toLdapEscaped(parseAnchor(forms[0] ?? ''));
    expect(escaped).toBe('\\83\\c3\\dc\\96\\6e\\2f\\a2\\4f\\af\\15\\6b\\4c\\11\\19\\25\\9a');
    for (const form of forms) {
      const plan = buildLdapSearch(classifyWho(form), BASE);
      expect(plan.filter.toString()).toBe(`(&${USERS}(|(objectGUID=${escaped})(mS-DS-ConsistencyGuid=${escaped})))`);
      expect(wire(plan.filter)).toEqual(usersAnd({ op: 'or', children: [eq('objectGUID', bytes), eq('mS-DS-ConsistencyGuid', bytes)] }));
    }
  });

  it('anchor bytes that are filter specials or NUL are escaped byte by byte, never read as text', () => {
    const bytes = Buffer.from('2a28295c00ff2a2a28295c00ff2a2a00', 'hex'); // * ( ) \ NUL ...
    const who: Who = { kind: 'anchor', anchor: { bytes }, text: 'x' };
    const filter = buildLdapSearch(who, BASE).filter;
    expect(filter.toString()).toContain('(objectGUID=\\2a\\28\\29\\5c\\00\\ff\\2a\\2a\\28\\29\\5c\\00\\ff\\2a\\2a\\00)');
    expect(wire(filter)).toEqual(usersAnd({ op: 'or', children: [eq('objectGUID', bytes), eq('mS-DS-ConsistencyGuid', bytes)] }));
  });

  it('DN: reads that one entry (base scope), still users only', () => {
    const dn = 'CN=Zoë (Ops) *Star\\\\ Ødegård,CN=Users,DC=contoso,DC=com';
    const plan = buildLdapSearch(classifyWho(dn), BASE);
    expect(plan).toMatchObject({ base: dn, scope: 'base' });
    expect(plan.filter.toString()).toBe(`(&${USERS})`);
  });
});

describe('buildLdapSearch: hostile input is matched literally', () => {
  const cases: [string, string][] = [
    ['*', '\\2a'],
    ['(', '\\28'],
    [')', '\\29'],
    ['\\', '\\5c'],
    ['a\0b', 'a\\00b'],
    ['*)(objectClass=*', '\\2a\\29\\28objectClass=\\2a'],
    ['admin*)(|(sAMAccountName=*', 'admin\\2a\\29\\28|\\28sAMAccountName=\\2a'],
    ['zoë.ødegård(*)', 'zoë.ødegård\\28\\2a\\29'],
  ];

  it.each(cases)('%j is escaped in the filter text', (input, escaped) => {
    const filter = buildLdapSearch(sam(input), BASE).filter;
    expect(filter.toString()).toBe(`(&${USERS}(sAMAccountName=${escaped}))`);
    // Parsing the text back gives the same single equality: the escapes did not open a new clause.
    const parsed = FilterParser.parseString(filter.toString()).toString();
    expect(parsed).toBe(filter.toString());
  });

  it.each(cases)('%j goes on the wire as one equality holding exactly the typed bytes', (input) => {
    expect(wire(buildLdapSearch(sam(input), BASE).filter)).toEqual(usersAnd(eq('sAMAccountName', input)));
  });

  it('an address with specials stays three equalities on the typed value', () => {
    const address = '*)(mail=*@contoso.com';
    const who: Who = { kind: 'address', address, text: address };
    expect(wire(buildLdapSearch(who, BASE).filter)).toEqual(
      usersAnd({ op: 'or', children: [eq('userPrincipalName', address), eq('mail', address), eq('proxyAddresses', `smtp:${address}`)] }),
    );
  });

  it('for any text at all, the wire filter is users-only AND one equality on that exact text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 64 }), (name) => {
        expect(wire(buildLdapSearch(sam(name), BASE).filter)).toEqual(usersAnd(eq('sAMAccountName', name)));
      }),
      { numRuns: 500 },
    );
  });
});
