/**
 * POST /api/messages: checks the activity's shape, then hands it to botbuilder, and answers every
 * failure with a short fixed text. botbuilder's own messages (`validateAndFixActivity(): missing
 * activity type`, the OpenID metadata URL, stacks) go to the log only: the caller may be anyone.
 */
import { STATUS_CODES } from 'node:http';
import type { Activity, InvokeResponse, ResourceResponse, TurnContext } from 'botbuilder';
import { CloudAdapter } from 'botbuilder';
import type restify from 'restify';
import { z } from 'zod';
import type { Logger } from '../logging/logger.ts';
import { BotAuthFailure } from './bot-auth.ts';
import type { Ingress } from './ingress.ts';
import { isReadyClient, postReadyReply, readyJson } from './ready-reply.ts';

/** The body of every refusal, by status: fixed words, nothing from the request or the error. */
const REFUSALS: Record<number, string> = {
  400: 'Bad request: the body is not a Bot Framework activity.',
  401: 'Unauthorized: the request does not carry a valid Bot Framework token.',
  500: 'Internal error: the activity could not be processed; the bot log has the details.',
  503: 'Service unavailable: the Bot Framework token could not be checked now; try again later.',
};

export function sendPlain(res: restify.Response, status: number, text = REFUSALS[status] ?? STATUS_CODES[status] ?? 'Error'): void {
  res.sendRaw(status, text, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
}

const nonEmpty = z.string().refine((s) => s.trim() !== '', 'must not be empty');
const httpUrl = z.string().refine((s) => URL.canParse(s) && /^https?:$/.test(new URL(s).protocol), 'must be an http(s) URL');
const dateText = z.string().optional();

/** What the bot and botbuilder rely on before any check of their own; everything else passes through. */
const activitySchema = z.looseObject({
  type: nonEmpty,
  serviceUrl: httpUrl,
  conversation: z.looseObject({ id: nonEmpty }),
  from: z.looseObject({ id: z.string().optional() }),
  recipient: z.looseObject({}).optional(),
  id: z.string().optional(),
  channelId: z.string().optional(),
  text: z.string().optional(),
  channelData: z.looseObject({}).optional(),
  entities: z.array(z.unknown()).optional(),
  timestamp: dateText,
  localTimestamp: dateText,
  expiration: dateText,
});

type CheckedActivity = z.infer<typeof activitySchema>;

/** What botbuilder's validateAndFixActivity does once the shape is known good: dates become Dates. */
function withDates(a: CheckedActivity): Activity {
  const out: Record<string, unknown> = { ...a };
  for (const [field, raw] of [
    ['timestamp', 'rawTimestamp'],
    ['localTimestamp', 'rawLocalTimestamp'],
    ['expiration', 'rawExpiration'],
  ] as const) {
    const value = a[field];
    if (value !== undefined) {
      out[raw] = value;
      out[field] = new Date(value);
    }
  }
  return out as unknown as Activity;
}

/**
 * CloudAdapter without `process`'s error writing, which puts botbuilder's messages in the body;
 * a message replying to an activity is posted as ready-made JSON through the turn's connector
 * client (see ready-reply.ts), everything else as botbuilder sends it.
 */
export class TransportAdapter extends CloudAdapter {
  serve(authHeader: string, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(authHeader, activity, logic);
  }

  override async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    if (activities.length === 0) return super.sendActivities(context, activities);
    const responses: ResourceResponse[] = [];
    for (const activity of activities) responses.push(...(await this.#sendOne(context, activity)));
    return responses;
  }

  async #sendOne(context: TurnContext, activity: Partial<Activity>): Promise<ResourceResponse[]> {
    const client: unknown = context.turnState.get(this.ConnectorClientKey);
    const conversationId = activity.conversation?.id;
    const { replyToId } = activity;
    if (activity.type !== 'message' || !replyToId || !conversationId || !isReadyClient(client))
      return super.sendActivities(context, [activity]);
    // As botbuilder's sendActivities: the id is the connector's to give.
    delete activity.id;
    const body = readyJson(activity);
    if (body === undefined) return super.sendActivities(context, [activity]);
    return [await postReadyReply(client, conversationId, replyToId, body)];
  }
}

export interface ActivityEndpointDeps {
  adapter: TransportAdapter;
  /** Refuses an activity before it is authenticated (the sandbox's: replies go only to loopback serviceUrls). */
  screen?: Ingress['screen'];
  logger: Logger;
  logic: (context: TurnContext) => Promise<void>;
}

export function createActivityEndpoint(deps: ActivityEndpointDeps): (req: restify.Request, res: restify.Response) => Promise<void> {
  return async (req, res) => {
    const parsed = activitySchema.safeParse(req.body);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.map(String).join('.') || 'body'}: ${i.message}`);
      deps.logger.warn({ issues, remoteAddress: req.socket.remoteAddress }, 'refused a malformed activity');
      sendPlain(res, 400);
      return;
    }
    const refused = deps.screen?.(parsed.data);
    if (refused) {
      deps.logger.warn({ serviceUrl: parsed.data.serviceUrl, remoteAddress: req.socket.remoteAddress }, refused.log);
      sendPlain(res, refused.status, refused.text);
      return;
    }
    try {
      const invoke = await deps.adapter.serve(req.headers.authorization ?? '', withDates(parsed.data), deps.logic);
      if (invoke?.body === undefined) {
        res.status(invoke?.status ?? 200);
        res.end();
      } else {
        res.send(invoke.status, invoke.body);
      }
    } catch (err) {
      sendPlain(res, failureStatus(err, deps.logger));
    }
  };
}

function failureStatus(err: unknown, logger: Logger): number {
  if (err instanceof BotAuthFailure) {
    const unavailable = err.kind === 'unavailable';
    logger[unavailable ? 'error' : 'warn'](
      { err: err.cause },
      unavailable ? 'could not check a Bot Framework token' : 'refused a request with an invalid Bot Framework token',
    );
    return unavailable ? 503 : 401;
  }
  logger.error({ err }, 'activity processing failed');
  return 500;
}
