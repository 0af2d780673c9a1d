/** SYNC_SCOPE_OUS: Entra Connect's OU filtering, the deepest entry above an object deciding. */
import { describe, expect, it } from 'vitest';
import { decidingEntry, inSyncScope, parseSyncScope } from '../../src/domain/sync-scope.ts';

const scope = (text: string) => {
  const parsed = parseSyncScope(text);
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.scope;
};

describe('parseSyncScope', () => {
  it('reads included and excluded DNs separated by semicolons', () => {
    expect(scope(' DC=contoso,DC=com ; !OU=Not Synced,DC=contoso,DC=com ')).toEqual({
      include: ['DC=contoso,DC=com'],
      exclude: ['OU=Not Synced,DC=contoso,DC=com'],
    });
  });

  it('refuses a text that is no DN, and a scope with nothing included, naming the entry', () => {
    expect(parseSyncScope('DC=contoso,DC=com;not a dn')).toEqual({
      ok: false,
      problem: expect.stringContaining('"not a dn" is not a distinguished name') as unknown,
    });
    expect(parseSyncScope('!OU=Staff,DC=contoso,DC=com')).toEqual({
      ok: false,
      problem: expect.stringContaining('names no synchronised OU') as unknown,
    });
  });
});

describe('inSyncScope', () => {
  const s = scope('DC=contoso,DC=com;!OU=Not Synced,DC=contoso,DC=com;OU=Back In,OU=Not Synced,DC=contoso,DC=com');

  it('the deepest entry above the object decides', () => {
    expect(inSyncScope('CN=John Doe,OU=Staff,DC=contoso,DC=com', s)).toBe(true);
    expect(inSyncScope('CN=John Doe,OU=Not Synced,DC=contoso,DC=com', s)).toBe(false);
    expect(inSyncScope('CN=John Doe,OU=Back In,OU=Not Synced,DC=contoso,DC=com', s)).toBe(true);
    expect(decidingEntry('CN=John Doe,OU=Not Synced,DC=contoso,DC=com', s)).toBe('!OU=Not Synced,DC=contoso,DC=com');
  });

  it('an object under no listed entry (another forest) is outside, and no entry decides for it', () => {
    expect(inSyncScope('CN=Front Desk,OU=Resources,DC=northwind,DC=local', s)).toBe(false);
    expect(decidingEntry('CN=Front Desk,OU=Resources,DC=northwind,DC=local', s)).toBeNull();
  });

  it('compares DNs as LDAP does: case, spaces after commas, escapes', () => {
    expect(inSyncScope('cn=x, ou=not synced, dc=CONTOSO, dc=com', s)).toBe(false);
    // An escaped comma is part of the name, not a way into OU=Not Synced.
    expect(inSyncScope('CN=a\\,OU=Not Synced,OU=Staff,DC=contoso,DC=com', s)).toBe(true);
  });
});
