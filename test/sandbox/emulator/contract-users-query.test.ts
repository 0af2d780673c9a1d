/**
 * Contract: GET /users through the real Graph SDK: $filter (including hostile literals and
 * percent-encoding), $select and the default property set, $count and ConsistencyLevel.
 */
import type { User } from '@microsoft/microsoft-graph-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphFailure, HOSTILE_MAIL, ID, odataString, PLUS_ANCHOR, startGraph, type Harness } from './graph-harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startGraph();
});
afterAll(() => h.close());

interface Page<T> {
  '@odata.context': string;
  '@odata.count'?: number;
  '@odata.nextLink'?: string;
  value: T[];
}

/** How the bot must send a filter: OData literal quoting, then percent-encoding of the whole value. */
async function usersWhere(filter: string): Promise<Page<User>> {
  const request = h.client
    .api('/users')
    .filter(encodeURIComponent(filter))
    .select(['id', 'userPrincipalName', 'mail', 'onPremisesImmutableId']);
  return (await request.get()) as Page<User>;
}

const ids = (page: Page<User>): string[] => page.value.map((u) => u.id ?? '');

describe('GET /users $filter', () => {
  it('finds a user by UPN, mail and proxy address, ignoring case like Entra', async () => {
    expect(ids(await usersWhere(`userPrincipalName eq ${odataString('JDOE@Contoso.com')}`))).toEqual([ID.jane]);
    expect(ids(await usersWhere(`mail eq ${odataString('bsmith@CONTOSO.com')}`))).toEqual([ID.bob]);
    expect(ids(await usersWhere(`proxyAddresses/any(p:p eq ${odataString('smtp:JDOE@contoso.com')})`))).toEqual([ID.jane]);
  });

  it("matches a quote in a literal (O'Brien) only when it is doubled", async () => {
    expect(ids(await usersWhere(`userPrincipalName eq ${odataString("o'brien@contoso.com")}`))).toEqual([ID.hostile]);
    const unescaped = await graphFailure(usersWhere("userPrincipalName eq 'o'brien@contoso.com'"));
    expect(unescaped.status).toBe(400);
    expect(unescaped.code).toBe('BadRequest');
  });

  it('treats # & % + / and quotes inside a percent-encoded literal as data', async () => {
    expect(ids(await usersWhere(`mail eq ${odataString(HOSTILE_MAIL)}`))).toEqual([ID.hostile]);
    expect(ids(await usersWhere(`mail eq ${odataString(HOSTILE_MAIL)} or mail eq 'x'' or ''1''=''1'`))).toEqual([ID.hostile]);
  });

  it('compares the ImmutableID exactly: + and / survive %2B / %2F, case matters', async () => {
    expect(ids(await usersWhere(`onPremisesImmutableId eq ${odataString(PLUS_ANCHOR)}`))).toEqual([ID.hostile]);
    expect(ids(await usersWhere(`onPremisesImmutableId eq ${odataString(PLUS_ANCHOR.toLowerCase())}`))).toEqual([]);
  });

  it('decodes a bare + in the query string as a space, as a real server does', async () => {
    const bare = await h.raw(`/v1.0/users?$select=id&$filter=onPremisesImmutableId%20eq%20'${PLUS_ANCHOR}'`);
    const encoded = await h.raw(`/v1.0/users?$select=id&$filter=onPremisesImmutableId%20eq%20'${encodeURIComponent(PLUS_ANCHOR)}'`);
    expect(ids((await bare.json()) as Page<User>)).toEqual([ID.decoy]);
    expect(ids((await encoded.json()) as Page<User>)).toEqual([ID.hostile]);
  });

  it('combines clauses with or / and and parentheses', async () => {
    const either = await usersWhere(`userPrincipalName eq 'jdoe@contoso.com' or onPremisesImmutableId eq 'g8Pclm4vok+vFWtMERklmg=='`);
    expect(ids(either).sort()).toEqual([ID.jane, ID.janeSynced].sort());
    const both = await usersWhere(
      `(mail eq 'jdoe@contoso.com' or mail eq 'bsmith@contoso.com') and userPrincipalName eq 'bsmith@contoso.com'`,
    );
    expect(ids(both)).toEqual([ID.bob]);
  });

  it.each([
    ["userPrincipalName ne 'x'", 'Request_UnsupportedQuery'],
    ["not(userPrincipalName eq 'x')", 'Request_UnsupportedQuery'],
    ["endswith(mail,'@contoso.com')", 'Request_UnsupportedQuery'],
    ["startswith(onPremisesImmutableId,'g8')", 'Request_UnsupportedQuery'],
    ["onPremisesSamAccountName eq 'jdoe'", 'Request_UnsupportedQuery'],
    ["mail eq 'x' and", 'BadRequest'],
    ["mail eq 'unterminated", 'BadRequest'],
    ['mail eq 5', 'BadRequest'],
    ['garbage!', 'BadRequest'],
  ])('refuses %s with 400 %s', async (filter, code) => {
    const failure = await graphFailure(usersWhere(filter));
    expect(failure.status).toBe(400);
    expect(failure.code).toBe(code);
  });

  it('names the property in an unsupported-clause error, in Graph wording', async () => {
    const failure = await graphFailure(usersWhere("onPremisesSamAccountName eq 'jdoe'"));
    expect(failure.message).toBe(
      "Unsupported or invalid query filter clause specified for property 'onPremisesSamAccountName' of resource 'User'.",
    );
  });
});

