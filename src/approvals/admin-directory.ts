/**
 * The admins: ADMIN_IDS plus the transitive user members of ADMIN_GROUP_ID, read through Graph and
 * cached for `cacheMs` (default one minute), so a removed admin loses the right within a minute and
 * an approval burst costs one Graph read. A failed read is not cached: the next action tries again.
 */
import type { AdminDirectory } from '../ports/admin-directory.ts';

export const ADMIN_CACHE_MS = 60_000;

export interface AdminDirectoryOptions {
  adminIds: readonly string[];
  groupId?: string;
  /** Transitive user members of a group (Graph `/groups/{id}/transitiveMembers/microsoft.graph.user`). */
  groupUserIds?: (groupId: string) => Promise<string[]>;
  cacheMs?: number;
  now?: () => number;
}

export function createAdminDirectory(options: AdminDirectoryOptions): AdminDirectory {
  const listed = options.adminIds.map((id) => id.toLowerCase());
  const now = options.now ?? Date.now;
  const cacheMs = options.cacheMs ?? ADMIN_CACHE_MS;
  let cached: { at: number; ids: Promise<string[]> } | undefined;
  const groupIds = (): Promise<string[]> => {
    const { groupId, groupUserIds } = options;
    if (!groupId || !groupUserIds) return Promise.resolve([]);
    if (cached && now() - cached.at < cacheMs) return cached.ids;
    const ids = groupUserIds(groupId).then((found) => found.map((id) => id.toLowerCase()));
    const entry = { at: now(), ids };
    cached = entry;
    ids.catch(() => {
      if (cached === entry) cached = undefined;
    });
    return ids;
  };
  return {
    configured: listed.length > 0 || Boolean(options.groupId),
    async isAdmin(aadObjectId) {
      const id = aadObjectId.toLowerCase();
      if (id === '') return false;
      if (listed.includes(id)) return true;
      return (await groupIds()).includes(id);
    },
    async adminIds() {
      return [...new Set([...listed, ...(await groupIds())])];
    },
  };
}
