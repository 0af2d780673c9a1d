import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findingAnchor, findingLink, findingUrl, README_URL } from '../../src/cards/readme-links.ts';
import { FINDING_CODES } from '../../src/domain/diagnosis/types.ts';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('finding code links', () => {
  it('land on an anchor the README really has, one per code, in the table of finding codes', () => {
    for (const code of FINDING_CODES) {
      const anchor = findingAnchor(code);
      expect(readme.split(`<a id="${anchor}"></a>\`${code}\``)).toHaveLength(2);
    }
  });

  it('are markdown links to the README URL the README documents, the code escaped', () => {
    expect(readme).toContain(README_URL);
    expect(findingUrl('ANCHOR_HELD_BY_OTHER_USER')).toBe(`${README_URL}#finding-anchor-held-by-other-user`);
    expect(findingLink('UPN_CONFLICT')).toBe(`[UPN\\_CONFLICT](${README_URL}#finding-upn-conflict)`);
  });
});
