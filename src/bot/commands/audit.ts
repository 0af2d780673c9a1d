/** `audit <request id>`: the request's audit trail, and whether its hash chain verifies. */
import { auditCard } from '../../cards/audit-card.ts';
import { cardReply } from '../reply.ts';
import type { Command } from './command.ts';
import { approvalsOf, requestIdArg } from './approval-command.ts';

export const auditCommand: Command = {
  name: 'audit',
  help: {
    usage: 'audit <request id>',
    summary: 'Every decision, refusal and step of a request (who, when, before and after values), and whether its hash chain verifies.',
    examples: ['audit r7k3q9'],
  },
  async run(args, deps, turn) {
    const features = approvalsOf(deps);
    if (!('service' in features)) return features;
    const found = await features.service.find(requestIdArg('audit', args), turn.tenantId);
    if (!found.ok) return cardReply(await features.views.refusalFor(found.refusal));
    const trail = (await features.audit.read(found.request.id)) ?? { entries: [], verdict: features.audit.verify(found.request, []) };
    return cardReply(auditCard({ request: found.request, entries: trail.entries, verdict: trail.verdict }));
  },
};
