/**
 * `status [<request id>]`: without an id, my open requests and those waiting for me; with one, that
 * request's card as I may act on it (any admin can pull a request into their own chat this way).
 */
import { statusListCard } from '../../cards/status-list-card.ts';
import { FINAL_STATES, REQUEST_STATES } from '../../domain/approval/types.ts';
import { viewFor } from '../../domain/approval/view.ts';
import { cardReply, type Reply } from '../reply.ts';
import type { Command } from './command.ts';
import { approvalsOf, requestIdArg } from './approval-command.ts';

// A proposed request is only a diagnosis somebody looked at; it is listed once approval is requested.
const OPEN_STATES = REQUEST_STATES.filter((s) => s !== 'proposed' && !FINAL_STATES.includes(s));

export const statusCommand: Command = {
  name: 'status',
  help: {
    usage: 'status [<request id>]',
    summary: 'Without an id: your open requests and those waiting for you. With one: that request, with the buttons you may use.',
    examples: ['status', 'status r7k3q9'],
  },
  async run(args, deps, turn): Promise<Reply> {
    const features = approvalsOf(deps);
    if (!('service' in features)) return features;
    if (args.trim() !== '') {
      const found = await features.service.find(requestIdArg('status', args), turn.tenantId);
      if (!found.ok) return cardReply(await features.views.refusalFor(found.refusal));
      return { card: await features.views.cardFor(found.request, turn.actor), requestId: found.request.id };
    }
    const open = (await features.store.listByState(turn.tenantId, OPEN_STATES)).map((v) => v.value);
    const isAdmin = await features.admins.isAdmin(turn.actor.aadObjectId);
    const me = turn.actor.aadObjectId.toLowerCase();
    const mine = open.filter((r) => (r.requester ?? r.proposedBy).aadObjectId.toLowerCase() === me);
    const waitingForMe = open.filter(
      (r) => !mine.includes(r) && viewFor(r, { aadObjectId: turn.actor.aadObjectId, isAdmin }).actions.some((a) => a !== 'refresh'),
    );
    return cardReply(statusListCard({ mine, waitingForMe, now: features.now() }));
  },
};
