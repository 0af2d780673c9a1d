/** Wires the bot from its dependencies; used by both entry points (production and sandbox). */
import { errorCard } from '../cards/error-card.ts';
import { toUserText } from '../errors/index.ts';
import type { Logger } from '../logging/logger.ts';
import { routeAction } from './actions/index.ts';
import { createRegistry, type CommandRegistry } from './commands/index.ts';
import { HardmatchBot } from './hardmatch-bot.ts';
import type { CloudDirectory } from '../ports/cloud-directory.ts';
import type { RelayClient } from '../ports/relay.ts';
import { route, showsTyping } from './router.ts';
import type { Turn } from './turn.ts';
import { welcomeCard } from '../cards/welcome-card.ts';
import type { WiredApprovals } from './wire-approvals.ts';
import type { BulkFeatures } from './bulk-features.ts';

export interface CreateBotOptions {
  sandbox: boolean;
  logger: Logger;
  /** Omit when RELAY_URL is not configured. */
  relay?: RelayClient;
  /** Omit when no cloud directory is configured (`match` and the guid card then say so). */
  cloud?: CloudDirectory;
  /** The approval flow; omit for a read-only bot (commands then say approval is not configured). */
  approvals?: WiredApprovals;
  /** Scans (`scan`); omit when the relay, the cloud or the store is missing. */
  bulk?: BulkFeatures;
  /** Defaults to every command of this version. */
  registry?: CommandRegistry;
}

export function createBot(options: CreateBotOptions): HardmatchBot {
  const registry = options.registry ?? createRegistry();
  const features = options.approvals?.features;
  const deps = {
    sandbox: options.sandbox,
    logger: options.logger,
    ...(options.relay ? { relay: options.relay } : {}),
    ...(options.cloud ? { cloud: options.cloud } : {}),
    ...(features ? { approvals: features } : {}),
    ...(options.bulk ? { bulk: options.bulk } : {}),
  };
  const approvals = options.approvals;
  const manners = {
    showsTyping: (text: string) => showsTyping(text, registry),
    welcome: (turn: Turn) => welcomeCard({ sandbox: options.sandbox, conversationType: turn.conversation.type }),
    backgroundError: (err: unknown, what: string) => options.logger.warn({ err }, `${what} failed`),
  };
  if (!approvals || !features) return new HardmatchBot({ route: (text, turn) => route(text, registry, deps, turn), ...manners });
  const bulk = options.bulk ? { bulk: { scans: options.bulk.scans, reportLink: options.bulk.reportLink.bind(options.bulk), admins: features.admins } } : {};
  const actionDeps = { sandbox: options.sandbox, approvals: features.service, views: features.views, logger: options.logger, ...bulk };
  return new HardmatchBot({
    ...manners,
    route: (text, turn) => route(text, registry, deps, turn),
    act: (invoke, turn) => routeAction(invoke, turn, actionDeps),
    refuseReplay: (turn) => approvals.refuseReplay(turn),
    errorCard: (err) => {
      options.logger.error({ err }, 'card action failed');
      return errorCard(toUserText(err), { sandbox: options.sandbox });
    },
    posted: (requestId, turn, activityId) => features.publisher.attach(requestId, { conversation: turn.conversation.reference, activityId }),
  });
}
