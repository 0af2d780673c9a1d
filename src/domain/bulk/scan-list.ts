/**
 * A scan of a list: each line names one AD user (sAMAccountName, UPN, mail, DN, or any anchor
 * form), classified exactly as `match` classifies what it is given. Resolution happens against the
 * AD users the scan streams anyway (one pass, a map per key), so a list of 5,000 users costs no
 * look-up per line; a line that names nobody, or several users, is reported on its own line and the
 * rest are scanned.
 */
import { isHardmatchError } from '../../errors/index.ts';
import { toGuid } from '../anchors.ts';
import { parseDn } from '../dn.ts';
import { smtpAddresses } from '../cloud.ts';
import type { OnPremUser } from '../onprem-user.ts';
import { classifyWho, type Who } from '../who.ts';

export interface ListEntry {
  /** 1-based line (or CSV record) number, as the admin sees it. */
  line: number;
  input: string;
}

export type ClassifiedEntry = ListEntry & ({ ok: true; who: Who; key: string } | { ok: false; why: string });

/** The lookup key of a DN: its RDNs normalised (case, spaces, escapes), so any spelling of one DN matches. */
export function dnKey(dn: string): string | undefined {
  const parsed = parseDn(dn);
  return parsed === undefined || parsed.length === 0 ? undefined : parsed.map((rdn) => rdn.join('+')).join(',');
}

function keyOf(who: Who): string | undefined {
  switch (who.kind) {
    case 'anchor':
      return `guid:${toGuid(who.anchor)}`;
    case 'dn': {
      const key = dnKey(who.dn);
      return key === undefined ? undefined : `dn:${key}`;
    }
    case 'address':
      return `address:${who.address.toLowerCase()}`;
    case 'samAccountName':
      return `sam:${who.name.toLowerCase()}`;
  }
}

export function classifyEntry(entry: ListEntry): ClassifiedEntry {
  try {
    const who = classifyWho(entry.input);
    const key = keyOf(who);
    return key === undefined
      ? { ...entry, ok: false, why: `"${entry.input.slice(0, 80)}" is not a valid DN.` }
      : { ...entry, ok: true, who, key };
  } catch (err) {
    if (!isHardmatchError(err)) throw err;
    return { ...entry, ok: false, why: err.message };
  }
}

/** Every key an AD user answers to, as `classifyEntry` builds them. */
export function keysOfUser(user: OnPremUser): string[] {
  const keys = [`sam:${user.samAccountName.toLowerCase()}`, `guid:${user.objectGuid.toLowerCase()}`];
  const dn = dnKey(user.dn);
  if (dn) keys.push(`dn:${dn}`);
  if (user.consistencyGuid) keys.push(`guid:${user.consistencyGuid.toLowerCase()}`);
  const addresses = new Set(
    [user.userPrincipalName, user.mail, ...smtpAddresses(user.proxyAddresses)].filter((a): a is string => !!a).map((a) => a.toLowerCase()),
  );
  for (const address of addresses) keys.push(`address:${address}`);
  return keys;
}

/**
 * Matches the list against AD users page by page: `offer` each page as it streams, then `result`
 * says which AD user each line named. Memory is the list plus the users it names, not the directory.
 */
export class ListResolver {
  readonly #wanted = new Map<string, ClassifiedEntry[]>();
  readonly #found = new Map<number, OnPremUser[]>();
  readonly entries: readonly ClassifiedEntry[];

  constructor(entries: readonly ListEntry[]) {
    this.entries = entries.map(classifyEntry);
    for (const e of this.entries) if (e.ok) this.#wanted.set(e.key, [...(this.#wanted.get(e.key) ?? []), e]);
  }

  offer(users: readonly OnPremUser[]): void {
    for (const user of users) {
      for (const key of new Set(keysOfUser(user))) {
        for (const entry of this.#wanted.get(key) ?? []) {
          const found = this.#found.get(entry.line) ?? [];
          if (!found.some((u) => u.dn === user.dn)) found.push(user);
          this.#found.set(entry.line, found);
        }
      }
    }
  }

  /** Per line: the one AD user it names, or why it names none (or several). */
  result(): ({ entry: ListEntry; user: OnPremUser } | { entry: ListEntry; why: string })[] {
    return this.entries.map((e) => {
      const entry = { line: e.line, input: e.input };
      if (!e.ok) return { entry, why: e.why };
      const found = this.#found.get(e.line) ?? [];
      const [only] = found;
      if (found.length === 1 && only) return { entry, user: only };
      if (found.length === 0) return { entry, why: `No AD user in the relay's sync scope is "${e.input.slice(0, 80)}".` };
      return {
        entry,
        why: `"${e.input.slice(0, 80)}" names ${found.length} AD users (${found
          .slice(0, 3)
          .map((u) => u.samAccountName)
          .join(', ')}); give the sAMAccountName or DN.`,
      };
    });
  }
}
