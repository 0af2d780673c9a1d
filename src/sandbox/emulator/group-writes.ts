/**
 * A mail-enabled group's addresses as Exchange Online edits them (`Set-DistributionGroup
 * -EmailAddresses @{Remove=...}`, or the Exchange admin center; Graph cannot write a group's
 * proxyAddresses). Removing the primary address promotes the next alias to primary, as Exchange
 * requires a group to keep one while it has any address.
 */
import { graphErrors } from './graph-errors.ts';
import { copyGroup, type GroupRecord } from './model.ts';
import { foldCase } from './directory-values.ts';
import type { DirectoryStore } from './store.ts';

/** An address without its `smtp:` prefix (either case), lower-case, for comparing. */
function bare(address: string): string {
  return address.replace(/^smtp:/i, '').toLowerCase();
}

/** Removes the addresses (with or without `smtp:`) from the group; throws 404 when there is no such group. */
export function removeGroupAddresses(store: DirectoryStore, id: string, addresses: readonly string[]): GroupRecord {
  const group = store.groups.get(foldCase(id));
  if (!group) throw graphErrors.resourceNotFound(id);
  const gone = new Set(addresses.map(bare));
  const kept = group.proxyAddresses.filter((p) => !gone.has(bare(p)));
  const hasPrimary = kept.some((p) => p.startsWith('SMTP:'));
  const [next] = kept;
  group.proxyAddresses = hasPrimary || next === undefined ? kept : [`SMTP:${bare(next)}`, ...kept.slice(1)];
  const primary = group.proxyAddresses.find((p) => p.startsWith('SMTP:'));
  group.mail = primary ? primary.slice('SMTP:'.length) : null;
  return copyGroup(group);
}
