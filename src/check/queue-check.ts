/**
 * A check of `hardmatch check` (after the store): the bulk work items' queues QUEUE_URL names. `store` (the default)
 * keeps them in the request store, checked by the store check. Azure Storage Queues: the bot opens
 * its two queues (`hardmatch-bulk-items` and `hardmatch-bulk-items-poison`, created when absent),
 * which needs the account reachable and the identity allowed to manage queues and messages.
 */
import type { TokenCredential } from '@azure/identity';
import { openWorkQueues, parseQueueUrl } from '../queue/index.ts';
import { bounded, failed, ok, type Outcome, type Report } from './report.ts';

export interface QueueCheckInput {
  queueUrl: string;
  credential: TokenCredential;
  timeoutMs: number;
}

/** What QUEUE_URL points at, never the key of a connection string. */
export function describeQueue(queueUrl: string): string {
  const parsed = parseQueueUrl(queueUrl);
  if (!parsed.ok) return 'QUEUE_URL not understood';
  const { location } = parsed;
  if (location.kind === 'store') return 'in the request store (STORE_URL)';
  if (location.target.kind === 'endpoint')
    return `Azure Storage Queues at ${location.target.endpoint}, signed in with the bot's Entra identity`;
  const endpoint = /(?:^|;)\s*QueueEndpoint=([^;]+)/i.exec(location.target.connectionString)?.[1];
  const account = /(?:^|;)\s*AccountName=([^;]+)/i.exec(location.target.connectionString)?.[1];
  const where = endpoint ?? (account ? `account ${account}` : 'the development storage');
  return `Azure Storage Queues at ${where}, signed in with the connection string (key not shown)`;
}

function statusOf(err: unknown): number | undefined {
  return typeof err === 'object' && err !== null && 'statusCode' in err && typeof err.statusCode === 'number' ? err.statusCode : undefined;
}

function queueFailure(err: unknown, endpointKind: 'endpoint' | 'connection-string'): Outcome {
  const status = statusOf(err);
  const words = err instanceof Error ? err.message.split('\n')[0] : String(err);
  if (status === 403 || status === 401)
    return failed(
      `could not open the bulk work-item queues (HTTP ${status}): ${words}`,
      endpointKind === 'endpoint'
        ? "Give the bot's identity the role Storage Queue Data Contributor on the storage account (infra/azure.bicep assigns it), and allow its network in the account's firewall."
        : 'The account key or SAS in QUEUE_URL is wrong or expired: copy a current connection string from the storage account (Access keys).',
    );
  return failed(
    `could not open the bulk work-item queues${status ? ` (HTTP ${status})` : ''}: ${words}`,
    "Check that QUEUE_URL names the storage account's queue endpoint, that the account exists, and that the bot's network reaches it (storage firewall, private endpoint).",
  );
}

export async function queueSection(input: QueueCheckInput, report: Report): Promise<void> {
  report.section(`Work-item queue (${describeQueue(input.queueUrl)})`);
  const parsed = parseQueueUrl(input.queueUrl);
  if (!parsed.ok) {
    report.outcome(
      failed(`QUEUE_URL ${parsed.problem}`, 'Set QUEUE_URL to `store` or azure-queues:<connection string or https endpoint>.'),
    );
    return;
  }
  const { location } = parsed;
  if (location.kind === 'store') {
    // Nothing to reach: the store check above covers it (the store's queues are settings in the store).
    report.outcome(
      ok('bulk work items are kept in the request store (checked above); set QUEUE_URL=azure-queues:... when several bot instances run.'),
    );
    return;
  }
  try {
    const outcome = await bounded(input.timeoutMs, async () => {
      try {
        // No store needed: azure-queues never keeps messages in it.
        const noStore = { getSetting: () => Promise.resolve(null), putSetting: () => Promise.resolve(null) };
        const queues = await openWorkQueues(input.queueUrl, { store: noStore, credential: input.credential });
        return ok(`opened ${queues.items.name} and ${queues.poison.name} (created when absent).`);
      } catch (err) {
        return queueFailure(err, location.target.kind);
      }
    });
    report.outcome(outcome);
  } catch (err) {
    report.outcome(
      failed(
        `could not open the bulk work-item queues: ${err instanceof Error ? err.message : String(err)}.`,
        "Check that the bot's network reaches the storage account's queue endpoint (QUEUE_URL).",
      ),
    );
  }
}
