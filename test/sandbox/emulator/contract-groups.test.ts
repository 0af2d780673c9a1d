/**
 * Contract: GET /groups with $filter (as Graph's group-list documents: proxyAddresses through
 * any(), mail, displayName, id) and GET /groups/{id}. This is how the bot finds a mail-enabled
 * group already holding an address a user wants (Entra Connect's ObjectTypeMismatch).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { graphFailure, ID, odataString, startGraph, type Harness } from './graph-harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await startGraph();
});
afterEach(() => h.close());

interface GroupList {
  '@odata.context': string;
  '@odata.count'?: number;
  value: { id: string; displayName?: string; mail?: string | null; proxyAddresses?: string[] }[];
}

const list = async (query: string, headers: Record<string, string> = {}) =>
  (await h.client.api(`/groups?${query}`).headers(headers).get()) as GroupList;

describe('GET /groups', () => {
  it('finds the group holding a proxy address, case-insensitively, with $select and $count', async () => {
    const filter = encodeURIComponent(`proxyAddresses/any(p:p eq ${odataString('smtp:SALES@contoso.com')})`);
    const result = await list(`$filter=${filter}&$select=id,displayName,mail,proxyAddresses&$top=999&$count=true`, {
      ConsistencyLevel: 'eventual',
    });
    expect(result.value).toEqual([
      { id: ID.sales, displayName: 'Sales', mail: 'sales@contoso.com', proxyAddresses: ['SMTP:sales@contoso.com'] },
    ]);
    expect(result['@odata.count']).toBe(1);
    expect(result['@odata.context']).toBe(`${h.emulator.url}/v1.0/$metadata#groups(id,displayName,mail,proxyAddresses)`);
  });

  it('answers an empty list for an address no group holds, and filters on mail and displayName', async () => {
    const none = encodeURIComponent(`proxyAddresses/any(p:p eq ${odataString("smtp:o'brien@contoso.com")})`);
    expect((await list(`$filter=${none}`)).value).toEqual([]);
    expect((await list(`$filter=${encodeURIComponent("mail eq 'sales@contoso.com'")}&$select=id`)).value).toEqual([{ id: ID.sales }]);
    const named = await list(`$filter=${encodeURIComponent("startswith(displayName,'h')")}&$select=id`);
    expect(named.value.map((g) => g.id).sort()).toEqual([ID.admins, ID.helpdesk].sort());
  });

  it('lists every group without a filter, ordered by id', async () => {
    const all = await list('$select=id');
    expect(all.value.map((g) => g.id)).toEqual([ID.admins, ID.helpdesk, ID.sales].sort());
  });

  it("refuses a property groups cannot be filtered on with Graph's 400", async () => {
    const failure = await graphFailure(list(`$filter=${encodeURIComponent("onPremisesImmutableId eq 'x'")}`));
    expect([failure.status, failure.code]).toEqual([400, 'Request_UnsupportedQuery']);
    expect(failure.message).toBe(
      "Unsupported or invalid query filter clause specified for property 'onPremisesImmutableId' of resource 'Group'.",
    );
  });
});

describe('GET /groups/{id}', () => {
  it('returns one group, and 404 for an unknown id', async () => {
    const group = (await h.client.api(`/groups/${ID.sales}?$select=id,mailEnabled`).get()) as Record<string, unknown>;
    expect(group).toEqual({
      '@odata.context': `${h.emulator.url}/v1.0/$metadata#groups(id,mailEnabled)/$entity`,
      id: ID.sales,
      mailEnabled: true,
    });
    const failure = await graphFailure(h.client.api('/groups/00000000-0000-4000-8000-000000000009').get());
    expect([failure.status, failure.code]).toEqual([404, 'Request_ResourceNotFound']);
  });
});
