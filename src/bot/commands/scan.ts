/**
 * `scan [<OU DN> | <list of users>]`, or `scan` with a CSV attached in a 1:1 chat: every user of
 * an OU, of a list, or of the whole sync scope, diagnosed like `match` in one pass (the bulk card).
 * Only admins may scan. Changes nothing. The input is checked before anything is read; a scan
 * that ends within `answerWithinMs` answers with its result, a longer one with a progress card
 * that the scan replaces in place as it goes and when it ends.
 */
import { bulkCard } from '../../cards/bulk-card.ts';
import { noticeCard } from '../../cards/notice-card.ts';
import { adminsNotConfigured, notAnAdmin } from '../../domain/approval/refusals.ts';
import { scopeWords } from '../../domain/bulk/types.ts';
import { InputError } from '../../errors/index.ts';
import { MAX_LIST_ENTRIES, MAX_SCAN_MESSAGE, parseScanRequest } from '../../bulk/scan-input.ts';
import type { BulkFeatures } from '../bulk-features.ts';
import type { Command, CommandDeps } from './command.ts';
import { cardReply, type Reply } from '../reply.ts';
import type { Turn } from '../turn.ts';

export const SCAN_NOT_AVAILABLE = {
  title: 'scan is not available',
  text: 'scan reads every AD user through hardmatch-relay and the whole tenant through Microsoft Graph, and keeps its report in the request store: set RELAY_URL and RELAY_KEY, give the bot Graph access, and set ADMIN_GROUP_ID or ADMIN_IDS.',
} as const;

export const scanCommand: Command = {
  name: 'scan',
  remote: true,
  maxLength: MAX_SCAN_MESSAGE,
  help: {
    usage: 'scan [<OU DN> | <users, one per line>]',
    summary: `Diagnoses many AD users at once, like "match" for each: an OU, a list (one sAMAccountName, UPN, mail or DN per line, at most ${MAX_LIST_ENTRIES.toLocaleString('en-US')}; or a CSV with a "user" column attached in a 1:1 chat), or alone the whole sync scope. Counts by outcome, the most common findings and a report to download. Admins only; changes nothing.`,
    examples: ['scan OU=Sales,DC=contoso,DC=com', 'scan\njdoe\nasmith@contoso.com', 'scan'],
  },
  run: runScan,
};

async function runScan(args: string, deps: CommandDeps, turn: Turn): Promise<Reply> {
  const { bulk, approvals } = deps;
  if (!bulk || !approvals) return cardReply(noticeCard({ tone: 'warning', ...SCAN_NOT_AVAILABLE }));
  if (!approvals.admins.configured) return cardReply(await approvals.views.refusalFor(adminsNotConfigured()));
  if (!(await approvals.admins.isAdmin(turn.actor.aadObjectId)))
    return cardReply(await approvals.views.refusalFor(notAnAdmin(turn.actor.name, 'scan')));
  const request = parseScanRequest(args, await attachedCsv(turn, bulk));
  const started = await bulk.runner.start(request, { actor: turn.actor, tenantId: turn.tenantId });
  if (!started.ok) {
    const { holder } = started;
    const since = new Date(holder.startedAt).toISOString().replace(/\.\d+Z$/, 'Z');
    return cardReply(
      noticeCard({
        tone: 'warning',
        title: 'A scan of these users is already running',
        text: `${holder.startedBy.name} started scan ${holder.id} of ${scopeWords(holder.scope)} at ${since}; it has diagnosed ${holder.counters.diagnosed.toLocaleString('en-US')} users so far. Wait for its card, or type "status ${holder.id}".`,
      }),
    );
  }
  bulk.track(started.finished);
  const early = await Promise.race([started.finished, delay(bulk.answerWithinMs)]);
  if (early) return cardReply(bulkCard({ scan: early }));
  return { card: bulkCard({ scan: started.scan }), onPosted: (posted) => bulk.attach(started.scan.id, posted) };
}

/** The CSV attached to the message, read; undefined when none is. */
async function attachedCsv(turn: Turn, bulk: BulkFeatures): Promise<{ name: string; text: string } | undefined> {
  const files = turn.files ?? [];
  if (files.length === 0) return undefined;
  if (files.length > 1) throw new InputError('INPUT_INVALID', `Attach one CSV file per scan; this message has ${files.length}.`);
  const [file] = files;
  if (!file) return undefined;
  if (file.fileType !== 'csv' && !file.name.toLowerCase().endsWith('.csv')) {
    throw new InputError(
      'INPUT_INVALID',
      `"${file.name.slice(0, 80)}" is not a CSV file; attach a .csv with a header row and a "user" column (or sAMAccountName, userPrincipalName, mail, distinguishedName).`,
    );
  }
  return { name: file.name, text: await bulk.readFile(file) };
}

function delay(ms: number): Promise<undefined> {
  return new Promise((resolve) => setTimeout(() => resolve(undefined), ms).unref());
}
