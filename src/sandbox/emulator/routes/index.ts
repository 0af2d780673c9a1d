/** Every Graph route the emulator serves; literal paths come before `:param` ones they overlap. */
import type { Route } from '../http/router.ts';
import { auditLogRoutes } from './audit-logs.ts';
import { batchRoutes } from './batch.ts';
import { cloudSyncRoutes } from './cloud-sync.ts';
import { deletedItemRoutes } from './deleted-items.ts';
import { directoryRoleRoutes } from './directory-roles.ts';
import { directoryRoutes } from './directory.ts';
import { groupRoutes } from './groups.ts';
import { roleManagementRoutes } from './role-management.ts';
import { userRoutes } from './users.ts';

export const GRAPH_ROUTES: readonly Route[] = [
  ...batchRoutes,
  ...userRoutes,
  ...deletedItemRoutes,
  ...directoryRoutes,
  ...groupRoutes,
  ...directoryRoleRoutes,
  ...roleManagementRoutes,
  ...cloudSyncRoutes,
  ...auditLogRoutes,
];
