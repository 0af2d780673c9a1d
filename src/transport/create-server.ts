/**
 * HTTP transport: restify + botbuilder's CloudAdapter. Thin by design: a Bot Framework request
 * becomes one call on the bot's activity handler; nothing here knows any command.
 */
import type { AddressInfo } from 'node:net';
import type { ActivityHandler, TurnContext } from 'botbuilder';
import restify from 'restify';
import type { BotConfig } from '../config/load-config.ts';
import type { Logger } from '../logging/logger.ts';
import { createActivityEndpoint, sendPlain, TransportAdapter } from './activity-endpoint.ts';
import { activityTenant } from '../bot/teams/activity-tenant.ts';
import { cardFrameMiddleware } from '../bot/teams/card-frame.ts';
import type { CardFrame } from '../cards/card-parts.ts';
import { authenticatedIngress, type Ingress } from './ingress.ts';
import { isAllowedTenant } from './tenant-guard.ts';
import { createTurnErrorHandler } from './turn-error.ts';
import { createReportRoute, REPORT_ROUTE, type ReportRouteDeps } from './report-route.ts';

export interface CreateServerDeps {
  config: Pick<BotConfig, 'botAuth' | 'tenantId'>;
  logger: Logger;
  /** Who may post activities; default authenticatedIngress (the sandbox injects its anonymous one). */
  ingress?: Ingress;
  /** Put around every card the bot sends (the sandbox's SANDBOX marker); default none. */
  frame?: CardFrame;
  /** The activity handler every allowed turn is given to. */
  bot: Pick<ActivityHandler, 'run'>;
  version: string;
  /** Largest request body accepted, in bytes (default 1 MB; activities are a few KB). */
  maxBodyBytes?: number;
  /** The adapter to use (the Messenger posts through the same one); default one made from config. */
  adapter?: TransportAdapter;
  /** The Bot Framework channel's OpenID metadata URL (default botbuilder's public-cloud one); a test hook. */
  openIdMetadataUrl?: string;
  /** Serves scan reports (GET /bulk/<id>/report.csv) when scans are wired. */
  reports?: ReportRouteDeps;
}

export interface BotServer {
  server: restify.Server;
  /**
   * Listen on `port` (0 picks a free one) at `host` (default every interface); resolves to the
   * base URL, e.g. http://127.0.0.1:3978 (http://localhost:3978 when listening everywhere).
   */
  listen(port: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

export function createServer(deps: CreateServerDeps): BotServer {
  const adapter = deps.adapter ?? createAdapter(deps);
  const server = restify.createServer({ name: 'hardmatch' });
  server.use(restify.plugins.bodyParser({ maxBodySize: deps.maxBodyBytes ?? 1024 * 1024, mapParams: false }));
  // restify's own refusals (bad JSON, too large, unknown route) get fixed words too: its
  // messages can quote the parser or the request.
  server.on('restifyError', (req: restify.Request, res: restify.Response, err: { statusCode?: unknown }, callback: () => void) => {
    const status = typeof err.statusCode === 'number' ? err.statusCode : 500;
    deps.logger[status >= 500 ? 'error' : 'warn']({ err, method: req.method, path: req.path() }, 'request refused by the HTTP layer');
    sendPlain(res, status);
    callback();
  });

  const ingress = deps.ingress ?? authenticatedIngress;
  const screen = ingress.screen?.bind(ingress);
  server.post(
    '/api/messages',
    createActivityEndpoint({ adapter, ...(screen ? { screen } : {}), logger: deps.logger, logic: (context) => handleTurn(context, deps) }),
  );
  if (deps.reports) server.get(REPORT_ROUTE, createReportRoute(deps.reports));
  server.get('/healthz', (_req: restify.Request, res: restify.Response, next: restify.Next) => {
    res.send(200, { status: 'ok', version: deps.version, sandbox: ingress.anonymous });
    next();
  });

  return {
    server,
    listen: (port, host) => listen(server, port, host),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
      }),
  };
}

/** The adapter for this configuration; create it first when something else (the Messenger) needs it too. */
export function createAdapter(
  deps: Pick<CreateServerDeps, 'config' | 'logger' | 'ingress' | 'frame' | 'openIdMetadataUrl'>,
): TransportAdapter {
  const adapter = new TransportAdapter((deps.ingress ?? authenticatedIngress).authentication(deps.config.botAuth, deps.openIdMetadataUrl));
  adapter.onTurnError = createTurnErrorHandler({ logger: deps.logger });
  if (deps.frame) adapter.use(cardFrameMiddleware(deps.frame));
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

function listen(server: restify.Server, port: number, host: string | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    const onListening = (): void => {
      server.removeListener('error', onError);
      const address = server.address();
      resolve(`http://${urlHost(address)}:${address.port}`);
    };
    if (host === undefined) server.listen(port, onListening);
    else server.listen(port, host, onListening);
  });
}

/** The bound address as a URL host; `localhost` when listening on every interface. */
function urlHost({ address, family }: AddressInfo): string {
  if (address === '::' || address === '0.0.0.0') return 'localhost';
  return family === 'IPv6' ? `[${address}]` : address;
}
