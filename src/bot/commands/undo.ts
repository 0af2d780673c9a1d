/**
 * `undo <request id>`: proposes a new request that reverts the reversible steps the named request
 * did, newest first. It needs its own justification and approval like any other. Given a finished
 * bulk request's id, one bulk undo whose items are the users' undos (bulk/bulk-undo.ts).
 */
import { cardReply } from '../reply.ts';
import type { Command } from './command.ts';
import { approvalsOf, requestIdArg } from './approval-command.ts';

export const undoCommand: Command = {
  name: 'undo',
  help: {
    usage: 'undo <request id>',
    summary:
      'Proposes reverting the reversible steps a request did (newest first); it needs its own approval. With a bulk id (admins only), one request reverts every user the bulk request ran. A purge cannot be undone.',
    examples: ['undo r7k3q9'],
  },
  async run(args, deps, turn) {
    const features = approvalsOf(deps);
    if (!('service' in features)) return features;
    const outcome = await features.undo.propose(requestIdArg('undo', args), turn);
    if (!outcome.ok) return cardReply(await features.views.refusalFor(outcome.refusal));
    return { card: await features.views.cardFor(outcome.request, turn.actor), requestId: outcome.request.id };
  },
};
