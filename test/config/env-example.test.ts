/** Every variable the bot and the relay agent read is in .env.example, documented, so a newcomer sees it. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, root), 'utf8');
/** Set by the platform, never by an admin (App Service's own host name). */
const PLATFORM_SET = new Set(['WEBSITE_HOSTNAME']);

function schemaKeys(path: string): string[] {
  return [...read(path).matchAll(/^ {4}([A-Z][A-Z0-9_]+|Microsoft[A-Za-z]+): /gm)].map((m) => m[1] ?? '');
}

describe('.env.example', () => {
  const example = read('.env.example');
  const listed = new Set([...example.matchAll(/^([A-Za-z_][A-Za-z0-9_]*)=/gm)].map((m) => m[1]));

  it.each(['src/config/load-config.ts', 'src/config/load-relay-config.ts'])('lists every variable %s reads', (path) => {
    const keys = schemaKeys(path);
    expect(keys.length).toBeGreaterThan(5);
    expect(keys.filter((k) => !PLATFORM_SET.has(k) && !listed.has(k))).toEqual([]);
  });

  it('says what each variable is for (a comment above it)', () => {
    const lines = example.split('\n');
    // A variable follows its comment, or another variable of the same comment (RELAY_PORT, RELAY_HOST).
    const bare = lines.filter((line, i) => /^[A-Za-z_]+=/.test(line) && !/^(#|[A-Za-z_]+=)/.test(lines[i - 1] ?? ''));
    expect(bare).toEqual([]);
  });
});
