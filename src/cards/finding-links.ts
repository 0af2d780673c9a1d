/**
 * Where a finding code is explained: its row in docs/finding-codes.md. Every row carries a stable
 * anchor (`<a id="finding-anchor-held-by-other-user">`), so the link still lands on it when the row
 * is reworded. The base URL is this one constant (docs/finding-codes.md names it): a fork or an
 * internal mirror changes it here.
 */
import type { FindingCode } from '../domain/diagnosis/types.ts';
import { escapeMarkdown } from './card-parts.ts';

/** docs/finding-codes.md as GitHub shows it (its anchors work there). */
export const FINDING_CODES_URL = 'https://github.com/hardmatch/hardmatch/blob/main/docs/finding-codes.md';

/** `ANCHOR_HELD_BY_OTHER_USER` → `finding-anchor-held-by-other-user`. */
export function findingAnchor(code: FindingCode): string {
  return `finding-${code.toLowerCase().replaceAll('_', '-')}`;
}

export function findingUrl(code: FindingCode): string {
  return `${FINDING_CODES_URL}#${findingAnchor(code)}`;
}

/** The code as a markdown link to its row (the code's underscores escaped, so none becomes italics). */
export function findingLink(code: FindingCode): string {
  return `[${escapeMarkdown(code)}](${findingUrl(code)})`;
}
