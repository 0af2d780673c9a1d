import { describe, expect, it } from 'vitest';
import { USERS_PAGE_SIZE, usersPageResponseSchema } from '../../../src/relay/protocol/protocol.ts';
import { isUsersPage } from '../../../src/relay/protocol/users-page-check.ts';

const user = (): Record<string, unknown> => ({
  dn: 'CN=J Doe,OU=Staff,DC=contoso,DC=com',
  samAccountName: 'jdoe',
  userPrincipalName: 'jdoe@contoso.com',
  mail: null,
  proxyAddresses: ['SMTP:jdoe@contoso.com', 'smtp:j@contoso.com'],
  displayName: 'J Doe',
  enabled: true,
  objectGuid: '96dcc383-2f6e-4fa2-af15-6b4c1119259a',
  consistencyGuid: null,
  whenChanged: '2026-01-02T03:04:05Z',
  anchor: { attribute: 'objectGUID', guid: '96dcc383-2f6e-4fa2-af15-6b4c1119259a', immutableId: 'g8PclW4vok+vFWtMERklmg==' },
});
const page = (users: unknown[] = [user()], cursor: unknown = 'A'.repeat(32)): Record<string, unknown> => ({ users, cursor });

/** A page with one change to its first user (or to the page itself). */
function variants(): [string, unknown][] {
  const withUser = (change: (u: Record<string, unknown>) => void): unknown => {
    const u = user();
    change(u);
    return page([u]);
  };
  const list: [string, unknown][] = [
    ['a valid page', page()],
    ['the last page', page([user(), user()], null)],
    ['an empty page', page([])],
    ['a full page', page(Array.from({ length: USERS_PAGE_SIZE }, user))],
    ['one user too many', page(Array.from({ length: USERS_PAGE_SIZE + 1 }, user))],
    ['no cursor', { users: [user()] }],
    ['an extra page key', { ...page(), more: true }],
    ['a malformed cursor', page([user()], 'short')],
    ['a cursor that is a number', page([user()], 7)],
    ['users not a list', page({} as unknown as unknown[])],
    ['a user that is a list', page([[]])],
    ['a user that is null', page([null])],
    ['not an object', [page()]],
    ['null', null],
    ['a consistency GUID', withUser((u) => (u.consistencyGuid = '11111111-2222-3333-4444-555555555555'))],
    ['an upper-case GUID', withUser((u) => (u.objectGuid = '96DCC383-2F6E-4FA2-AF15-6B4C1119259A'))],
    ['a GUID without dashes', withUser((u) => (u.consistencyGuid = '96dcc3832f6e4fa2af156b4c1119259a'))],
    ['an extra user key', withUser((u) => (u.extra = 'x'))],
    ['a proxy address that is a number', withUser((u) => (u.proxyAddresses = ['SMTP:a@b.c', 1]))],
    ['enabled as text', withUser((u) => (u.enabled = 'true'))],
    ['the other anchor attribute', withUser((u) => (u.anchor = { ...(u.anchor as object), attribute: 'mS-DS-ConsistencyGuid' }))],
    ['an unknown anchor attribute', withUser((u) => (u.anchor = { ...(u.anchor as object), attribute: 'employeeID' }))],
    ['an extra anchor key', withUser((u) => (u.anchor = { ...(u.anchor as object), extra: 1 }))],
    ['an anchor without its GUID', withUser((u) => delete (u.anchor as Record<string, unknown>).guid)],
    ['an anchor that is null', withUser((u) => (u.anchor = null))],
  ];
  for (const key of Object.keys(user())) {
    list.push([`no ${key}`, withUser((u) => delete u[key])]);
    list.push([`${key} null`, withUser((u) => (u[key] = null))]);
    list.push([`${key} a number`, withUser((u) => (u[key] = 3))]);
    list.push([`${key} undefined`, withUser((u) => (u[key] = undefined))]);
  }
  return list;
}

describe('isUsersPage', () => {
  it.each(variants())('answers as the schema does: %s', (_name, value) => {
    const parsed = usersPageResponseSchema.safeParse(value);
    expect(isUsersPage(value)).toBe(parsed.success);
    if (parsed.success) expect(value).toEqual(parsed.data);
  });

  it('takes a parsed JSON page with a __proto__ key as the schema does', () => {
    const value: unknown = JSON.parse(`{"users":[],"cursor":null,"__proto__":{"cursor":null}}`);
    expect(isUsersPage(value)).toBe(usersPageResponseSchema.safeParse(value).success);
  });
});
