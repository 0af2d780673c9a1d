import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createSqliteStore } from '../../src/store/sqlite/index.ts';
import { describeStoreContract } from './contract.ts';

let dir: string;
let n = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hardmatch-sqlite-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// A file in a folder that does not exist yet: the store creates it.
describeStoreContract('sqlite file', () => Promise.resolve(createSqliteStore(join(dir, `nested-${++n}`, 'hardmatch.db'))));
describeStoreContract('sqlite :memory:', () => Promise.resolve(createSqliteStore(':memory:')));
