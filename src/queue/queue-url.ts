/**
 * QUEUE_URL: where the bulk work items are queued. `store` (the default): in the request store
 * itself (STORE_URL), right for one instance or a few on Table Storage; `azure-queues:<connection
 * string>` or `azure-queues:https://<account>.queue.core.windows.net` (the bot's Entra identity):
 * Azure Storage Queues, for several instances. Problems never repeat the value: a connection
 * string holds the account key.
 */

export type QueueTarget = { kind: 'connection-string'; connectionString: string } | { kind: 'endpoint'; endpoint: string };

export type QueueLocation = { kind: 'store' } | { kind: 'azure-queues'; target: QueueTarget };

export type QueueUrlParse = { ok: true; location: QueueLocation } | { ok: false; problem: string };

export const DEFAULT_QUEUE_URL = 'store';

const SHAPE =
  'must be `store`, azure-queues:<connection string> (DefaultEndpointsProtocol=https;AccountName=...;AccountKey=...) or azure-queues:https://<account>.queue.core.windows.net';

export function parseQueueUrl(value: string): QueueUrlParse {
  const trimmed = value.trim();
  if (trimmed === DEFAULT_QUEUE_URL) return { ok: true, location: { kind: 'store' } };
  if (!trimmed.startsWith('azure-queues:')) return { ok: false, problem: SHAPE };
  const rest = trimmed.slice('azure-queues:'.length).trim();
  if (/^https?:\/\//i.test(rest)) {
    if (!URL.canParse(rest) || new URL(rest).protocol !== 'https:')
      return { ok: false, problem: `${SHAPE}; a queue endpoint must be https:// (for Azurite over http use its connection string)` };
    return { ok: true, location: { kind: 'azure-queues', target: { kind: 'endpoint', endpoint: rest.replace(/\/+$/, '') } } };
  }
  const parts = new Map<string, string>();
  for (const element of rest.split(';').filter((e) => e.trim() !== '')) {
    const eq = element.indexOf('=');
    if (eq <= 0) return { ok: false, problem: SHAPE };
    parts.set(element.slice(0, eq).trim().toLowerCase(), element.slice(eq + 1).trim());
  }
  const dev = parts.get('usedevelopmentstorage')?.toLowerCase() === 'true';
  const keyed = parts.has('accountkey') && Boolean(parts.get('accountname'));
  const signed = parts.has('sharedaccesssignature') && parts.has('queueendpoint');
  if (!dev && !keyed && !signed)
    return {
      ok: false,
      problem: `${SHAPE}; a connection string carries AccountName with AccountKey, or SharedAccessSignature with QueueEndpoint`,
    };
  return { ok: true, location: { kind: 'azure-queues', target: { kind: 'connection-string', connectionString: rest } } };
}