describe('GET /users $select', () => {
  it('returns Graph’s default set without $select: no onPremises* properties', async () => {
    const page = (await h.client
      .api('/users')
      .filter(encodeURIComponent("userPrincipalName eq 'jdoe1234@contoso.onmicrosoft.com'"))
      .get()) as Page<Record<string, unknown>>;
    const user = page.value[0] ?? {};
    expect(Object.keys(user).sort()).toEqual(
      [
        'businessPhones',
        'displayName',
        'givenName',
        'id',
        'jobTitle',
        'mail',
        'mobilePhone',
        'officeLocation',
        'preferredLanguage',
        'surname',
        'userPrincipalName',
      ].sort(),
    );
    expect(page['@odata.context']).toBe(`${h.emulator.url}/v1.0/$metadata#users`);
  });

  it('returns only the selected properties plus id, names matched case-insensitively', async () => {
    const user = (await h.client.api(`/users/${ID.janeSynced}`).select(['OnPremisesImmutableId', 'onPremisesSyncEnabled']).get()) as Record<
      string,
      unknown
    >;
    expect(user).toEqual({
      '@odata.context': `${h.emulator.url}/v1.0/$metadata#users(onPremisesImmutableId,onPremisesSyncEnabled)/$entity`,
      id: ID.janeSynced,
      onPremisesImmutableId: 'g8Pclm4vok+vFWtMERklmg==',
      onPremisesSyncEnabled: true,
    });
  });

  it('refuses a property the user type does not have', async () => {
    const failure = await graphFailure(h.client.api('/users').select(['nonsense']).get());
    expect(failure).toMatchObject({
      status: 400,
      code: 'BadRequest',
      message: "Could not find a property named 'nonsense' on type 'microsoft.graph.user'.",
    });
  });

  it('gets a user by UPN, percent-encoded in the path', async () => {
    const user = (await h.client
      .api(`/users/${encodeURIComponent("o'brien@contoso.com")}`)
      .select(['mail'])
      .get()) as User;
    expect(user.mail).toBe(HOSTILE_MAIL);
  });
});

describe('GET /users $count', () => {
  it('adds @odata.count when ConsistencyLevel: eventual is sent', async () => {
    const page = (await h.client.api('/users').header('ConsistencyLevel', 'eventual').count(true).top(2).get()) as Page<User>;
    expect(page['@odata.count']).toBe(h.emulator.state.activeUsers().length);
    expect(page.value).toHaveLength(2);
  });

  it('refuses $count=true without the ConsistencyLevel header', async () => {
    const failure = await graphFailure(h.client.api('/users').count(true).get());
    expect(failure).toMatchObject({ status: 400, code: 'Request_BadRequest', message: '$count is not currently supported.' });
  });

  it('answers ge / le on userPrincipalName in an advanced query, and refuses them in a default one', async () => {
    const all = h.emulator.state
      .activeUsers()
      .map((u) => u.userPrincipalName.toLowerCase())
      .sort();
    const [from, to] = [all[1] ?? '', all[3] ?? ''];
    const filter = `userPrincipalName ge ${odataString(from.toUpperCase())} and userPrincipalName le ${odataString(to)}`;
    const page = (await h.client
      .api('/users')
      .header('ConsistencyLevel', 'eventual')
      .count(true)
      .filter(encodeURIComponent(filter))
      .select(['id', 'userPrincipalName'])
      .get()) as Page<User>;
    expect(page.value.map((u) => u.userPrincipalName?.toLowerCase()).sort()).toEqual(all.slice(1, 4));
    expect(page['@odata.count']).toBe(3);
    const failure = await graphFailure(usersWhere(filter));
    expect(failure).toMatchObject({
      status: 400,
      code: 'Request_UnsupportedQuery',
      message: "Unsupported or invalid query filter clause specified for property 'userPrincipalName' of resource 'User'.",
    });
  });

  it('refuses query options outside the emulated surface (Request_UnsupportedQuery) instead of ignoring them', async () => {
    const failure = await graphFailure(h.client.api('/users').orderby('displayName').get());
    expect(failure.code).toBe('Request_UnsupportedQuery');
  });
});
