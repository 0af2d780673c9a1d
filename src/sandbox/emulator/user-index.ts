/**
 * Who holds an anchor, a UPN, a proxy address: the questions every write and every simulated sync
 * asks, answered from indexes instead of a pass over the tenant, so a delta sync over 50,000 users
 * is linear. Records are mutated in place by the rules, so the index cannot be told of each change;
 * instead every record handed out for writing (or added, or removed) is "touched", a question
 * checks touched records directly against their current values, and `settle` re-indexes them once
 * the write is over (EmulatorState settles after each of its calls). Answers are therefore always
 * those of a full pass: an index entry is only ever a candidate, checked before it is returned.
 */
import { foldCase, proxyKey } from './directory-values.ts';
import type { UserRecord } from './model.ts';

type Key = 'anchor' | 'upn' | 'proxy';

function keysOf(user: UserRecord): Record<Key, string[]> {
  return {
    anchor: user.onPremisesImmutableId === null ? [] : [user.onPremisesImmutableId],
    upn: [foldCase(user.userPrincipalName)],
    proxy: [...new Set(user.proxyAddresses.map(proxyKey))],
  };
}

export class UserIndex {
  readonly #users: ReadonlyMap<string, UserRecord>;
  readonly #touched = new Set<string>();
  #built = false;
  readonly #maps: Record<Key, Map<string, Set<string>>> = { anchor: new Map(), upn: new Map(), proxy: new Map() };
  readonly #indexed = new Map<string, Record<Key, string[]>>();

  constructor(users: ReadonlyMap<string, UserRecord>) {
    this.#users = users;
  }

  /** The record with this id may change (or appear, or go) before the next `settle`. */
  touch(id: string): void {
    this.#touched.add(id);
  }

  /** Re-index what was touched; call when no write is under way. */
  settle(): void {
    if (!this.#built) {
      this.#touched.clear();
      return;
    }
    for (const id of this.#touched) {
      this.#remove(id);
      const user = this.#users.get(id);
      if (user) this.#add(user);
    }
    this.#touched.clear();
  }

  /** Users whose `key` may equal `value` (a superset, touched records included), sorted by id. */
  candidates(key: Key, value: string): UserRecord[] {
    this.#build();
    const ids = new Set([...(this.#maps[key].get(value) ?? []), ...this.#touched]);
    const found: UserRecord[] = [];
    for (const id of ids) {
      const user = this.#users.get(id);
      if (user) found.push(user);
    }
    return found.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  #build(): void {
    if (this.#built) return;
    for (const user of this.#users.values()) this.#add(user);
    this.#built = true;
  }

  #add(user: UserRecord): void {
    const keys = keysOf(user);
    this.#indexed.set(user.id, keys);
    for (const key of ['anchor', 'upn', 'proxy'] as const) {
      for (const value of keys[key]) {
        const ids = this.#maps[key].get(value);
        if (ids) ids.add(user.id);
        else this.#maps[key].set(value, new Set([user.id]));
      }
    }
  }

  #remove(id: string): void {
    const keys = this.#indexed.get(id);
    if (!keys) return;
    this.#indexed.delete(id);
    for (const key of ['anchor', 'upn', 'proxy'] as const) for (const value of keys[key]) this.#maps[key].get(value)?.delete(id);
  }
}
