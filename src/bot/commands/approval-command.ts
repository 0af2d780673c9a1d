/** Shared by the approval commands: the features they need, or the card that says what is missing. */
import { noticeCard } from '../../cards/notice-card.ts';
import { isRequestId } from '../../domain/approval/request-id.ts';
import { InputError } from '../../errors/index.ts';
import type { ApprovalFeatures } from '../approval-features.ts';
import type { CommandDeps } from './command.ts';
import { cardReply, type Reply } from '../reply.ts';

export function approvalsOf(deps: CommandDeps): ApprovalFeatures | Reply {
  if (deps.approvals) return deps.approvals;
  return cardReply(
    noticeCard({
      tone: 'warning',
      title: 'Approval is not configured',
      text: 'This bot has no request store: set STORE_URL (default sqlite:./data/hardmatch.db) and ADMIN_GROUP_ID or ADMIN_IDS, then restart.',
    }),
  );
}

/** The request id argument of `<command> <id>`, checked before anything is read. */
export function requestIdArg(command: string, args: string): string {
  const id = args.trim();
  if (id === '') throw new InputError('INPUT_EMPTY', `"${command}" needs a request id, e.g. "${command} r7k3q9".`);
  if (!isRequestId(id))
    throw new InputError('INPUT_INVALID', `"${id.slice(0, 40)}" is not a request id (six letters and digits, e.g. r7k3q9).`, {
      input: id.slice(0, 40),
    });
  return id.toLowerCase();
}
