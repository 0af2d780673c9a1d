/**
 * What follows `scan`, read before anything is asked of the relay or Graph: nothing (the whole sync
 * scope), one DN (an OU, or any container, inside LDAP_BASE_DN), or a list of users, pasted one per
 * line or attached as a CSV file. A CSV needs a header row naming the column that holds the users
 * (LIST_COLUMNS); pasted text may have one too. Bad input throws InputError naming the problem and
 * the limit; a list line that names nobody is not an error here (the scan reports it on its line).
 */
import { parse } from 'csv-parse/sync';
import { InputError } from '../errors/index.ts';
import { parseDn } from '../domain/dn.ts';
import type { ListEntry } from '../domain/bulk/scan-list.ts';
import type { ScanScope } from '../ports/snapshot.ts';

/** Most users one list may name: a bigger migration is scanned by OU (`scan <OU DN>`) or whole. */
export const MAX_LIST_ENTRIES = 5_000;
/** Largest CSV file read (5,000 DNs of ~200 characters fit well within it). */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;
/** Longest `scan` message: a pasted list of MAX_LIST_ENTRIES names; Teams itself caps messages near 28 KB. */
export const MAX_SCAN_MESSAGE = 200_000;

/** Header names (any case) of the column holding the users, in the order they are preferred. */
export const LIST_COLUMNS = [
  'user',
  'who',
  'samaccountname',
  'userprincipalname',
  'upn',
  'mail',
  'email',
  'distinguishedname',
  'dn',
] as const;

export type ScanRequest =
  { kind: 'scope'; scope: ScanScope } | { kind: 'list'; entries: ListEntry[]; source: 'pasted' | 'file'; fileName?: string };

const DN_START = /^(?:cn|ou|dc|o|l)=/i;

/** `args` is what followed `scan` (already trimmed); `file` is an attached CSV's text. */
export function parseScanRequest(args: string, file?: { name: string; text: string }): ScanRequest {
  if (file) {
    if (args !== '') throw new InputError('INPUT_INVALID', 'Attach a CSV file or type a list after "scan", not both.');
    return { kind: 'list', entries: csvEntries(file.text, file.name), source: 'file', fileName: file.name };
  }
  const text = normaliseBreaks(args);
  if (text === '') return { kind: 'scope', scope: { kind: 'sync-scope' } };
  const lines = text.split('\n');
  if (lines.length === 1 && DN_START.test(text)) {
    const parsed = parseDn(text);
    if (parsed === undefined || parsed.length === 0 || parsed.some((rdn) => rdn.some((pair) => pair.endsWith('='))))
      throw new InputError('INPUT_INVALID', `"${text.slice(0, 120)}" is not a valid DN, e.g. OU=Sales,DC=contoso,DC=com.`, {
        input: text.slice(0, 120),
      });
    return { kind: 'scope', scope: { kind: 'ou', dn: text } };
  }
  const first = lines[0]?.trim() ?? '';
  const isCsv =
    first.includes(',') && !DN_START.test(first) ? true : LIST_COLUMNS.includes(first.toLowerCase() as (typeof LIST_COLUMNS)[number]);
  return { kind: 'list', entries: isCsv ? csvEntries(text, 'the pasted list') : lineEntries(lines), source: 'pasted' };
}

/** Teams sends a pasted multi-line message as text with line breaks, or as HTML with `<br>` or paragraphs. */
function normaliseBreaks(text: string): string {
  return text
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/?(?:p|div)(?:\s[^>]*)?>/gi, '\n')
    .replace(/\r\n?/g, '\n')
    .replace(/\n{2,}/g, '\n')
    .trim();
}

function lineEntries(lines: readonly string[]): ListEntry[] {
  const entries: ListEntry[] = [];
  lines.forEach((raw, i) => {
    const input = raw.trim();
    if (input !== '') entries.push({ line: i + 1, input });
  });
  return limited(entries, 'The list');
}

function limited(entries: ListEntry[], what: string): ListEntry[] {
  if (entries.length === 0)
    throw new InputError('INPUT_EMPTY', `${what} names no users: give one sAMAccountName, UPN, mail address or DN per line.`);
  if (entries.length > MAX_LIST_ENTRIES) {
    throw new InputError(
      'INPUT_TOO_LONG',
      `${what} names ${entries.length.toLocaleString('en-US')} users; one scan takes at most ${MAX_LIST_ENTRIES.toLocaleString('en-US')}. Split it, or scan the OU with "scan <OU DN>".`,
      {
        entries: entries.length,
        limit: MAX_LIST_ENTRIES,
      },
    );
  }
  return entries;
}

/** A CSV with a header row; the users are in the first column LIST_COLUMNS names. */
function csvEntries(text: string, name: string): ListEntry[] {
  let records: string[][];
  try {
    const parsed: unknown = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, trim: true });
    records = parsed as string[][];
  } catch (err) {
    throw new InputError(
      'INPUT_INVALID',
      `${name} is not a readable CSV file (${err instanceof Error ? err.message.slice(0, 120) : 'parse error'}).`,
    );
  }
  const [header, ...rows] = records;
  if (!header) throw new InputError('INPUT_EMPTY', `${name} is empty: it needs a header row and one user per row.`);
  const names = header.map((h) => h.toLowerCase());
  const column = LIST_COLUMNS.map((c) => names.indexOf(c)).find((i) => i >= 0);
  if (column === undefined) {
    const found = header
      .slice(0, 8)
      .map((h) => `"${h.slice(0, 40)}"`)
      .join(', ');
    throw new InputError(
      'INPUT_INVALID',
      `${name} has no column of users: its header row has ${found}; name one column ${LIST_COLUMNS.map((c) => `"${c}"`).join(', ')} (any case).`,
    );
  }
  const entries: ListEntry[] = [];
  rows.forEach((row, i) => {
    const input = (row[column] ?? '').trim();
    if (input !== '') entries.push({ line: i + 2, input });
  });
  return limited(entries, name);
}
