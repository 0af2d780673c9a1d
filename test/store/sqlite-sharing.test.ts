import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteStore } from '../../src/store/sqlite/index.ts';
import { request } from './fixtures.ts';

const RACER = fileURLToPath(new URL('./sqlite-racer.ts', import.meta.url));
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hardmatch-sqlite-share-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function racer(file: string, name: string) {
  const child = spawn(process.execPath, [RACER, file, name], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return {
    async ask(line: string): Promise<string> {
      child.stdin.write(`${line}\n`);
      return String((await lines.next()).value);
    },
    stop: () => new Promise<void>((resolve) => (child.once('exit', () => resolve()), child.stdin.end())),
  };
}

describe('sqlite: several connections on one file', () => {
  it('two store instances in one process: exactly one CAS winner per round', async () => {
    const file = join(dir, 'two-connections.db');
    const [a, b] = [createSqliteStore(file), createSqliteStore(file)];
    const r = request();
    await a.create(r);
    for (let round = 0; round < 20; round++) {
      const version = (await b.get(r.id))?.version ?? '';
      const results = await Promise.all([a.update({ ...r, updatedAt: round }, version), b.update({ ...r, updatedAt: -round }, version)]);
      expect(results.filter((x) => x !== null)).toHaveLength(1);
    }
    await Promise.all([a.close(), b.close()]);
  });

  it('two processes: exactly one CAS winner and one audit entry per round, no SQLITE_BUSY', async () => {
    const file = join(dir, 'two-processes.db');
    const store = createSqliteStore(file);
    const r = request();
    await store.create(r);
    const racers = [racer(file, 'one'), racer(file, 'two')];
    try {
      for (let round = 1; round <= 20; round++) {
        const version = (await store.get(r.id))?.version ?? '';
        const answers = await Promise.all(racers.map((p) => p.ask(`${r.id} ${version} ${round}`)));
        expect(answers.join(' ')).not.toMatch(/error/);
        expect(answers.filter((a) => a.startsWith('win '))).toHaveLength(1);
        expect(answers.filter((a) => a.endsWith(' win'))).toHaveLength(1);
      }
      expect((await store.auditOf(r.id)).map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    } finally {
      await Promise.all(racers.map((p) => p.stop()));
      await store.close();
    }
  }, 60_000);
});
