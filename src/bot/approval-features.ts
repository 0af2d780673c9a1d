/** What the approval commands and actions share: the service, the store behind it, the cards. */
import type { ApprovalService } from '../approvals/service.ts';
import type { UndoService } from '../approvals/undo.ts';
import type { ApprovalPolicy } from '../domain/approval/types.ts';
import type { AdminDirectory } from '../ports/admin-directory.ts';
import type { AuditTrail } from '../ports/audit-trail.ts';
import type { RequestStore } from '../ports/request-store.ts';
import type { RequestPublisher } from './request-publisher.ts';
import type { RequestViews } from './request-views.ts';

export interface ApprovalFeatures {
  service: ApprovalService;
  undo: UndoService;
  views: RequestViews;
  publisher: RequestPublisher;
  store: RequestStore;
  audit: AuditTrail;
  admins: AdminDirectory;
  policy: ApprovalPolicy;
  now: () => number;
}
