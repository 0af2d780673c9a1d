/** Where new approval requests are posted: the conversation an admin named with `approvals here`. */
import type { PostedCard } from '../domain/approval/types.ts';

export interface ApproversPlace {
  conversationId: string;
  conversationType: string;
  conversationName?: string;
  reference: PostedCard['conversation'];
  setBy: { aadObjectId: string; name: string };
  setAt: number;
}

export function approversPlaceKey(tenantId: string): string {
  return `approvers-place:${tenantId.toLowerCase()}`;
}
