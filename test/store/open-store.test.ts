import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TokenCredential } from '@azure/identity';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.ts';
import { ConfigError } from '../../src/errors/index.ts';
import { openStore, parseStoreUrl } from '../../src/store/index.ts';
import { request } from './fixtures.ts';

const KEY = 'c2VjcmV0LWFjY291bnQta2V5LW5ldmVyLWxvZ2dlZA==';

function problemOf(url: string): string {
  const parsed = parseStoreUrl(url);
  if (parsed.ok) throw new Error(`expected ${url} to be refused`);
  return parsed.problem;
}

describe('STORE_URL', () => {
  it('reads sqlite paths and the three azure-tables forms', () => {
    expect(parseStoreUrl('sqlite:./data/hardmatch.db')).toEqual({ ok: true, location: { kind: 'sqlite', path: './data/hardmatch.db' } });
    expect(parseStoreUrl('sqlite::memory:')).toEqual({ ok: true, location: { kind: 'sqlite', path: ':memory:' } });
    const account = parseStoreUrl(
      `azure-tables:DefaultEndpointsProtocol=https;AccountName=contosohm;AccountKey=${KEY};EndpointSuffix=core.windows.net`,
    );
    expect(account).toMatchObject({
      ok: true,
      location: { target: { kind: 'connection-string', endpoint: 'https://contosohm.table.core.windows.net', insecure: false } },
    });
    const azurite = parseStoreUrl(
      `azure-tables:DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${KEY};TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;`,
    );
    expect(azurite).toMatchObject({
      ok: true,
      location: { target: { endpoint: 'http://127.0.0.1:10002/devstoreaccount1', insecure: true } },
    });
    expect(parseStoreUrl('azure-tables:UseDevelopmentStorage=true')).toMatchObject({ ok: true, location: { target: { insecure: true } } });
    expect(parseStoreUrl('azure-tables:https://contosohm.table.core.windows.net/')).toEqual({
      ok: true,
      location: { kind: 'azure-tables', target: { kind: 'endpoint', endpoint: 'https://contosohm.table.core.windows.net' } },
    });
  });

  it('refuses malformed values, saying what is accepted and never repeating the key', () => {
    expect(problemOf('postgres://db')).toMatch(/^must be sqlite:<path>.*azure-tables:/);
    expect(problemOf('sqlite:')).toMatch(/needs a file path/);
    expect(problemOf('azure-tables:')).toMatch(/azure-tables:<connection string>/);
    expect(problemOf('azure-tables:http://contosohm.table.core.windows.net')).toMatch(/must be https:\/\//);
    expect(problemOf('azure-tables:just some text')).toMatch(/connection string/);
    const noProtocol = problemOf(`azure-tables:AccountName=contosohm;AccountKey=${KEY}`);
    expect(noProtocol).toMatch(/DefaultEndpointsProtocol/);
    expect(noProtocol).not.toContain(KEY);
    expect(problemOf(`azure-tables:DefaultEndpointsProtocol=https;AccountName=contosohm;AccountKey=${KEY};TableEndpoint=nope`)).toMatch(
      /TableEndpoint/,
    );
  });

  it('is validated by loadConfig, with sqlite:./data/hardmatch.db as the default', () => {
    expect(loadConfig({}, { sandbox: true }).storeUrl).toBe('sqlite:./data/hardmatch.db');
    expect(loadConfig({ STORE_URL: 'azure-tables:UseDevelopmentStorage=true' }, { sandbox: true }).storeUrl).toBe(
      'azure-tables:UseDevelopmentStorage=true',
    );
    expect(() => loadConfig({ STORE_URL: `azure-tables:AccountKey=${KEY}` }, { sandbox: true })).toThrow(/STORE_URL: /);
    try {
      loadConfig({ STORE_URL: `azure-tables:AccountKey=${KEY}` }, { sandbox: true });
    } catch (err) {
      expect((err as ConfigError).problems).toEqual([expect.stringMatching(/^STORE_URL: /)]);
      expect((err as Error).message).not.toContain(KEY);
    }
  });
});

describe('openStore', () => {
  it('rejects a malformed STORE_URL with a ConfigError naming it', async () => {
    await expect(openStore('mysql:x')).rejects.toBeInstanceOf(ConfigError);
    await expect(openStore('mysql:x')).rejects.toThrow(/STORE_URL: must be sqlite:<path>/);
  });

  it('opens a sqlite file, creating its folder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hardmatch-open-'));
    try {
      const store = await openStore(`sqlite:${join(dir, 'a', 'b', 'store.db')}`);
      const r = request();
      expect(await store.create(r)).toBe(true);
      expect((await store.get(r.id))?.value).toEqual(r);
      await store.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('signs in to an https endpoint with the injected credential', async () => {
    const scopes: string[] = [];
    const credential: TokenCredential = {
      getToken: (scope) => {
        scopes.push(...[scope].flat());
        return Promise.reject(new Error('no identity in this test'));
      },
    };
    const store = await openStore('azure-tables:https://contosohm.table.core.windows.net', { credential });
    await expect(store.get('r1')).rejects.toThrow(/no identity in this test/);
    expect(scopes).toEqual(expect.arrayContaining([expect.stringMatching(/^https:\/\/storage\.azure\.com\/\.default$/)]));
  });
});
