import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { anchorsOf, headingSlug, linksOf, readDoc, resolveLink, ROOT } from './markdown.ts';

/** Folders that hold no documentation of the project's own (installed, built or written by tools). */
const SKIP = new Set(['node_modules', 'dist', 'test-results', 'data', 'coverage', '.git']);

function markdownFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = dir === '' ? entry.name : `${dir}/${entry.name}`;
    if (entry.isDirectory()) return SKIP.has(entry.name) || entry.name.startsWith('.') ? [] : markdownFiles(path);
    return entry.name.endsWith('.md') ? [path] : [];
  });
}

/** Every Markdown file of the repository: the README, docs/, bench/README.md and the stand-ins' READMEs. */
const DOCS = markdownFiles('');

interface Broken {
  at: string;
  target: string;
  why: string;
}

function brokenLinks(file: string): Broken[] {
  const broken: Broken[] = [];
  for (const { line, target } of linksOf(readDoc(file))) {
    const resolved = resolveLink(file, target);
    if (resolved === null) continue;
    const at = `${file}:${line}`;
    const path = join(ROOT, resolved.file);
    if (resolved.file.startsWith('..') || !existsSync(path)) {
      broken.push({ at, target, why: `${resolved.file} does not exist` });
      continue;
    }
    if (resolved.anchor === null) continue;
    if (!statSync(path).isFile() || !resolved.file.endsWith('.md')) {
      broken.push({ at, target, why: `an anchor into ${resolved.file}, which is not a Markdown file` });
    } else if (!anchorsOf(readDoc(resolved.file)).has(resolved.anchor)) {
      broken.push({ at, target, why: `${resolved.file} has no heading or <a id> for #${resolved.anchor}` });
    }
  }
  return broken;
}

describe('documentation links', () => {
  it("covers the README, every page of docs/, bench/README.md and the stand-ins' READMEs", () => {
    expect(DOCS).toEqual(
      expect.arrayContaining([
        'README.md',
        'docs/finding-codes.md',
        'docs/deploy.md',
        'docs/relay-agent.md',
        'docs/testing.md',
        'bench/README.md',
        'src/sandbox/emulator/README.md',
        'src/sandbox/scenarios/README.md',
      ]),
    );
  });

  for (const file of DOCS) {
    it(`${file}: every relative link names a file that exists, and every #anchor a heading or <a id> there`, () => {
      expect(brokenLinks(file)).toEqual([]);
    });
  }
});

describe('the link checker', () => {
  it('slugs headings as GitHub does', () => {
    expect(headingSlug('The relay agent (`hardmatch-relay`)')).toBe('the-relay-agent-hardmatch-relay');
    expect(headingSlug("The relay agent's settings after provisioning")).toBe('the-relay-agents-settings-after-provisioning');
    expect(headingSlug('bench:card-size')).toBe('benchcard-size');
    expect(headingSlug('With `az` only')).toBe('with-az-only');
    expect(headingSlug('Fixture directories (sandbox only)')).toBe('fixture-directories-sandbox-only');
  });

  it('finds headings, numbered repeats and explicit anchors, but not headings inside code blocks', () => {
    const anchors = anchorsOf('# Title\n## Setup\n## Setup\n```sh\n# not a heading\n```\n| <a id="finding-x"></a>`X` |\n');
    expect([...anchors].sort()).toEqual(['finding-x', 'setup', 'setup-1', 'title']);
  });

  it('reports a missing file, a missing anchor and an anchor into a missing heading of another file', () => {
    const links = linksOf(
      'See [a](missing.md), [b](#nowhere), [c](README.md#no-such-heading), [d](https://example.com/x.md#y), `[e](code.md)`.',
    );
    expect(links.map((link) => link.target)).toEqual(['missing.md', '#nowhere', 'README.md#no-such-heading', 'https://example.com/x.md#y']);
    expect(resolveLink('docs/x.md', '../README.md#commands')).toEqual({ file: 'README.md', anchor: 'commands' });
    expect(resolveLink('docs/x.md', '#here')).toEqual({ file: 'docs/x.md', anchor: 'here' });
    expect(resolveLink('README.md', 'https://example.com')).toBeNull();
    expect(anchorsOf(readDoc('README.md')).has('no-such-heading')).toBe(false);
  });
});
