/**
 * `approvals` says where new approval requests are posted; `approvals here` (an admin, in a channel
 * or group chat) makes this conversation that place. A 1:1 chat cannot be it: nobody else sees it.
 */
import { approvalsPlaceCard } from '../../cards/approvals-place-card.ts';
import { casPutSetting } from '../../concurrency/cas-update.ts';
import { noticeCard } from '../../cards/notice-card.ts';
import { InputError } from '../../errors/index.ts';
import { approversPlaceKey, type ApproversPlace } from '../approvers-place.ts';
import { cardReply, type Reply } from '../reply.ts';
import type { Turn } from '../turn.ts';
import type { ApprovalFeatures } from '../approval-features.ts';
import type { Command } from './command.ts';
import { approvalsOf } from './approval-command.ts';

export const approvalsCommand: Command = {
  name: 'approvals',
  help: {
    usage: 'approvals [here]',
    summary:
      'Says where new approval requests are posted; "approvals here" (an admin, in a channel or group chat) posts them in this conversation too.',
    examples: ['approvals', 'approvals here'],
  },
  async run(args, deps, turn) {
    const features = approvalsOf(deps);
    if (!('service' in features)) return features;
    const word = args.trim().toLowerCase();
    if (word === '') {
      const place = await features.store.getSetting<ApproversPlace>(approversPlaceKey(turn.tenantId));
      return cardReply(approvalsPlaceCard({ place: place ? placeSummary(place.value) : null }));
    }
    if (word !== 'here') throw new InputError('INPUT_INVALID', `"approvals" takes nothing or "here", not "${args.trim().slice(0, 40)}".`);
    return setHere(features, turn);
  },
};

function placeSummary(place: ApproversPlace) {
  return {
    conversationType: place.conversationType,
    setBy: place.setBy.name,
    setAt: place.setAt,
    ...(place.conversationName ? { conversationName: place.conversationName } : {}),
  };
}

async function setHere(features: ApprovalFeatures, turn: Turn): Promise<Reply> {
  const refuse = (title: string, text: string) => cardReply(noticeCard({ tone: 'error', title, text }));
  if (!features.admins.configured)
    return refuse(
      'Approval is not configured',
      'Set ADMIN_GROUP_ID (an Entra group of admins) or ADMIN_IDS (their object ids), then restart.',
    );
  if (!(await features.admins.isAdmin(turn.actor.aadObjectId)))
    return refuse('Only an admin can choose where approvals go', 'Ask a member of the admin group to type "approvals here".');
  if (turn.conversation.type === 'personal')
    return refuse(
      'Not in a 1:1 chat',
      'Nobody else sees a 1:1 chat. Type "approvals here" in a channel or group chat the bot is in (mention it in a channel).',
    );
  const key = approversPlaceKey(turn.tenantId);
  const place: ApproversPlace = {
    conversationId: turn.conversation.id,
    conversationType: turn.conversation.type,
    ...(turn.conversation.name ? { conversationName: turn.conversation.name } : {}),
    reference: turn.conversation.reference,
    setBy: turn.actor,
    setAt: features.now(),
  };
  if (!(await casPutSetting(features.store, key, place, 5))) throw new Error("could not record the approvers' place");
  return cardReply(approvalsPlaceCard({ place: placeSummary(place) }));
}
