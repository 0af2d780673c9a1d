import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  anchorFormats,
  anchorFromBytes,
  anchorsEqual,
  detectAnchorForm,
  guidOfImmutableIdText,
  immutableIdOfGuidText,
  parseAnchor,
  toGuid,
  toHex,
  toImmutableId,
  toLdapEscaped,
  toLdapFilter,
  tryParseAnchor,
} from '../../src/domain/anchors.ts';
import { HardmatchError } from '../../src/errors/index.ts';

// The three vectors of domain.md, taken from the admins' own write-ups (seeds 001, 002, 003).
const VECTORS = [
  {
    immutableId: 'g8Pclm4vok+vFWtMERklmg==',
    hex: '83c3dc966e2fa24faf156b4c1119259a',
    guid: '96dcc383-2f6e-4fa2-af15-6b4c1119259a',
  },
  { immutableId: 'SV+BWQuSnU6tbIK1OqTBAg==', guid: '59815f49-920b-4e9d-ad6c-82b53aa4c102' },
  { immutableId: 'QX00ApTUDEiiEm5kX0WP2w==', guid: '02347d41-d494-480c-a212-6e645f458fdb' },
] as const;

describe('anchors: the documented vectors', () => {
  for (const v of VECTORS) {
    it(`${v.immutableId} ⇄ ${v.guid}`, () => {
      expect(toGuid(parseAnchor(v.immutableId))).toBe(v.guid);
      expect(toImmutableId(parseAnchor(v.guid))).toBe(v.immutableId);
      expect(toImmutableId(parseAnchor(`{${v.guid.toUpperCase()}}`))).toBe(v.immutableId);
    });
  }

  it('gives the hex, escaped and filter forms in stored byte order', () => {
    const a = parseAnchor('g8Pclm4vok+vFWtMERklmg==');
    expect(toHex(a)).toBe('83c3dc966e2fa24faf156b4c1119259a');
    expect(toLdapEscaped(a)).toBe('\\83\\c3\\dc\\96\\6e\\2f\\a2\\4f\\af\\15\\6b\\4c\\11\\19\\25\\9a');
    expect(toLdapFilter(a, 'objectGUID')).toBe('(objectGUID=\\83\\c3\\dc\\96\\6e\\2f\\a2\\4f\\af\\15\\6b\\4c\\11\\19\\25\\9a)');
    expect(anchorFormats(parseAnchor('83C3DC966E2FA24FAF156B4C1119259A'))).toEqual({
      guid: '96dcc383-2f6e-4fa2-af15-6b4c1119259a',
      immutableId: 'g8Pclm4vok+vFWtMERklmg==',
      hex: '83c3dc966e2fa24faf156b4c1119259a',
      ldapEscaped: '\\83\\c3\\dc\\96\\6e\\2f\\a2\\4f\\af\\15\\6b\\4c\\11\\19\\25\\9a',
    });
  });

  it('parses the LDAP-escaped form in any case and tolerates surrounding spaces', () => {
    const escaped = '\\83\\C3\\dc\\96\\6e\\2f\\a2\\4f\\af\\15\\6b\\4c\\11\\19\\25\\9A';
    expect(toGuid(parseAnchor(`  ${escaped} `))).toBe('96dcc383-2f6e-4fa2-af15-6b4c1119259a');
  });

  it('detects each form exactly', () => {
    expect(detectAnchorForm('{96dcc383-2f6e-4fa2-af15-6b4c1119259a}')).toBe('guid');
    expect(detectAnchorForm('g8Pclm4vok+vFWtMERklmg==')).toBe('immutableId');
    expect(detectAnchorForm('83c3dc966e2fa24faf156b4c1119259a')).toBe('hex');
    expect(detectAnchorForm('\\83\\c3\\dc\\96\\6e\\2f\\a2\\4f\\af\\15\\6b\\4c\\11\\19\\25\\9a')).toBe('ldapEscaped');
    expect(detectAnchorForm('jdoe')).toBeUndefined();
  });
});

