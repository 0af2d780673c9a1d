/**
 * A directory served from JSON files, for the sandbox and tests. It matches exactly as the LDAP
 * directory does (see `domain/who.ts`): equality only, case-insensitive text, no wildcard ever, so
 * a diagnosis tried in the sandbox behaves as it will against a real AD.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { toGuid } from '../domain/anchors.ts';
import { isWithinBase, parseDn, sameDn } from '../domain/dn.ts';
import { effectiveAnchor } from '../domain/effective-anchor.ts';
import type { LookupResult, OnPremUser, SourceAnchorSetting } from '../domain/onprem-user.ts';
import type { Who } from '../domain/who.ts';
import { DirectoryError } from '../errors/index.ts';
import type { Directory } from '../relay/agent/directory.ts';
import { assertPageSize, ouNotFound, scanBase } from '../relay/agent/scan-scope.ts';
import type { ScanScope } from '../ports/snapshot.ts';

const guid = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a GUID like 96dcc383-2f6e-4fa2-af15-6b4c1119259a')
  .transform((g) => g.toLowerCase());

const fixtureUserSchema = z.strictObject({
  dn: z.string().refine((dn) => (parseDn(dn)?.length ?? 0) > 0, 'must be a DN like CN=John Doe,OU=Staff,DC=contoso,DC=com'),
  samAccountName: z.string().min(1),
  userPrincipalName: z.string().min(1).nullable(),
  mail: z.string().min(1).nullable(),
  proxyAddresses: z.array(z.string().min(1)),
  displayName: z.string().nullable(),
  enabled: z.boolean(),
  objectGuid: guid,
  consistencyGuid: guid.nullable(),
  whenChanged: z.iso.datetime({ message: 'must be an ISO 8601 date-time, e.g. 2025-10-14T08:21:37.000Z' }).nullable(),
});

const fixtureFileSchema = z.array(fixtureUserSchema);

export interface FixtureDirectoryOptions {
  /** SOURCE_ANCHOR of the relay: decides each user's effective anchor. */
  sourceAnchor: SourceAnchorSetting;
  /**
   * LDAP_BASE_DN, when set: as in AD, only users at or below it are found, by any look-up (DN
   * included). Default: every user in the files.
   */
  baseDn?: string;
}

interface Loaded {
  users: OnPremUser[];
}

function fail(message: string, details: Record<string, string | number>, cause?: unknown): DirectoryError {
  return new DirectoryError('DIRECTORY_FAILED', message, { details, ...(cause === undefined ? {} : { cause }) });
}

async function listFiles(dir: string): Promise<string[]> {
  try {
    const names = await readdir(dir);
    return names.filter((n) => n.toLowerCase().endsWith('.json')).sort();
  } catch (err) {
    throw fail(`The fixture directory ${dir} (RELAY_FIXTURES) cannot be read: ${(err as Error).message}.`, { dir }, err);
  }
}

/**
 * One fixture file's content (already JSON-parsed), validated: every user as the schema wants it,
 * no objectGuid twice (`seen` carries the ones of earlier files). `name` is what errors call it.
 */
export function parseFixtureUsers(
  json: unknown,
  name: string,
  sourceAnchor: SourceAnchorSetting,
  seen = new Map<string, string>(),
): OnPremUser[] {
  const parsed = fixtureFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field =
      issue && issue.path.length > 0 ? issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('') : '(top level)';
    throw fail(`Fixture file ${name}: ${field.replace(/^\./, '')}: ${issue?.message ?? 'invalid'}.`, { file: name, field });
  }
  return parsed.data.map((u) => {
    // Two objects with one objectGUID cannot exist in AD; a fixture that has them is a typo.
    const first = seen.get(u.objectGuid);
    if (first !== undefined) {
      throw fail(`Fixture file ${name}: objectGuid ${u.objectGuid} of ${u.samAccountName} is already used by ${first}.`, {
        file: name,
        field: 'objectGuid',
      });
    }
    seen.set(u.objectGuid, `${u.samAccountName} (${name})`);
    return { ...u, anchor: effectiveAnchor(sourceAnchor, u.objectGuid, u.consistencyGuid) };
  });
}

/** The text of one fixture file, parsed as JSON (errors name the file). */
export function parseFixtureJson(text: string, name: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw fail(`Fixture file ${name} is not valid JSON: ${(err as Error).message}.`, { file: name }, err);
  }
}

async function load(dir: string, sourceAnchor: SourceAnchorSetting): Promise<Loaded> {
  const files = await listFiles(dir);
  if (files.length === 0) throw fail(`The fixture directory ${dir} (RELAY_FIXTURES) has no *.json files.`, { dir });
  const users: OnPremUser[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    const json = parseFixtureJson(await readFile(join(dir, file), 'utf8'), file);
    users.push(...parseFixtureUsers(json, file, sourceAnchor, seen));
  }
  return { users };
}

