/**
 * HTTP transport: restify + botbuilder's CloudAdapter. Thin by design: a Bot Framework request
 * becomes one call on the bot's activity handler; nothing here knows any command.
 */
import type { ActivityHandler, TurnContext } from 'botbuilder';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import restify from 'restify';
import type { BotConfig } from '../config/load-config.ts';
import type { Logger } from '../logging/logger.ts';
import { isAllowedTenant, activityTenant } from './tenant-guard.ts';
import { createTurnErrorHandler } from './turn-error.ts';

export interface CreateServerDeps {
  config: Pick<BotConfig, 'sandbox' | 'botAuth' | 'tenantId'>;
  logger: Logger;
  /** The activity handler every allowed turn is given to. */
  bot: Pick<ActivityHandler, 'run'>;
  version: string;
  /** Largest request body accepted, in bytes (default 1 MB; activities are a few KB). */
  maxBodyBytes?: number;
  /** The adapter to use (the Messenger posts through the same one); default one made from config. */
  adapter?: CloudAdapter;
}

export interface BotServer {
  server: restify.Server;
  /** Listen on `port` (0 picks a free one); resolves to the base URL, e.g. http://localhost:3978. */
  listen(port: number): Promise<string>;
  close(): Promise<void>;
}

export function createServer(deps: CreateServerDeps): BotServer {
  const adapter = deps.adapter ?? createAdapter(deps);
  const server = restify.createServer({ name: 'hardmatch' });
  server.use(restify.plugins.bodyParser({ maxBodySize: deps.maxBodyBytes ?? 1024 * 1024, mapParams: false }));

  server.post('/api/messages', async (req: restify.Request, res: restify.Response) => {
    await adapter.process(req, res, (context) => handleTurn(context, deps));
  });
  server.get('/healthz', (_req: restify.Request, res: restify.Response, next: restify.Next) => {
    res.send(200, { status: 'ok', version: deps.version, sandbox: deps.config.sandbox });
    next();
  });

  return {
    server,
    listen: (port) => listen(server, port),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
      }),
  };
}

/** The CloudAdapter for this configuration; create it first when something else (the Messenger) needs it too. */
export function createAdapter(deps: Pick<CreateServerDeps, 'config' | 'logger'>): CloudAdapter {
  // With no MicrosoftAppId botbuilder accepts anonymous requests; loadConfig only allows that in sandbox mode.
  const auth = new ConfigurationBotFrameworkAuthentication(deps.config.botAuth);
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = createTurnErrorHandler({ logger: deps.logger, sandbox: deps.config.sandbox });
  return adapter;
}

async function handleTurn(context: TurnContext, deps: CreateServerDeps): Promise<void> {
  if (!isAllowedTenant(context.activity, deps.config.tenantId)) {
    deps.logger.warn(
      { tenant: activityTenant(context.activity) ?? '(none)', activityType: context.activity.type },
      'ignored an activity from another tenant',
    );
    return;
  }
  await deps.bot.run(context);
}

function listen(server: restify.Server, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen(port, () => {
      server.removeListener('error', onError);
      const address = server.address();
      resolve(`http://localhost:${address.port}`);
    });
  });
}
