/** `cancel <request id>`: the requester withdraws a request that is not executing. */
import { cardReply } from '../reply.ts';
import type { Command } from './command.ts';
import { approvalsOf, requestIdArg } from './approval-command.ts';

export const cancelCommand: Command = {
  name: 'cancel',
  help: { usage: 'cancel <request id>', summary: 'Withdraws your request while it is not executing.', examples: ['cancel r7k3q9'] },
  async run(args, deps, turn) {
    const features = approvalsOf(deps);
    if (!('service' in features)) return features;
    const outcome = await features.service.act(requestIdArg('cancel', args), { verb: 'cancel' }, turn);
    if (!outcome.ok) return cardReply(await features.views.refusalFor(outcome.refusal, outcome.request));
    return { card: await features.views.cardFor(outcome.request, turn.actor), requestId: outcome.request.id };
  },
};
