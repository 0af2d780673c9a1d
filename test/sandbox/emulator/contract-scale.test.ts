/**
 * Contract at scale: a generated tenant of 20,000 users and 2,000 deleted ones, listed the way a
 * scan lists it (999 per page, partitioned by `startswith`), and cached listings that never serve
 * a page older than the last write.
 */
import type { PageCollection } from '@microsoft/microsoft-graph-client';
import type { User } from '@microsoft/microsoft-graph-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDirectory } from '../../../src/sandbox/generator/generate.ts';
import { startGraph, type Harness } from './graph-harness.ts';

const USERS = 20_000;
let h: Harness;
beforeAll(async () => {
  h = await startGraph({ seed: generateDirectory({ users: USERS, seed: 11 }).tenant });
}, 60_000);
afterAll(() => h.close());

const ADVANCED = { ConsistencyLevel: 'eventual' };

async function listAll(path: string, filter?: string): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let pages = 0;
  let page = (await h.client
    .api(path)
    .headers(ADVANCED)
    .query({ $select: 'id,userPrincipalName', $top: '999', $count: 'true', ...(filter ? { $filter: filter } : {}) })
    .get()) as PageCollection;
  for (;;) {
    pages += 1;
    ids.push(...(page.value as User[]).map((u) => u.id ?? ''));
    const next = page['@odata.nextLink'];
    if (!next) return { ids, pages };
    page = (await h.client.api(next).headers(ADVANCED).get()) as PageCollection;
  }
}

describe('a generated tenant of 20,000 users', () => {
  it('lists every active user once, in pages of 999', async () => {
    const { ids, pages } = await listAll('/users');
    expect(ids).toHaveLength(USERS);
    expect(new Set(ids).size).toBe(USERS);
    expect(pages).toBe(Math.ceil(USERS / 999));
  });

  it('partitions by the first character of the UPN with nothing lost or repeated', async () => {
    const all = new Set<string>();
    let total = 0;
    for (const c of [...'abcdefghijklmnopqrstuvwxyz0123456789_']) {
      const { ids } = await listAll('/users', `startswith(userPrincipalName,'${c}')`);
      total += ids.length;
      for (const id of ids) all.add(id);
    }
    expect(total).toBe(USERS);
    expect(all.size).toBe(USERS);
  });

  it('partitions the recycle bin by the object id its UPNs start with', async () => {
    let total = 0;
    for (const c of [...'0123456789abcdef'])
      total += (await listAll('/directory/deletedItems/microsoft.graph.user', `startswith(userPrincipalName,'${c}')`)).ids.length;
    expect(total).toBe(USERS / 10);
  });

  it('never serves a cached page older than the last write', async () => {
    const first = (await h.client
      .api('/users')
      .headers(ADVANCED)
      .query({ $filter: "startswith(userPrincipalName,'zz')", $count: 'true' })
      .get()) as PageCollection;
    expect(first.value).toHaveLength(0);
    const someone = h.emulator.state.listedUsers('active').find((u) => u.onPremisesSyncEnabled !== true);
    await h.client.api(`/users/${someone?.id ?? ''}`).patch({ userPrincipalName: `zz.renamed@contoso.com` });
    const after = (await h.client
      .api('/users')
      .headers(ADVANCED)
      .query({ $filter: "startswith(userPrincipalName,'zz')", $count: 'true' })
      .get()) as PageCollection;
    expect((after.value as User[]).map((u) => u.id)).toEqual([someone?.id]);
    await h.client.api(`/users/${someone?.id ?? ''}`).delete();
    const deleted = await listAll('/directory/deletedItems/microsoft.graph.user');
    expect(deleted.ids).toContain(someone?.id);
    expect((await listAll('/users')).ids).not.toContain(someone?.id);
  });
});