describe('anchors: malformed input is refused with a message naming it', () => {
  const cases: Array<[string, RegExp]> = [
    ['96dcc383-2f6e-4fa2-af15-6b4c1119259', /grouped 8-4-4-4-12/],
    ['96dcc383-2f6e-4fa2-af15-6b4c1119259g', /grouped 8-4-4-4-12/],
    ['{96dcc383-2f6e-4fa2-af15-6b4c1119259a', /braces do not match/],
    ['g8Pclm4vok+vFWtMERklmg', /decodes to 1[0-9] bytes/],
    ['g8Pclm4vok-vFWtMERklmg==', /base64url/],
    ['g8Pclm4vok+vFWtMERklmh==', /exactly 16 bytes/],
    ['83c3dc966e2fa24faf156b4c1119259', /exactly 32 hex digits, this has 31/],
    ['\\83\\c3\\dc', /LDAP-escaped form/],
    ['', /empty/],
    ['hello world', /expected a GUID/],
  ];
  for (const [input, why] of cases) {
    it(`refuses ${JSON.stringify(input)}`, () => {
      let thrown: unknown;
      try {
        parseAnchor(input);
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(HardmatchError);
      const err = thrown as HardmatchError;
      expect(err.code).toBe('ANCHOR_MALFORMED');
      expect(err.message).toContain(`"${input}"`);
      expect(err.message).toMatch(why);
      expect(tryParseAnchor(input)).toBeUndefined();
    });
  }

  it('shortens a huge input in the message', () => {
    const huge = 'A'.repeat(5000);
    expect(() => parseAnchor(huge)).toThrow(/"A{80}…"/);
  });

  it('refuses a byte array that is not 16 bytes', () => {
    expect(() => anchorFromBytes(new Uint8Array(15))).toThrow(/exactly 16 bytes/);
  });
});

describe('anchors: every round trip (property tests)', () => {
  const bytes = fc.uint8Array({ minLength: 16, maxLength: 16 });

  it('bytes → any form → same bytes', () => {
    fc.assert(
      fc.property(bytes, (b) => {
        const a = anchorFromBytes(b);
        const f = anchorFormats(a);
        for (const text of [f.guid, f.guid.toUpperCase(), `{${f.guid}}`, f.immutableId, f.hex, f.hex.toUpperCase(), f.ldapEscaped]) {
          expect(anchorsEqual(parseAnchor(text), a)).toBe(true);
        }
      }),
    );
  });

  it('GUID → ImmutableID → GUID is the identity', () => {
    fc.assert(
      fc.property(fc.uuid(), (uuid) => {
        expect(toGuid(parseAnchor(toImmutableId(parseAnchor(uuid))))).toBe(uuid.toLowerCase());
      }),
    );
  });

  it('an anchor parsed from text has the text forms of its bytes, whatever form and case it was written in', () => {
    fc.assert(
      fc.property(bytes, fc.boolean(), (b, upper) => {
        const expected = anchorFormats(anchorFromBytes(b));
        const guid = upper ? expected.guid.toUpperCase() : expected.guid;
        for (const text of [guid, `{${guid}}`, expected.immutableId, expected.hex]) {
          const parsed = parseAnchor(text);
          expect(anchorFormats(parsed)).toEqual(expected);
          // Its ImmutableID, once worked out, parses back to the same anchor.
          expect(anchorsEqual(parseAnchor(toImmutableId(parsed)), parsed)).toBe(true);
        }
      }),
    );
  });

  it('the ImmutableID is the base64 of the hex bytes', () => {
    fc.assert(
      fc.property(bytes, (b) => {
        const a = anchorFromBytes(b);
        expect(Buffer.from(toHex(a), 'hex').toString('base64')).toBe(toImmutableId(a));
      }),
    );
  });

  it('the anchor is a copy: changing the input bytes later does not change it', () => {
    const b = new Uint8Array(16).fill(7);
    const a = anchorFromBytes(b);
    b[0] = 0;
    expect(a.bytes[0]).toBe(7);
  });
});

describe('anchors: the fast conversions a scan uses agree with parseAnchor', () => {
  it('converts the documented vectors both ways', () => {
    for (const v of VECTORS) {
      expect(immutableIdOfGuidText(v.guid)).toBe(v.immutableId);
      expect(immutableIdOfGuidText(v.guid.toUpperCase())).toBe(v.immutableId);
      expect(guidOfImmutableIdText(v.immutableId)).toBe(v.guid);
    }
  });

  it('property: any GUID text (either case) gives toImmutableId(parseAnchor(text))', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.boolean(), (uuid, upper) => {
        const text = upper ? uuid.toUpperCase() : uuid;
        expect(immutableIdOfGuidText(text)).toBe(toImmutableId(parseAnchor(text)));
      }),
    );
  });

  it('property: any 16 bytes’ ImmutableID gives toGuid(parseAnchor(text))', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (b) => {
        const immutableId = toImmutableId(anchorFromBytes(b));
        expect(guidOfImmutableIdText(immutableId)).toBe(toGuid(parseAnchor(immutableId)));
      }),
    );
  });

  it('answers undefined for anything else, as parseAnchor would refuse or read otherwise', () => {
    for (const text of [
      '',
      '{96dcc383-2f6e-4fa2-af15-6b4c1119259a}',
      ' 96dcc383-2f6e-4fa2-af15-6b4c1119259a',
      '96dcc383-2f6e-4fa2-af15-6b4c1119259g',
      '96dcc383x2f6e-4fa2-af15-6b4c1119259a',
      '83c3dc966e2fa24faf156b4c1119259a',
    ])
      expect(immutableIdOfGuidText(text)).toBeUndefined();
    // Non-canonical padding bits (parseAnchor refuses them), base64url, the wrong length.
    for (const text of [
      'g8Pclm4vok+vFWtMERklmh==',
      'g8Pclm4vok-vFWtMERklmg==',
      'g8Pclm4vok+vFWtMERklmg=',
      'g8Pclm4vok+vFWtMERkl==',
      'g8Pclm4vok+vFWtMERklmgé=',
    ]) {
      expect(guidOfImmutableIdText(text)).toBeUndefined();
    }
    expect(tryParseAnchor('g8Pclm4vok+vFWtMERklmh==')).toBeUndefined();
  });
});