/** Case-insensitive equality, as AD compares these attributes. */
function same(a: string | null, b: string): boolean {
  return a !== null && a.toLowerCase() === b.toLowerCase();
}

/** Proxy addresses carry a type prefix; `smtp:` (either case) is compared without it. */
function proxyMatches(proxy: string, address: string): boolean {
  return same(proxy.replace(/^smtp:/i, ''), address);
}

export function matchesWho(user: OnPremUser, who: Who): boolean {
  switch (who.kind) {
    case 'anchor': {
      const g = toGuid(who.anchor);
      return user.objectGuid === g || user.consistencyGuid === g;
    }
    case 'address':
      return (
        same(user.userPrincipalName, who.address) ||
        same(user.mail, who.address) ||
        user.proxyAddresses.some((p) => proxyMatches(p, who.address))
      );
    case 'samAccountName':
      return same(user.samAccountName, who.name);
    case 'dn':
      return sameDn(user.dn, who.dn);
  }
}

/** Where a fixture directory's users come from: the files, or an in-memory set someone edits. */
export interface FixtureSource {
  /** Every user, as they are now (validated; copies or not, the directory never changes them). */
  users(): Promise<readonly OnPremUser[]>;
}

/**
 * A directory over any fixture source, matching as the LDAP directory does. With `baseDn`, as in
 * AD, only users at or below it are found, by any look-up (DN included).
 */
export function createSourceDirectory(source: FixtureSource, { baseDn }: Pick<FixtureDirectoryOptions, 'baseDn'> = {}): Directory {
  return {
    kind: 'fixtures',
    async lookup(who: Who, limit: number): Promise<LookupResult> {
      const inScope = (u: OnPremUser): boolean => baseDn === undefined || isWithinBase(u.dn, baseDn);
      const matches = (await source.users()).filter((u) => inScope(u) && matchesWho(u, who));
      return { users: matches.slice(0, limit).map(copyUser), truncated: matches.length > limit };
    },
    users: (scope, pageSize) => fixturePages(source, { scope, pageSize, baseDn }),
    async check(): Promise<void> {
      await source.users();
    },
    close(): Promise<void> {
      return Promise.resolve();
    },
  };
}

/**
 * The users under the scan base in pages, as AD's paged search gives them. Fixtures hold no OU
 * objects, so an OU counts as existing when some user lies at or below it; a name nobody lies
 * under is answered as AD answers a base that does not exist.
 */
async function* fixturePages(
  source: FixtureSource,
  options: { scope: ScanScope; pageSize: number; baseDn: string | undefined },
): AsyncGenerator<OnPremUser[]> {
  assertPageSize(options.pageSize);
  const base = scanBase(options.scope, options.baseDn);
  const under = usersUnder(await source.users(), options.baseDn, base);
  if (options.scope.kind === 'ou' && under.length === 0) throw ouNotFound(options.scope.dn.trim());
  for (let i = 0; i < under.length; i += options.pageSize) {
    yield under.slice(i, i + options.pageSize).map(copyUser);
  }
}

/**
 * A copy the caller may change without changing the fixtures: its own address list and anchor.
 * By hand, not structuredClone: a 50,000-user read copies every user, and the generic clone
 * cost the relay more than all its other work (its fields are strings, one list, one object).
 */
function copyUser(user: OnPremUser): OnPremUser {
  return { ...user, proxyAddresses: [...user.proxyAddresses], anchor: { ...user.anchor } };
}

/**
 * Who lies under both bounds. Parsing every DN is what costs (AD's own subtree search has no such
 * cost), so the answer is kept for as long as the source hands out the same array of users.
 */
const UNDER = new WeakMap<readonly OnPremUser[], Map<string, readonly OnPremUser[]>>();

function usersUnder(all: readonly OnPremUser[], baseDn: string | undefined, base: string | undefined): readonly OnPremUser[] {
  const key = `${baseDn ?? ''}\n${base ?? ''}`;
  let known = UNDER.get(all);
  if (!known) UNDER.set(all, (known = new Map<string, readonly OnPremUser[]>()));
  const cached = known.get(key);
  if (cached) return cached;
  const bounds = [...new Set([baseDn, base].filter((b): b is string => b !== undefined))];
  const under = all.filter((u) => bounds.every((b) => isWithinBase(u.dn, b)));
  known.set(key, under);
  return under;
}

/**
 * Serve every `*.json` file in `dir` (each an array of users). Files are read on first use and
 * kept; a broken file is reported on every use (not cached) so fixing it needs no restart.
 */
export function createFixtureDirectory(dir: string, { sourceAnchor, baseDn }: FixtureDirectoryOptions): Directory {
  let loaded: Promise<Loaded> | undefined;
  const users = async (): Promise<OnPremUser[]> => {
    loaded ??= load(dir, sourceAnchor).catch((err: unknown) => {
      loaded = undefined;
      throw err;
    });
    return (await loaded).users;
  };
  return createSourceDirectory({ users }, baseDn === undefined ? {} : { baseDn });
}
