/**
 * Contract: $top and server-driven paging across more than 999 users, followed with the SDK's
 * own PageIterator (which only follows https next links, so this also proves the link format).
 */
import { PageIterator, type PageCollection } from '@microsoft/microsoft-graph-client';
import type { User } from '@microsoft/microsoft-graph-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphFailure, startGraph, testSeed, type Harness } from './graph-harness.ts';

const BULK = 1200;
let h: Harness;
let total: number;
beforeAll(async () => {
  h = await startGraph({ seed: testSeed(BULK) });
  total = h.emulator.state.activeUsers().length;
});
afterAll(() => h.close());

async function collectAll(first: PageCollection, headers?: Record<string, string>): Promise<User[]> {
  const users: User[] = [];
  const collect = (user: User): boolean => {
    users.push(user);
    return true;
  };
  const iterator = new PageIterator(h.client, first, collect, headers ? { headers } : undefined);
  await iterator.iterate();
  return users;
}

describe('paging', () => {
  it('returns 100 users per page by default, with an opaque $skiptoken in @odata.nextLink', async () => {
    const page = (await h.client.api('/users').select(['id']).get()) as PageCollection;
    expect(page.value).toHaveLength(100);
    const next = new URL(page['@odata.nextLink'] ?? '');
    expect(next.origin).toBe(h.emulator.url);
    expect(next.searchParams.get('$skiptoken')).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(next.searchParams.get('$select')).toBe('id');
  });

  it('pages through all users with $top=999: every user exactly once, in two pages', async () => {
    const before = h.emulator.requestCount();
    const first = (await h.client.api('/users').top(999).select(['id', 'userPrincipalName']).get()) as PageCollection;
    expect(first.value).toHaveLength(999);
    const users = await collectAll(first);
    expect(users).toHaveLength(total);
    expect(new Set(users.map((u) => u.id)).size).toBe(total);
    expect(h.emulator.requestCount() - before).toBe(Math.ceil(total / 999));
  });

  it('keeps $filter, $select and $count on every next link', async () => {
    const first = (await h.client
      .api('/users')
      .header('ConsistencyLevel', 'eventual')
      .filter(encodeURIComponent("startswith(userPrincipalName,'bulk00')"))
      .select(['userPrincipalName'])
      .count(true)
      .top(400)
      .get()) as PageCollection;
    expect(first['@odata.count']).toBe(1000);
    // Next links keep $count=true, so each follow-up needs the header again (PageIterator's requestOptions).
    const users = await collectAll(first, { ConsistencyLevel: 'eventual' });
    expect(users).toHaveLength(1000);
    expect(users.every((u) => u.userPrincipalName?.startsWith('bulk00') === true && !('displayName' in u))).toBe(true);
  });

  it.each(['0', '1000', '-1'])('refuses $top=%s (1..999 only)', async (top) => {
    const failure = await graphFailure(h.client.api(`/users?$top=${top}`).get());
    expect(failure).toMatchObject({ status: 400, code: 'Request_UnsupportedQuery' });
    expect(failure.message).toBe(`Invalid page size specified: '${top}'. Must be between 1 and 999 inclusive.`);
  });

  it('refuses a $skiptoken it did not issue', async () => {
    const failure = await graphFailure(h.client.api('/users?$skiptoken=forged').get());
    expect(failure).toMatchObject({ status: 400, code: 'Directory_ExpiredPageToken' });
  });

  it('does not skip a user when one already returned is deleted before the next page', async () => {
    const first = (await h.client.api('/users').top(500).select(['id']).get()) as PageCollection;
    const victim = (first.value as User[])[10]?.id ?? '';
    h.emulator.state.deleteUser(victim);
    // Offset paging would now skip the first user of page two; a cursor does not.
    const users = await collectAll(first);
    expect(users).toHaveLength(total);
    expect(new Set(users.map((u) => u.id)).size).toBe(total);
    h.emulator.state.restoreDeletedUser(victim);
  });
});
