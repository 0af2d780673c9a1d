/**
 * The LDAP search for a `Who`, built from ldapts filter objects. Values travel as BER octet
 * strings, never spliced into filter text, so `*`, `(`, `)`, `\` or NUL typed by an admin are
 * matched literally and cannot widen the search. `toString()` of the result escapes them
 * (RFC 4515) for logs and tests; for a display-only escape use ldapts' `Filter.escape`.
 */
import { AndFilter, EqualityFilter, OrFilter, type Filter } from 'ldapts';
import type { Who } from '../../domain/who.ts';

export interface LdapSearchPlan {
  /** Where the search starts: the configured base DN, or the DN itself for a DN lookup. */
  base: string;
  scope: 'base' | 'sub';
  filter: Filter;
}

function equals(attribute: string, value: string | Buffer): EqualityFilter {
  return new EqualityFilter({ attribute, value });
}

/**
 * Only user accounts. Each half alone is too wide: contacts are objectCategory=person, and
 * computers are objectClass=user (the computer class derives from user). Together: users.
 */
export function usersOnly(match?: Filter): AndFilter {
  const filters: Filter[] = [equals('objectCategory', 'person'), equals('objectClass', 'user')];
  if (match) filters.push(match);
  return new AndFilter({ filters });
}

/** The part of the filter that depends on what the admin typed; undefined for a DN lookup. */
export function whoMatchFilter(who: Who): Filter | undefined {
  switch (who.kind) {
    case 'anchor': {
      // A Buffer makes ldapts send the raw 16 bytes (and escape every byte in toString()).
      const bytes = Buffer.from(who.anchor.bytes);
      return new OrFilter({ filters: [equals('objectGUID', bytes), equals('mS-DS-ConsistencyGuid', bytes)] });
    }
    case 'address':
      // proxyAddresses matches case-insensitively in AD, so `smtp:` also finds the primary `SMTP:`.
      return new OrFilter({
        filters: [equals('userPrincipalName', who.address), equals('mail', who.address), equals('proxyAddresses', `smtp:${who.address}`)],
      });
    case 'samAccountName':
      return equals('sAMAccountName', who.name);
    case 'dn':
      return undefined;
  }
}

/** The whole search for `who` under `baseDn`. A DN is looked up by reading that one entry. */
export function buildLdapSearch(who: Who, baseDn: string): LdapSearchPlan {
  if (who.kind === 'dn') return { base: who.dn, scope: 'base', filter: usersOnly() };
  return { base: baseDn, scope: 'sub', filter: usersOnly(whoMatchFilter(who)) };
}
