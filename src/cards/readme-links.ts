/**
 * Where a finding code is explained: its row in the README's table of finding codes. The README
 * gives every row a stable anchor (`<a id="finding-anchor-held-by-other-user">`), so the link
 * still lands on it when the table is reworded. The base URL is this one constant (the README,
 * "The diagnosis card and its finding codes", names it): a fork or an internal mirror changes it here.
 */
import type { FindingCode } from '../domain/diagnosis/types.ts';
import { escapeMarkdown } from './card-parts.ts';

/** The repository's home page, which shows the README (its anchors work there too, and the link is short). */
export const README_URL = 'https://github.com/hardmatch/hardmatch';

/** `ANCHOR_HELD_BY_OTHER_USER` → `finding-anchor-held-by-other-user`. */
export function findingAnchor(code: FindingCode): string {
  return `finding-${code.toLowerCase().replaceAll('_', '-')}`;
}

export function findingUrl(code: FindingCode): string {
  return `${README_URL}#${findingAnchor(code)}`;
}

/** The code as a markdown link to its README row (the code's underscores escaped, so none becomes italics). */
export function findingLink(code: FindingCode): string {
  return `[${escapeMarkdown(code)}](${findingUrl(code)})`;
}
