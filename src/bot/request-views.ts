/**
 * The request's card for one viewer (what an Action.Execute or a refresh answers), the shared card
 * every posted copy shows, and refusals on top of the current state. Rules about who sees which
 * buttons are the domain's (`viewFor`); the server enforces them again at every action.
 */
import type { IAdaptiveCard } from 'adaptivecards/lib/schema.js';
import { refusalCard } from '../cards/refusal-card.ts';
import { requestCard, requestSummaryText } from '../cards/request-card.ts';
import { refreshUserIds, viewFor } from '../domain/approval/view.ts';
import type { Actor, ActionVerb, ApprovalPolicy, ApprovalRequest, Refusal } from '../domain/approval/types.ts';
import type { AdminDirectory } from '../ports/admin-directory.ts';
import type { AuditTrail } from '../ports/audit-trail.ts';
import type { OutgoingCard } from '../ports/messenger.ts';

export interface RequestViews {
  cardFor(request: ApprovalRequest, viewer: Actor): Promise<IAdaptiveCard>;
  refusalFor(refusal: Refusal, request?: ApprovalRequest): Promise<IAdaptiveCard>;
  /**
   * What every posted copy shows: the actions anyone might take in this state (the server refuses
   * the ones a user may not), with `refresh.userIds` so Teams fetches each listed user's own view.
   */
  sharedCard(request: ApprovalRequest): Promise<OutgoingCard>;
}

export interface RequestViewsDeps {
  audit: AuditTrail;
  admins: AdminDirectory;
  policy: ApprovalPolicy;
}

/** Actions the shared copy offers per state; each user's refreshed view narrows them. */
function sharedActions(request: ApprovalRequest): ActionVerb[] {
  switch (request.state) {
    case 'proposed':
      return ['requestApproval', 'cancel'];
    case 'requested':
      return ['approve', 'reject', 'cancel'];
    case 'waiting-for-person':
      return ['manualDone'];
    default:
      return [];
  }
}

export function createRequestViews(deps: RequestViewsDeps): RequestViews {
  const render = async (
    request: ApprovalRequest,
    view: { role: 'requester' | 'approver' | 'viewer'; actions: ActionVerb[]; headline: string },
  ): Promise<IAdaptiveCard> => {
    const [trail, adminIds] = await Promise.all([deps.audit.read(request.id), deps.admins.adminIds()]);
    const entries = trail?.entries ?? [];
    return requestCard({
      request,
      view,
      audit: { entries, verdict: trail?.verdict ?? deps.audit.verify(request, entries) },
      refreshUserIds: refreshUserIds(request, adminIds),
      requiredApprovals: deps.policy.requiredApprovals,
    });
  };
  const viewOf = async (request: ApprovalRequest, viewer: Actor) =>
    viewFor(request, { aadObjectId: viewer.aadObjectId, isAdmin: await deps.admins.isAdmin(viewer.aadObjectId) });
  return {
    cardFor: async (request, viewer) => render(request, await viewOf(request, viewer)),
    refusalFor(refusal, request) {
      return Promise.resolve(refusalCard({ code: refusal.code, message: refusal.message, ...(request ? { request } : {}) }));
    },
    async sharedCard(request) {
      const shared = viewFor(request, { aadObjectId: '', isAdmin: false });
      const card = await render(request, { ...shared, role: 'viewer', actions: sharedActions(request) });
      return { card, text: requestSummaryText(request, deps.policy.requiredApprovals) };
    },
  };
}
