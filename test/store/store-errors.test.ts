/**
 * Failures of the storage itself become coded errors that name the store (never its key) and say
 * what the store said: STORE_REFUSED for 401/403 or an identity without a token, STORE_UNAVAILABLE
 * for an account that does not answer, a 5xx, or a sqlite file that cannot be opened or written.
 * Anything else a store throws is a bug and passes unchanged.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RestError } from '@azure/core-rest-pipeline';
import { CredentialUnavailableError } from '@azure/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HardmatchError, StoreError, toUserText } from '../../src/errors/index.ts';
import type { RequestStore } from '../../src/ports/request-store.ts';
import { openStore } from '../../src/store/index.ts';
import { storeProblemOf, toStoreError, withStoreErrors } from '../../src/store/store-errors.ts';
import { request } from './fixtures.ts';

const KEY = 'c2VjcmV0LWFjY291bnQta2V5LW5ldmVyLWxvZ2dlZA==';
const ACCOUNT_URL = `azure-tables:DefaultEndpointsProtocol=https;AccountName=contosohm;AccountKey=${KEY};EndpointSuffix=core.windows.net`;
const IDENTITY_URL = 'azure-tables:https://contosohm.table.core.windows.net';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hardmatch-store-errors-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function storeError(err: unknown, url: string): StoreError {
  const translated = toStoreError(err, url);
  expect(translated).toBeInstanceOf(StoreError);
  return translated as StoreError;
}

describe('store failures as coded errors', () => {
  it('a 403 for the identity is STORE_REFUSED, naming the endpoint and what Table Storage said', () => {
    const err = new RestError('This request is not authorized to perform this operation using this permission.', {
      statusCode: 403,
      code: 'AuthorizationPermissionMismatch',
    });
    const translated = storeError(err, IDENTITY_URL);
    expect(translated.code).toBe('STORE_REFUSED');
    expect(translated.message).toBe(
      "The request store refused the bot: Azure Table Storage at https://contosohm.table.core.windows.net, signed in with the bot's Entra identity (HTTP 403 AuthorizationPermissionMismatch): This request is not authorized to perform this operation using this permission.",
    );
    expect(translated.cause).toBe(err);
    const words = toUserText(translated);
    expect(words.title).toBe('The request store refused the bot');
    expect(words.text).toContain('Storage Table Data Contributor');
    expect(words.text).not.toContain('Nothing was changed');
  });

  it("quotes Table Storage's own Message and errorCode, from Azure's JSON and Azurite's XML alike", () => {
    const xml =
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Error>\n  <Code>AuthorizationFailure</Code>\n  <Message>Server failed to authenticate the request.\nRequestId:d302\nTime:2026-12-02T02:48:16.859Z</Message>\n</Error>';
    const fromAzurite = new RestError(xml, { statusCode: 403 });
    Object.assign(fromAzurite, {
      details: { errorCode: 'AuthorizationFailure', Message: 'Server failed to authenticate the request.\nRequestId:d302' },
    });
    expect(storeError(fromAzurite, ACCOUNT_URL).message).toMatch(
      /\(HTTP 403 AuthorizationFailure\): Server failed to authenticate the request\.$/,
    );
    expect(storeError(new RestError(xml, { statusCode: 403 }), ACCOUNT_URL).message).toMatch(
      /\(HTTP 403\): Server failed to authenticate the request\.$/,
    );
    const json =
      '{"odata.error":{"code":"AuthorizationPermissionMismatch","message":{"lang":"en-US","value":"This request is not authorized to perform this operation using this permission.\\nRequestId:9a1"}}}';
    expect(storeError(new RestError(json, { statusCode: 403, code: 'AuthorizationPermissionMismatch' }), IDENTITY_URL).message).toMatch(
      /\(HTTP 403 AuthorizationPermissionMismatch\): This request is not authorized to perform this operation using this permission\.$/,
    );
  });

  it('an identity that gets no token is STORE_REFUSED', () => {
    const translated = storeError(
      new CredentialUnavailableError('ManagedIdentityCredential: no managed identity endpoint found.'),
      IDENTITY_URL,
    );
    expect(translated.code).toBe('STORE_REFUSED');
    expect(translated.message).toContain('(CredentialUnavailableError): ManagedIdentityCredential: no managed identity endpoint found.');
  });

  it('never shows the account key or a SAS signature, even when the SDK quotes them', () => {
    const err = new RestError(
      `Server failed to authenticate the request for https://contosohm.table.core.windows.net/x?sv=2019&sig=${KEY}&se=1 (AccountKey=${KEY};)`,
      { statusCode: 403, code: 'AuthorizationFailure' },
    );
    const translated = storeError(err, ACCOUNT_URL);
    expect(translated.message).toContain('signed in with the connection string (key not shown) (HTTP 403 AuthorizationFailure)');
    expect(translated.message).not.toContain(KEY);
    expect(translated.message).toContain('sig=(not shown)');
  });

  it('no answer, a 5xx, a 408 or our own time limit is STORE_UNAVAILABLE', () => {
    const refused = storeError(new RestError('connect ECONNREFUSED 10.0.0.4:443', { code: 'ECONNREFUSED' }), ACCOUNT_URL);
    expect(refused.code).toBe('STORE_UNAVAILABLE');
    expect(refused.message).toBe(
      'The request store could not be used: Azure Table Storage at https://contosohm.table.core.windows.net, signed in with the connection string (key not shown) (ECONNREFUSED): connect ECONNREFUSED 10.0.0.4:443',
    );
    expect(storeError(new RestError('The server is busy.', { statusCode: 503, code: 'ServerBusy' }), ACCOUNT_URL).message).toContain(
      '(HTTP 503 ServerBusy)',
    );
    expect(storeError(new RestError('timed out', { statusCode: 408 }), ACCOUNT_URL).code).toBe('STORE_UNAVAILABLE');
    expect(toUserText(refused).text).toContain('npm run check');
    const silent = new Error('The operation was aborted. Rejecting from abort signal callback while making request.');
    silent.name = 'AbortError';
    expect(storeError(silent, ACCOUNT_URL).message).toBe(
      'The request store could not be used: Azure Table Storage at https://contosohm.table.core.windows.net, signed in with the connection string (key not shown) (TIMEOUT): it did not answer within 5 s.',
    );
  });

  it('passes bugs and our own errors unchanged', () => {
    const badRequest = new RestError('The property value exceeds the maximum allowed size (64KB).', {
      statusCode: 400,
      code: 'PropertyValueTooLarge',
    });
    expect(toStoreError(badRequest, ACCOUNT_URL)).toBe(badRequest);
    const ours = new HardmatchError('INTERNAL', 'A stored Table Storage entity has no JSON chunks.');
    expect(toStoreError(ours, ACCOUNT_URL)).toBe(ours);
    const plain = new TypeError('x is not a function');
    expect(toStoreError(plain, ACCOUNT_URL)).toBe(plain);
    expect(storeProblemOf('a string')).toBeUndefined();
  });

  it('a sqlite file that cannot be opened rejects openStore with STORE_UNAVAILABLE naming the file', async () => {
    const notAFolder = join(dir, 'plain-file');
    await writeFile(notAFolder, 'not a folder');
    const url = `sqlite:${join(notAFolder, 'hardmatch.db')}`;
    const err = await openStore(url).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).code).toBe('STORE_UNAVAILABLE');
    expect((err as StoreError).message).toMatch(
      new RegExp(`^The request store could not be used: sqlite file ${notAFolder}/hardmatch.db \\((ENOTDIR|EEXIST)\\): `),
    );
  });

  it('a file that is not a database rejects openStore with SQLITE_NOTADB', async () => {
    const file = join(dir, 'not-a-database.db');
    await writeFile(file, 'x'.repeat(4096));
    const err = await openStore(`sqlite:${file}`).catch((e: unknown) => e);
    expect((err as StoreError).code).toBe('STORE_UNAVAILABLE');
    expect((err as StoreError).message).toContain(`sqlite file ${file} (SQLITE_NOTADB): file is not a database`);
  });

  it('every call of an opened store translates its failures, and a store that works is unchanged', async () => {
    const store = await openStore('sqlite::memory:');
    const fresh = request({ id: 'p0k1d7' });
    expect(await store.create(fresh)).toBe(true);
    expect((await store.get(fresh.id))?.value).toEqual(fresh);
    await store.close();
    // A closed sqlite database fails every statement; that is a bug of ours, so it passes through.
    await expect(store.get(fresh.id)).rejects.not.toBeInstanceOf(StoreError);

    const down = new RestError('getaddrinfo ENOTFOUND contosohm.table.core.windows.net', { code: 'ENOTFOUND' });
    const failing = new Proxy({} as RequestStore, { get: () => () => Promise.reject(down) });
    const guarded = withStoreErrors(failing, ACCOUNT_URL);
    const calls: Promise<unknown>[] = [
      guarded.create(fresh),
      guarded.get(fresh.id),
      guarded.update(fresh, '"etag"'),
      guarded.listByState('t', ['requested']),
      guarded.appendAudit([]),
      guarded.auditOf(fresh.id),
      guarded.getSetting('k'),
      guarded.putSetting('k', 1),
      guarded.deleteSetting('k', '"etag"'),
      guarded.markSeen('k', 1, 0),
    ];
    for (const call of calls) await expect(call).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE', cause: down });
  });
});
