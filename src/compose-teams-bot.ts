/**
 * Part of the composition root (src/compose-bot.ts calls it; tests and benchmarks call it alone for
 * a read-only bot): the Teams bot over its commands and actions. What the commands reach (relay,
 * cloud directory, the approval flow, scans) is handed in; a part left out makes the commands
 * that need it say it is not configured.
 */
import { routeAction } from './bot/actions/index.ts';
import { createRegistry, type CommandRegistry } from './bot/commands/index.ts';
import type { BulkFeatures } from './bot/bulk-features.ts';
import { HardmatchBot } from './bot/hardmatch-bot.ts';
import { route, showsTyping } from './bot/router.ts';
import type { Turn } from './bot/turn.ts';
import { errorCard } from './cards/error-card.ts';
import { welcomeCard, type WelcomeExample } from './cards/welcome-card.ts';
import type { ComposedApprovals } from './compose-approvals.ts';
import { toUserText } from './errors/index.ts';
import type { Logger } from './logging/logger.ts';
import type { CloudDirectory } from './ports/cloud-directory.ts';
import type { RelayClient } from './ports/relay.ts';

export interface CreateBotOptions {
  logger: Logger;
  /** Omit when RELAY_URL is not configured. */
  relay?: Pick<RelayClient, 'lookup'>;
  /** Omit when no cloud directory is configured (`match` and the guid card then say so). */
  cloud?: CloudDirectory;
  /** The approval flow; omit for a read-only bot (commands then say approval is not configured). */
  approvals?: Pick<ComposedApprovals, 'features' | 'refuseReplay'>;
  /** Scans (`scan`); omit when the relay, the cloud or the store is missing. */
  bulk?: BulkFeatures;
  /** Defaults to every command of this version. */
  registry?: CommandRegistry;
  /** The welcome card's example button; default a `guid` conversion. */
  welcomeExample?: WelcomeExample;
}

/** The Teams bot over its commands and actions (also a read-only one, for tests and benchmarks). */
export function createBot(options: CreateBotOptions): HardmatchBot {
  const registry = options.registry ?? createRegistry();
  const features = options.approvals?.features;
  const deps = {
    logger: options.logger,
    ...(options.relay ? { relay: options.relay } : {}),
    ...(options.cloud ? { cloud: options.cloud } : {}),
    ...(features ? { approvals: features } : {}),
    ...(options.bulk ? { bulk: options.bulk } : {}),
  };
  const manners = {
    route: (text: string, turn: Turn) => route(text, registry, deps, turn),
    showsTyping: (text: string) => showsTyping(text, registry),
    welcome: (turn: Turn) =>
      welcomeCard({ conversationType: turn.conversation.type, ...(options.welcomeExample ? { example: options.welcomeExample } : {}) }),
    backgroundError: (err: unknown, what: string) => options.logger.warn({ err }, `${what} failed`),
  };
  const approvals = options.approvals;
  if (!approvals || !features) return new HardmatchBot(manners);
  const bulk = options.bulk
    ? { bulk: { scans: options.bulk.scans, reportLink: options.bulk.reportLink.bind(options.bulk), admins: features.admins } }
    : {};
  const actionDeps = { approvals: features.service, views: features.views, logger: options.logger, ...bulk };
  return new HardmatchBot({
    ...manners,
    act: (invoke, turn) => routeAction(invoke, turn, actionDeps),
    refuseReplay: approvals.refuseReplay,
    errorCard: (err) => {
      options.logger.error({ err }, 'card action failed');
      return errorCard(toUserText(err));
    },
    posted: (requestId, turn, activityId) =>
      features.publisher.attach(requestId, { conversation: turn.conversation.reference, activityId }),
  });
}
