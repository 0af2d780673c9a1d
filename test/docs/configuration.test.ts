import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDoc, ROOT } from './markdown.ts';

/**
 * Every environment variable the code reads is documented: the keys of the configuration schemas
 * (src/config) and every `env.NAME` read elsewhere in src (the sandbox's own variables), each named
 * in backticks in the README or a page of docs/. A new variable fails here until it is written up.
 */

/** Variables of the operating system or of Node, read to find a program, not configuration. */
const NOT_CONFIGURATION = new Set(['PATH', 'Path', 'PATHEXT', 'HOME', 'TMPDIR', 'CI']);
const NAME = /^(?:[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|[A-Z][A-Z0-9]+|Microsoft[A-Za-z]+)$/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** `NAME: z…`, `NAME: port(…)` and the like: the keys of a zod object schema over the environment. */
function schemaKeys(source: string): string[] {
  return [...source.matchAll(/^\s+([A-Za-z][A-Za-z0-9_]*):\s*(?:z\b|port\(|positiveMs\(|httpUrl|wholeNumber\()/gm)]
    .map((m) => m[1]!)
    .filter((name) => NAME.test(name));
}

function envReads(source: string): string[] {
  return [...source.matchAll(/\benv\.([A-Za-z][A-Za-z0-9_]*)\b|\benv\[['"]([A-Za-z][A-Za-z0-9_]*)['"]\]/g)]
    .map((m) => (m[1] ?? m[2])!)
    .filter((name) => NAME.test(name));
}

const readers = new Map<string, Set<string>>();
for (const file of sourceFiles(join(ROOT, 'src'))) {
  const source = readFileSync(file, 'utf8');
  const path = relative(ROOT, file);
  const names = [...(path.startsWith('src/config/') ? schemaKeys(source) : []), ...envReads(source)];
  for (const name of names) {
    if (NOT_CONFIGURATION.has(name)) continue;
    readers.set(name, (readers.get(name) ?? new Set()).add(path));
  }
}

const docs = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];
const documented = docs.map((file) => readDoc(file)).join('\n');

describe('configuration variables', () => {
  it('are found in the code: the bot, the relay agent and the sandbox', () => {
    for (const name of [
      'PORT',
      'MicrosoftAppType',
      'STORE_URL',
      'LDAP_URL',
      'LDAP_BASE_DN',
      'AZURE_RELAY_URL',
      'SYNC_COMMAND',
      'SANDBOX_TENANT',
    ])
      expect([...readers.keys()]).toContain(name);
  });

  it('are each documented in the README or docs/, in backticks', () => {
    const undocumented = [...readers]
      .filter(([name]) => !new RegExp(`\`${name}[\`=]`).test(documented))
      .map(([name, files]) => `${name} (read in ${[...files].join(', ')})`);
    expect(undocumented).toEqual([]);
  });
});
