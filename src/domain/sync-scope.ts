/**
 * Entra Connect's OU filtering as configured for Hardmatch (SYNC_SCOPE_OUS): the OUs (or whole
 * domains) that are synchronised, and the OUs below them that are not. As in the Synchronization
 * Service's OU tree, the deepest entry above an object decides: `DC=contoso,DC=com` with
 * `!OU=Not Synced,DC=contoso,DC=com` syncs everything but that OU. Attribute filters in sync rules
 * are not modelled: with them, scope cannot be read from a DN.
 */
import { isWithinBase, parseDn } from './dn.ts';

export interface SyncScope {
  /** DNs of synchronised containers (OUs or domain roots). */
  include: string[];
  /** DNs of containers below an included one that are not synchronised. */
  exclude: string[];
}

/**
 * `SYNC_SCOPE_OUS`: DNs separated by `;` (DNs contain commas), a leading `!` marks an excluded OU.
 * Answers the scope, or the problem with the text (naming the entry).
 */
export function parseSyncScope(text: string): { ok: true; scope: SyncScope } | { ok: false; problem: string } {
  const scope: SyncScope = { include: [], exclude: [] };
  for (const raw of text
    .split(';')
    .map((e) => e.trim())
    .filter((e) => e !== '')) {
    const excluded = raw.startsWith('!');
    const dn = (excluded ? raw.slice(1) : raw).trim();
    const parsed = parseDn(dn);
    if (parsed === undefined || parsed.length === 0)
      return { ok: false, problem: `"${raw}" is not a distinguished name, e.g. OU=Staff,DC=contoso,DC=com` };
    (excluded ? scope.exclude : scope.include).push(dn);
  }
  if (scope.include.length === 0)
    return {
      ok: false,
      problem: 'names no synchronised OU: list at least one DN without "!", e.g. DC=contoso,DC=com;!OU=Not Synced,DC=contoso,DC=com',
    };
  return { ok: true, scope };
}

/** Whether an object at `dn` is in the scope: the deepest entry above it decides. */
export function inSyncScope(dn: string, scope: SyncScope): boolean {
  const depth = (entry: string): number => parseDn(entry)?.length ?? 0;
  const deepest = (entries: readonly string[]): number => Math.max(-1, ...entries.filter((e) => isWithinBase(dn, e)).map(depth));
  const included = deepest(scope.include);
  return included >= 0 && included > deepest(scope.exclude);
}

/** The entry that decides for `dn` (for messages), or null when none is above it. */
export function decidingEntry(dn: string, scope: SyncScope): string | null {
  const all = [...scope.include, ...scope.exclude.map((e) => `!${e}`)].filter((e) => isWithinBase(dn, e.replace(/^!/, '')));
  return all.sort((a, b) => (parseDn(b.replace(/^!/, ''))?.length ?? 0) - (parseDn(a.replace(/^!/, ''))?.length ?? 0))[0] ?? null;
}
