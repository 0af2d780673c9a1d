/** Shared by the transport tests: a bot behind the real HTTP server, and Bot Framework activities. */
import type { ActivityHandler } from 'botbuilder';
import { createBot, type CreateBotOptions } from '../../src/compose-teams-bot.ts';
import type { CommandRegistry } from '../../src/bot/commands/index.ts';
import type { BotConfig } from '../../src/config/load-config.ts';
import { createLogger } from '../../src/logging/logger.ts';
import { sandboxBotOptions } from '../../src/sandbox/sandbox-options.ts';
import { createServer, type BotServer, type CreateServerDeps } from '../../src/transport/create-server.ts';

export interface Running {
  url: string;
  server: BotServer;
  logs: Record<string, unknown>[];
}

export interface StartBotOptions {
  registry?: CommandRegistry;
  ports?: Pick<CreateBotOptions, 'relay' | 'cloud'>;
  /** Replaces the real bot (e.g. one that records the turns it is given). */
  bot?: Pick<ActivityHandler, 'run'>;
  openIdMetadataUrl?: string;
}

export async function startBot(config: Readonly<BotConfig>, options: StartBotOptions = {}): Promise<Running> {
  const logs: Record<string, unknown>[] = [];
  const logger = createLogger({
    level: 'debug',
    destination: { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) },
  });
  // In sandbox mode, what the sandbox composition injects (src/sandbox/sandbox-options.ts): its ingress, frame and welcome example.
  const sandbox = config.sandbox ? sandboxBotOptions() : undefined;
  const bot =
    options.bot ??
    createBot({
      logger,
      ...(options.registry ? { registry: options.registry } : {}),
      ...options.ports,
      ...(sandbox ? { welcomeExample: sandbox.welcomeExample } : {}),
    });
  const deps: CreateServerDeps = {
    config,
    logger,
    bot,
    version: '9.9.9-test',
    ...(sandbox ? { ingress: sandbox.ingress, frame: sandbox.frame } : {}),
  };
  if (options.openIdMetadataUrl) deps.openIdMetadataUrl = options.openIdMetadataUrl;
  const server = createServer(deps);
  const url = await server.listen(0, config.host);
  return { url, server, logs };
}

let activityCounter = 0;
export function messageActivity(serviceUrl: string, text: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  activityCounter += 1;
  return {
    type: 'message',
    id: `activity-${activityCounter}`,
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl,
    from: { id: 'user-1', name: 'Alex Admin', aadObjectId: '00000000-0000-0000-0000-0000000000a1' },
    recipient: { id: 'bot-1', name: 'Hardmatch' },
    conversation: { id: 'conversation-1', conversationType: 'personal' },
    text,
    ...extra,
  };
}

export function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** What no answer to an unauthenticated caller may contain: botbuilder's words, URLs, stack frames. */
export const INTERNAL_TEXT = /validateAndFixActivity|toLowerCase|https?:\/\/|\bat .+:\d+|Error:|openid/i;
