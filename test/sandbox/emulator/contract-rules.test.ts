/**
 * Contract: PATCH /users/{id} and the Entra rules behind it, with the exact codes, messages and
 * details Graph answers. Each test gets a fresh tenant so rules are checked in isolation.
 */
import type { User } from '@microsoft/microsoft-graph-types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { conflictDetails, graphFailure, ID, startGraph, type Harness } from './graph-harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await startGraph();
});
afterEach(() => h.close());

const patch = (id: string, body: object) => h.client.api(`/users/${id}`).patch(body);
const read = async (id: string, ...props: string[]) => (await h.client.api(`/users/${id}`).select(props).get()) as User;

describe('ImmutableID uniqueness', () => {
  it('sets an anchor on a cloud-only user: 204, then visible with $select', async () => {
    await patch(ID.jane, { onPremisesImmutableId: 'NEWanchor0123456789abc==' });
    expect((await read(ID.jane, 'onPremisesImmutableId')).onPremisesImmutableId).toBe('NEWanchor0123456789abc==');
  });

  it('refuses an anchor an active user holds, naming the holder', async () => {
    const failure = await graphFailure(patch(ID.jane, { onPremisesImmutableId: 'g8Pclm4vok+vFWtMERklmg==' }));
    expect(failure.status).toBe(400);
    expect(failure.code).toBe('ObjectConflict');
    expect(failure.message).toBe('Another object with the same value for property onPremisesImmutableId already exists.');
    // Graph's documented body: the holder is named only in the ConflictingObjects detail's target.
    expect(failure.body.details).toEqual(conflictDetails('onPremisesImmutableId', `User_${ID.janeSynced}`));
    expect(Object.keys(failure.body.innerError)).toEqual(['date', 'request-id', 'client-request-id']);
    expect(failure.body.innerError.date).toBe('2026-03-05T12:00:00');
    expect(failure.body.innerError['request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses an anchor a soft-deleted user holds; purging that user frees it', async () => {
    const failure = await graphFailure(patch(ID.bob, { onPremisesImmutableId: 'SV+BWQuSnU6tbIK1OqTBAg==' }));
    expect(failure.body.details?.[1]?.target).toBe(`User_${ID.bobDeleted}`);
    await h.client.api(`/directory/deletedItems/${ID.bobDeleted}`).delete();
    await patch(ID.bob, { onPremisesImmutableId: 'SV+BWQuSnU6tbIK1OqTBAg==' });
    expect((await read(ID.bob, 'onPremisesImmutableId')).onPremisesImmutableId).toBe('SV+BWQuSnU6tbIK1OqTBAg==');
  });

  it('refuses $ and _ in an ImmutableID', async () => {
    const failure = await graphFailure(patch(ID.jane, { onPremisesImmutableId: 'bad_anchor$' }));
    expect(failure).toMatchObject({
      status: 400,
      code: 'Request_BadRequest',
      message: "Invalid value specified for property 'onPremisesImmutableId' of resource 'User'.",
    });
  });

  it('clears an anchor with null', async () => {
    await patch(ID.jane, { onPremisesImmutableId: 'tmp0123456789abcdefghi==' });
    await patch(ID.jane, { onPremisesImmutableId: null });
    expect((await read(ID.jane, 'onPremisesImmutableId')).onPremisesImmutableId).toBeNull();
  });
});

describe('UPN and proxy address uniqueness', () => {
  it('refuses a UPN another active user has', async () => {
    const failure = await graphFailure(patch(ID.jane, { userPrincipalName: 'BSMITH@contoso.com' }));
    expect(failure.code).toBe('ObjectConflict');
    expect(failure.body.details).toEqual(conflictDetails('userPrincipalName', `User_${ID.bob}`));
  });

  it('refuses a mail that is a mail-enabled group’s SMTP address', async () => {
    const failure = await graphFailure(patch(ID.jane, { mail: 'sales@contoso.com' }));
    expect(failure.body.details).toEqual(conflictDetails('proxyAddresses', `Group_${ID.sales}`));
  });

  it('makes a new mail the primary SMTP proxy address, as Graph documents', async () => {
    await patch(ID.jane, { mail: 'jane.doe@contoso.com' });
    const user = await read(ID.jane, 'mail', 'proxyAddresses');
    expect(user.mail).toBe('jane.doe@contoso.com');
    expect(user.proxyAddresses).toEqual(['SMTP:jane.doe@contoso.com', 'smtp:jdoe@contoso.com']);
  });
});

describe('synced users are mastered on-premises', () => {
  it.each([
    { onPremisesImmutableId: 'other0123456789abcdefg==' },
    { userPrincipalName: 'jdoe2@contoso.com' },
    { displayName: 'Renamed' },
    { mail: 'x@contoso.com' },
    { accountEnabled: false },
  ])('refuses %o', async (body) => {
    const failure = await graphFailure(patch(ID.janeSynced, body));
    expect(failure).toMatchObject({
      status: 400,
      code: 'Request_BadRequest',
      message:
        'Unable to update the specified properties for on-premises mastered Directory Sync objects or objects currently undergoing migration.',
    });
    expect((await read(ID.janeSynced, 'onPremisesImmutableId')).onPremisesImmutableId).toBe('g8Pclm4vok+vFWtMERklmg==');
  });

  it('still lets Graph change a property sync does not own', async () => {
    await patch(ID.janeSynced, { userType: 'Guest' });
    expect((await read(ID.janeSynced, 'userType')).userType).toBe('Guest');
  });
});

describe('federated domains and verified UPN suffixes', () => {
  it('refuses an anchor for a federated-domain user until its UPN moves to the initial domain', async () => {
    const failure = await graphFailure(patch(ID.alice, { onPremisesImmutableId: 'alice0123456789abcdefg==' }));
    expect(failure).toMatchObject({ status: 400, code: 'Request_BadRequest' });
    expect(failure.message).toContain("federated domain 'fabrikam.com'");
    expect(failure.message).toContain('contoso.onmicrosoft.com');
    await patch(ID.alice, { userPrincipalName: 'alice@contoso.onmicrosoft.com' });
    await patch(ID.alice, { onPremisesImmutableId: 'alice0123456789abcdefg==' });
    expect((await read(ID.alice, 'onPremisesImmutableId')).onPremisesImmutableId).toBe('alice0123456789abcdefg==');
  });

  it('refuses doing the rename and the anchor in one request (the workaround is two steps)', async () => {
    const failure = await graphFailure(
      patch(ID.alice, { userPrincipalName: 'alice@contoso.onmicrosoft.com', onPremisesImmutableId: 'alice0123456789abcdefg==' }),
    );
    expect(failure.code).toBe('Request_BadRequest');
    expect((await read(ID.alice, 'userPrincipalName')).userPrincipalName).toBe('alice@fabrikam.com');
  });

  it.each(['jdoe@contoso.net', 'jdoe@nowhere.example'])('refuses the unverified UPN suffix of %s', async (upn) => {
    const failure = await graphFailure(patch(ID.jane, { userPrincipalName: upn }));
    expect(failure).toMatchObject({
      status: 400,
      code: 'Request_BadRequest',
      message:
        'The domain portion of the userPrincipalName property is invalid. You must use one of the verified domain names in your organization.',
    });
  });
});

describe('PATCH bodies', () => {
  it('refuses a read-only property and an unknown one, changing nothing', async () => {
    const readOnly = await graphFailure(patch(ID.jane, { displayName: 'X', proxyAddresses: ['SMTP:x@contoso.com'] }));
    expect(readOnly).toMatchObject({ status: 400, message: "Property 'proxyAddresses' is read-only and cannot be set." });
    const unknown = await graphFailure(patch(ID.jane, { favouriteColour: 'blue' }));
    expect(unknown).toMatchObject({ status: 400, code: 'BadRequest' });
    expect((await read(ID.jane, 'displayName')).displayName).toBe('Jane Doe');
  });

  it('answers 404 Request_ResourceNotFound for an unknown user', async () => {
    const failure = await graphFailure(patch('00000000-0000-4000-8000-999999999999', { displayName: 'X' }));
    expect(failure).toMatchObject({ status: 404, code: 'Request_ResourceNotFound' });
  });
});
