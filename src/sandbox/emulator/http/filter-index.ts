/**
 * Which items of a listing can match a `$filter` at all, from an index of the one property the
 * filter tests, so a query over a 50,000-user listing evaluates the filter on a handful of users
 * instead of all of them: `eq` (and `in`) on a scalar, `startswith` (by the prefix's first
 * PREFIX_KEY_LENGTH characters at most, so a scan's split partitions `aa`, `ab`, ... each look at
 * their own few users, not at every user starting with `a`), and
 * `any(p: p eq ...)` on a collection, alone or combined with `or` (same property) or `and` (either
 * side). Anything else is not narrowed. The filter is still evaluated on every candidate, so the
 * index only ever saves work, never decides a match. One index per listing array and property,
 * built on first use and kept with the listing (EmulatorState hands out one per tenant state).
 */
import { foldCase } from '../directory-values.ts';
import type { Comparison, FilterNode, FilterValue } from '../odata-filter.ts';

interface Probe {
  property: string;
  /** 'prefix': bucket by the first `length` characters; 'value': by the whole value. */
  by: 'prefix' | 'value';
  length: number;
  comparison: Comparison;
  keys: string[];
}

/** Longest prefix a `startswith` index buckets by (one index per length, built when first asked). */
const PREFIX_KEY_LENGTH = 3;

const fold = (value: string, comparison: Comparison): string => (comparison === 'caseInsensitive' ? foldCase(value) : value);

function probe(node: FilterNode, inLambda: string | undefined = undefined): Probe | undefined {
  switch (node.kind) {
    case 'eq': {
      if (node.element !== (inLambda !== undefined) || node.values.some((v) => v === null)) return undefined;
      const keys = (node.values as string[]).map((v) => fold(v, node.comparison));
      return { property: inLambda ?? node.property, by: 'value', length: 0, comparison: node.comparison, keys };
    }
    case 'startsWith': {
      const value = fold(node.value, node.comparison);
      if (node.element !== (inLambda !== undefined) || value === '') return undefined;
      const length = Math.min(value.length, PREFIX_KEY_LENGTH);
      return { property: inLambda ?? node.property, by: 'prefix', length, comparison: node.comparison, keys: [value.slice(0, length)] };
    }
    case 'any':
      return inLambda === undefined ? probe(node.body, node.property) : undefined;
    case 'range':
      // `ge` / `le` alone is not narrowed; beside a startswith (`and`), the startswith's bucket is.
      return undefined;
    case 'and':
      return probe(node.left, inLambda) ?? probe(node.right, inLambda);
    case 'or': {
      const left = probe(node.left, inLambda);
      const right = probe(node.right, inLambda);
      if (!left || !right || left.property !== right.property || left.by !== right.by || left.length !== right.length) return undefined;
      if (left.comparison !== right.comparison) return undefined;
      return { ...left, keys: [...left.keys, ...right.keys] };
    }
  }
}

const INDEXES = new WeakMap<readonly unknown[], Map<string, Map<string, unknown[]>>>();

function indexOf<T>(items: readonly T[], p: Probe, valueOf: (item: T, property: string) => FilterValue): Map<string, T[]> {
  let byProbe = INDEXES.get(items);
  if (!byProbe) INDEXES.set(items, (byProbe = new Map<string, Map<string, unknown[]>>()));
  const name = `${p.by}|${p.length}|${p.comparison}|${p.property}`;
  const known = byProbe.get(name) as Map<string, T[]> | undefined;
  if (known) return known;
  const index = new Map<string, T[]>();
  for (const item of items) {
    const value = valueOf(item, p.property);
    const values = value === null ? [] : typeof value === 'string' ? [value] : value;
    for (const key of new Set(values.map((v) => (p.by === 'prefix' ? fold(v, p.comparison).slice(0, p.length) : fold(v, p.comparison))))) {
      const bucket = index.get(key);
      if (bucket) bucket.push(item);
      else index.set(key, [item]);
    }
  }
  byProbe.set(name, index);
  return index;
}

/** The items that may match, in listing order; undefined when the filter cannot be narrowed. */
export function candidatesFor<T>(
  items: readonly T[],
  filter: FilterNode,
  valueOf: (item: T, property: string) => FilterValue,
): readonly T[] | undefined {
  const p = probe(filter);
  if (!p) return undefined;
  const index = indexOf(items, p, valueOf);
  const found = new Set<T>();
  for (const key of p.keys) for (const item of index.get(key) ?? []) found.add(item);
  // Buckets hold items in listing order; more than one bucket is merged back into it.
  if (p.keys.length === 1) return [...found];
  const position = new Map<T, number>();
  items.forEach((item, i) => found.has(item) && position.set(item, i));
  return [...found].sort((a, b) => (position.get(a) ?? 0) - (position.get(b) ?? 0));
}
