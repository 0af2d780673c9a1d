import { describe, expect, it } from 'vitest';
import { FINDING_CODES_URL, findingAnchor, findingLink, findingUrl } from '../../src/cards/finding-links.ts';
import { REQUEST_STATES } from '../../src/domain/approval/types.ts';
import { FINDING_CODES, STEP_KINDS } from '../../src/domain/diagnosis/types.ts';
import { anchoredRows, readDoc } from './markdown.ts';

/**
 * docs/finding-codes.md documents every finding code, plan step kind and request state the code
 * has, and nothing else: the lists come from src/domain, so a new code fails here until its row is
 * written, and a row outlives no removed code.
 */
const doc = readDoc('docs/finding-codes.md');
const kebab = (name: string): string => name.toLowerCase().replaceAll('_', '-');

function difference(code: readonly string[], documented: readonly string[]): { undocumented: string[]; notInCode: string[] } {
  return {
    undocumented: code.filter((name) => !documented.includes(name)),
    notInCode: documented.filter((name) => !code.includes(name)),
  };
}

const lists = [
  { what: 'finding code', prefix: 'finding', names: FINDING_CODES, columns: 3 },
  { what: 'plan step kind', prefix: 'step', names: STEP_KINDS, columns: 3 },
  { what: 'request state', prefix: 'state', names: REQUEST_STATES, columns: 2 },
] as const;

describe('docs/finding-codes.md', () => {
  for (const { what, prefix, names, columns } of lists) {
    describe(`every ${what}`, () => {
      const rows = anchoredRows(doc, prefix);

      it(`has exactly one row per ${what} of src/domain, and no row for one the code does not have`, () => {
        const documented = rows.map((row) => row.name);
        expect(difference(names, documented), `add or remove rows in docs/finding-codes.md (${prefix}-… anchors)`).toEqual({
          undocumented: [],
          notInCode: [],
        });
        expect(new Set(documented).size).toBe(documented.length);
      });

      it('carries the anchor cards and links use, and fills every column', () => {
        for (const row of rows) {
          expect(row.anchor).toBe(`${prefix}-${kebab(row.name)}`);
          expect(row.cells, row.name).toHaveLength(columns);
          for (const cell of row.cells) expect(cell, row.name).not.toBe('');
        }
      });
    });
  }

  it('gives each finding code a severity out of blocker, warning and info', () => {
    for (const row of anchoredRows(doc, 'finding')) {
      expect(row.cells[0], row.name).toMatch(/^(blocker|warning|info)( \/ (blocker|warning|info))?$/);
    }
  });

  it('says which step kinds are reversible as the cards do', () => {
    const undo = Object.fromEntries(anchoredRows(doc, 'step').map((row) => [row.name, row.cells[1]]));
    expect(undo).toMatchObject({
      PURGE_DELETED_USER: 'IRREVERSIBLE',
      CLEAR_ANCHOR: 'reversible',
      RENAME_UPN_TEMPORARILY: 'reversible',
      SET_ANCHOR: 'reversible',
    });
  });
});

describe('finding code links on cards', () => {
  it('land on the row of their code in docs/finding-codes.md', () => {
    expect(FINDING_CODES_URL).toMatch(/\/docs\/finding-codes\.md$/);
    expect(doc).toContain('`FINDING_CODES_URL` in `src/cards/finding-links.ts`');
    const anchors = new Set(anchoredRows(doc, 'finding').map((row) => row.anchor));
    for (const code of FINDING_CODES) expect(anchors.has(findingAnchor(code)), code).toBe(true);
  });

  it('are markdown links, the code escaped', () => {
    expect(findingUrl('ANCHOR_HELD_BY_OTHER_USER')).toBe(`${FINDING_CODES_URL}#finding-anchor-held-by-other-user`);
    expect(findingLink('UPN_CONFLICT')).toBe(`[UPN\\_CONFLICT](${FINDING_CODES_URL}#finding-upn-conflict)`);
  });
});
