/**
 * Just enough of Markdown to check the project's documentation: its links, the anchors they can
 * land on (headings as GitHub slugs them, and explicit `<a id>`), and the first cell of table rows.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export function readDoc(path: string): string {
  return readFileSync(join(ROOT, path), 'utf8');
}

/** The text outside fenced code blocks, line for line (a fenced line becomes empty, so line numbers stay). */
export function proseLines(markdown: string): string[] {
  let fence: string | null = null;
  return markdown.split('\n').map((line) => {
    const opener = /^\s*(```+|~~~+)/.exec(line)?.[1];
    if (fence === null && opener) {
      fence = opener;
      return '';
    }
    if (fence !== null) {
      if (line.trim().startsWith(fence)) fence = null;
      return '';
    }
    return line;
  });
}

/** A heading's anchor as GitHub makes it: the rendered text, lower case, punctuation dropped, spaces to hyphens. */
export function headingSlug(heading: string): string {
  const text = heading
    .replace(/`([^`]*)`/g, '$1')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/\*\*|\*/g, '');
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** Every anchor a link may name in this document: each heading's slug (GitHub numbers repeats -1, -2) and each `<a id>` / `<a name>`. */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of proseLines(markdown)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading !== undefined) {
      const slug = headingSlug(heading);
      const count = seen.get(slug) ?? 0;
      seen.set(slug, count + 1);
      anchors.add(count === 0 ? slug : `${slug}-${count}`);
    }
    for (const match of line.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(match[1]!);
  }
  return anchors;
}

export interface Link {
  line: number;
  target: string;
}

/** Every inline link and image target outside code (fenced blocks and code spans). */
export function linksOf(markdown: string): Link[] {
  const links: Link[] = [];
  proseLines(markdown).forEach((line, index) => {
    const prose = line.replace(/`[^`]*`/g, '``');
    for (const match of prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) links.push({ line: index + 1, target: match[1]! });
  });
  return links;
}

/** A link target inside the repository, split into the file it names (relative to the repository root) and its anchor. */
export function resolveLink(fromFile: string, target: string): { file: string; anchor: string | null } | null {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return null;
  const hash = target.indexOf('#');
  const path = hash === -1 ? target : target.slice(0, hash);
  const anchor = hash === -1 ? null : decodeURIComponent(target.slice(hash + 1));
  const file = path === '' ? fromFile : relative(ROOT, join(ROOT, dirname(fromFile), decodeURIComponent(path)));
  return { file, anchor };
}

/**
 * The rows of every table whose first cell starts with `<a id="<prefix>-…"></a>` followed by a
 * code span: the anchor, the name in the code span, and the row's other cells.
 */
export function anchoredRows(markdown: string, prefix: string): { anchor: string; name: string; cells: string[] }[] {
  const rows: { anchor: string; name: string; cells: string[] }[] = [];
  const pattern = new RegExp(`^\\|\\s*<a id="(${prefix}-[^"]+)"></a>\`([^\`]+)\`\\s*\\|(.*)\\|\\s*$`);
  for (const line of proseLines(markdown)) {
    const match = pattern.exec(line);
    if (match) rows.push({ anchor: match[1]!, name: match[2]!, cells: match[3]!.split(/(?<!\\)\|/).map((cell) => cell.trim()) });
  }
  return rows;
}
