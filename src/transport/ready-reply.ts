/**
 * A reply posted as ready-made JSON through the turn's (kept) ConnectorClient, instead of through
 * `conversations.replyToActivity`, whose serializer walks botframework-connector's Activity
 * mappers and whose operation layer adds deserialization on top of the HTTP pipeline: about a
 * millisecond of every reply's path. The request still goes through the client's own pipeline, so
 * everything that matters stays as botbuilder does it: the bot's token from the client's
 * credentials (`ServiceClientContext_Credentials_SignRequest`), retries, user agent, the accept
 * policy. Same URL (`{serviceUrl}/v3/conversations/{conversationId}/activities/{replyToId}`), same
 * `x-ms-conversation-id` header, same body: only activities the mappers would pass on unchanged
 * take this path (`readyJson`); any other goes through botbuilder.
 */
import {
  createHttpHeaders,
  createPipelineRequest,
  RestError,
  type PipelineRequest,
  type PipelineResponse,
} from '@azure/core-rest-pipeline';
import type { Activity, ResourceResponse } from 'botbuilder';

/** The part of a ConnectorClient (botbuilder's ServiceClientContext over core-client) a ready reply uses. */
export interface ReadyClient {
  baseUri: string;
  client: { sendRequest(request: PipelineRequest): Promise<PipelineResponse> };
}

export function isReadyClient(client: unknown): client is ReadyClient {
  const c = client as { baseUri?: unknown; client?: { sendRequest?: unknown } } | undefined;
  return typeof c?.baseUri === 'string' && URL.canParse(c.baseUri) && typeof c.client?.sendRequest === 'function';
}

type Check = (value: unknown) => boolean;
const text: Check = (v) => typeof v === 'string';
const flag: Check = (v) => typeof v === 'boolean';
const plainObject: Check = (v) => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
/** What a mapper of type Object passes on as it is: anything JSON.stringify writes the same. */
const anyValue: Check = (v) => v !== undefined && typeof v !== 'function' && typeof v !== 'symbol' && typeof v !== 'bigint';

/** An object whose every (defined) property is one the mapper knows, of the type it serializes unchanged. */
function shaped(fields: Record<string, Check>): Check {
  return (v) =>
    plainObject(v) &&
    Object.entries(v as Record<string, unknown>).every(
      ([key, value]) => value === undefined || (Object.hasOwn(fields, key) && fields[key]!(value)),
    );
}

// botframework-connector's mappers (ChannelAccount, ConversationAccount, Attachment), the subset of plain types.
const account = shaped({ id: text, name: text, aadObjectId: text, role: text, properties: plainObject });
const conversation = shaped({
  isGroup: flag,
  conversationType: text,
  id: text,
  name: text,
  aadObjectId: text,
  role: text,
  tenantId: text,
  properties: plainObject,
});
const attachment = shaped({ contentType: text, contentUrl: text, content: anyValue, name: text, thumbnailUrl: text });

/** The Activity mapper's plain fields; composite ones (entities, suggested actions, dates...) go through botbuilder. */
const replyActivity = shaped({
  type: text,
  serviceUrl: text,
  channelId: text,
  from: account,
  conversation,
  recipient: account,
  textFormat: text,
  attachmentLayout: text,
  locale: text,
  text,
  speak: text,
  inputHint: text,
  summary: text,
  attachments: (v) => Array.isArray(v) && v.every(attachment),
  channelData: plainObject,
  replyToId: text,
  importance: text,
  deliveryMode: text,
});

/**
 * The body botbuilder's serializer would write for `activity`, or undefined when the activity has
 * anything the serializer changes (drops an unknown field, converts a date, validates a
 * composite): those are left to botbuilder.
 */
export function readyJson(activity: Partial<Activity>): string | undefined {
  return replyActivity(activity) ? JSON.stringify(activity) : undefined;
}

/** The URL botbuilder's replyToActivity operation builds: the path appended to the serviceUrl's, parameters encoded. */
export function replyUrl(serviceUrl: string, conversationId: string, replyToId: string): string {
  const url = new URL(serviceUrl);
  const base = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`;
  url.pathname = `${base}v3/conversations/${encodeURIComponent(conversationId)}/activities/${encodeURIComponent(replyToId)}`;
  return url.toString();
}

/** Posts the reply; a status other than 200/201/202 (the operation's answers) is a RestError, as from botbuilder. */
export async function postReadyReply(
  client: ReadyClient,
  conversationId: string,
  replyToId: string,
  body: string,
): Promise<ResourceResponse> {
  const request = createPipelineRequest({
    url: replyUrl(client.baseUri, conversationId, replyToId),
    method: 'POST',
    body,
    // As botbuilder's ServiceClientContext allows it: plain HTTP only to an http: serviceUrl (sandbox, emulator).
    allowInsecureConnection: client.baseUri.toLowerCase().startsWith('http:'),
    headers: createHttpHeaders({ 'content-type': 'application/json; charset=utf-8', 'x-ms-conversation-id': conversationId }),
  });
  const response = await client.client.sendRequest(request);
  if (response.status !== 200 && response.status !== 201 && response.status !== 202) {
    throw new RestError(`The Bot Connector answered the reply with HTTP ${response.status}`, {
      code: errorCode(response.bodyAsText),
      statusCode: response.status,
      request,
      response,
    });
  }
  return { id: idOf(response.bodyAsText) };
}

function parsed(body: string | null | undefined): unknown {
  if (!body) return undefined;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

function idOf(body: string | null | undefined): string {
  const id = (parsed(body) as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' ? id : '';
}

/** The connector's `{ error: { code } }`, as botbuilder's ErrorResponse mapper reads it. */
function errorCode(body: string | null | undefined): string | undefined {
  const code = (parsed(body) as { error?: { code?: unknown } } | undefined)?.error?.code;
  return typeof code === 'string' ? code : undefined;
}
