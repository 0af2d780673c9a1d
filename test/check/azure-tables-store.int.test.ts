/**
 * `hardmatch check` with STORE_URL on Azure Table Storage, emulated by Azurite: the whole check
 * passes and leaves no test record behind; a storage account that refuses connections, one that
 * never answers, and a wrong account key each fail the store check with their own fix.
 */
import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devConnectionString, DEV_ACCOUNT_KEY, startAzurite, type RunningAzurite } from '../support/azurite.ts';
import { startFrozenServer } from '../support/frozen-server.ts';
import { perTestStacks } from './harness.ts';

let azurite: RunningAzurite;
beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(async () => {
  await azurite?.stop();
});

const stack = perTestStacks();

describe('hardmatch check: Azure Table Storage', () => {
  it('passes on Azurite and removes its test record', async () => {
    const s = await stack();
    const run = await s.check({ env: { ...s.env, STORE_URL: `azure-tables:${azurite.connectionString}` } });
    const store = run.section('Store');
    expect(store).toContain(
      `Store (Azure Table Storage at http://127.0.0.1:${azurite.port}/devstoreaccount1, signed in with the connection string (key not shown))`,
    );
    expect(store).toContain(
      'OK: wrote, read back and replaced a test record; a write from a stale version was refused; the record was removed.',
    );
    expect(run.output).not.toContain(DEV_ACCOUNT_KEY);
    expect(run.code).toBe(0);
    const settings = TableClient.fromConnectionString(azurite.connectionString, 'hardmatchsettings', { allowInsecureConnection: true });
    const left: string[] = [];
    for await (const entity of settings.listEntities()) left.push(String(entity.rowKey));
    expect(left.filter((k) => k.includes('hardmatch-check'))).toEqual([]);
  });

  it('fails when the storage account does not answer', async () => {
    const s = await stack();
    // Azurite's port once it is gone: a dedicated instance, stopped before the check.
    const gone = await startAzurite();
    await gone.stop();
    const run = await s.check({ env: { ...s.env, STORE_URL: `azure-tables:${devConnectionString(gone.port)}` } });
    const store = run.section('Store');
    expect(store).toContain('FAILED: could not write a test record: ');
    expect(store).toContain('(ECONNREFUSED)');
    expect(store).toContain(
      `Fix: Check that http://127.0.0.1:${gone.port}/devstoreaccount1 is the storage account's table endpoint (STORE_URL)`,
    );
    expect(run.code).toBe(1);
  });

  it('fails within the store time limit when the storage account accepts connections and never answers', async () => {
    const s = await stack();
    const frozen = await startFrozenServer();
    try {
      const port = Number(new URL(frozen.url).port);
      const run = await s.check({ env: { ...s.env, STORE_URL: `azure-tables:${devConnectionString(port)}` } });
      const store = run.section('Store');
      expect(store).toContain('FAILED: could not write a test record: it did not answer within 5 s. (TIMEOUT)');
      expect(store).toContain(
        `Fix: Check that http://127.0.0.1:${port}/devstoreaccount1 is the storage account's table endpoint (STORE_URL)`,
      );
      expect(run.code).toBe(1);
    } finally {
      await frozen.close();
    }
  });

  it('fails when the account key is wrong', async () => {
    const s = await stack();
    const wrongKey = Buffer.alloc(64, 7).toString('base64');
    const connection = azurite.connectionString.replace(DEV_ACCOUNT_KEY, wrongKey);
    const run = await s.check({ env: { ...s.env, STORE_URL: `azure-tables:${connection}` } });
    const store = run.section('Store');
    expect(store).toMatch(/FAILED: could not write a test record: .*\(HTTP 403\)/);
    expect(store).toContain('Fix: The account key or SAS in STORE_URL is wrong or expired');
    expect(run.output).not.toContain(wrongKey);
    expect(run.code).toBe(1);
  });
});
