/**
 * Active Directory over LDAPS, read-only: the relay only binds and searches. Results are our own
 * `OnPremUser`s; every failure is a DirectoryError whose code says what to fix.
 */
import { PresenceFilter, type Client, type Entry } from 'ldapts';
import type { LdapConfig } from '../../config/load-relay-config.ts';
import { isWithinBase } from '../../domain/dn.ts';
import type { LookupResult, SourceAnchorSetting } from '../../domain/onprem-user.ts';
import type { Who } from '../../domain/who.ts';
import type { Logger } from '../../logging/logger.ts';
import type { Directory } from './directory.ts';
import { createLdapConnection, type LdapClientFactory } from './ldap-connection.ts';
import { BINARY_ATTRIBUTES, compareUsers, entryToOnPremUser, USER_ATTRIBUTES } from './ldap-entry.ts';
import { ldapResultCode, toDirectoryError } from './ldap-errors.ts';
import { buildLdapSearch, usersOnly, type LdapSearchPlan } from './ldap-filter.ts';
import { assertPageSize, ouNotFound, scanBase } from './scan-scope.ts';
import type { ScanScope } from '../../ports/snapshot.ts';
import type { OnPremUser } from '../../domain/onprem-user.ts';
import type { LdapConnection } from './ldap-connection.ts';

export type { LdapClientFactory } from './ldap-connection.ts';

export interface LdapDirectoryOptions {
  /** SOURCE_ANCHOR of the relay: decides each user's effective anchor. */
  sourceAnchor: SourceAnchorSetting;
  /** Default: nothing is logged. */
  logger?: Logger;
  /** Default: `new Client(options)` from ldapts. Tests pass a wrapper to count binds. */
  clientFactory?: LdapClientFactory;
}

/**
 * What a DN lookup answers when the DN names nothing: no such object (32), a DN that does not
 * parse (34), or one in another domain, which AD answers with a referral (10). None is a fault
 * of the directory, so the lookup is simply empty.
 */
const DN_NOT_FOUND_CODES = new Set([10, 32, 34]);

function assertLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`lookup limit must be a positive integer, got ${limit}`);
}

async function searchEntries(client: Client, plan: LdapSearchPlan, limit: number, timeoutMs: number): Promise<Entry[]> {
  try {
    const { searchEntries: entries } = await client.search(plan.base, {
      scope: plan.scope,
      filter: plan.filter,
      attributes: [...USER_ATTRIBUTES],
      explicitBufferAttributes: [...BINARY_ATTRIBUTES],
      // One more than asked, so `truncated` is exact. AD honours it (answering sizeLimitExceeded,
      // which ldapts accepts with the entries); Samba ignores it, so the cap is also applied below.
      sizeLimit: limit + 1,
      timeLimit: Math.max(1, Math.ceil(timeoutMs / 1000)),
    });
    return entries;
  } catch (err) {
    if (plan.scope === 'base' && DN_NOT_FOUND_CODES.has(ldapResultCode(err) ?? -1)) return [];
    throw err;
  }
}

interface PagedRead {
  connection: LdapConnection;
  config: LdapConfig;
  sourceAnchor: SourceAnchorSetting;
  scope: ScanScope;
  pageSize: number;
}

/**
 * Every user under the scan base through LDAP paged results (RFC 2696, `SimplePagedResults` in
 * AD), one page per yield. The pages come off one connection (the cookie is bound to it); a
 * base that does not exist is the admin's OU typed wrong, or LDAP_BASE_DN for the whole scope.
 */
async function* pagedUsers(read: PagedRead): AsyncGenerator<OnPremUser[]> {
  const { config, scope } = read;
  assertPageSize(read.pageSize);
  const base = scanBase(scope, config.baseDn) ?? config.baseDn;
  const client = await read.connection.client();
  const pages = client.searchPaginated(base, {
    scope: 'sub',
    filter: usersOnly(),
    attributes: [...USER_ATTRIBUTES],
    explicitBufferAttributes: [...BINARY_ATTRIBUTES],
    paged: { pageSize: read.pageSize },
    timeLimit: Math.max(1, Math.ceil(config.timeoutMs / 1000)),
  });
  try {
    for (;;) {
      const next = await pages.next();
      if (next.done === true) return;
      // Subtree results stay under the base by themselves; checked again on the DN AD returns.
      const entries = next.value.searchEntries.filter((e) => isWithinBase(e.dn, config.baseDn));
      yield entries.map((e) => entryToOnPremUser(e, read.sourceAnchor));
    }
  } catch (err) {
    if (scope.kind === 'ou' && DN_NOT_FOUND_CODES.has(ldapResultCode(err) ?? -1)) throw ouNotFound(scope.dn.trim());
    throw toDirectoryError(err, config, 'search');
  } finally {
    // An abandoned read (the bot stopped asking) ends the generator here, so no page is left pending.
    await pages.return(undefined);
  }
}

export function createLdapDirectory(config: LdapConfig, options: LdapDirectoryOptions): Directory {
  const connection = createLdapConnection(config, {
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.clientFactory ? { clientFactory: options.clientFactory } : {}),
  });
  return {
    kind: 'ldap',
    async lookup(who: Who, limit: number): Promise<LookupResult> {
      assertLimit(limit);
      // LDAP_BASE_DN bounds a DN look-up too: one outside it is "not found" without asking AD, the
      // same answer as a DN that does not exist, so the relay never reads (or confirms) it.
      if (who.kind === 'dn' && !isWithinBase(who.dn, config.baseDn)) return { users: [], truncated: false };
      const plan = buildLdapSearch(who, config.baseDn);
      const found = await connection.run((client) => searchEntries(client, plan, limit, config.timeoutMs));
      // A subtree search stays under the base by itself; a DN read is checked again on the DN AD
      // returns, in case AD parsed the typed DN differently from us.
      const entries = plan.scope === 'base' ? found.filter((e) => isWithinBase(e.dn, config.baseDn)) : found;
      const users = entries.map((e) => entryToOnPremUser(e, options.sourceAnchor)).sort(compareUsers);
      return { users: users.slice(0, limit), truncated: users.length > limit };
    },
    users: (scope, pageSize) => pagedUsers({ connection, config, sourceAnchor: options.sourceAnchor, scope, pageSize }),
    async check(): Promise<void> {
      // Reading the base entry proves the bind, the TLS trust and LDAP_BASE_DN in one round trip.
      await connection.run((client) =>
        client.search(config.baseDn, {
          scope: 'base',
          filter: new PresenceFilter({ attribute: 'objectClass' }),
          attributes: ['distinguishedName'],
          sizeLimit: 1,
        }),
      );
    },
    close: () => connection.close(),
  };
}
