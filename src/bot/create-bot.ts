/** Wires the bot from its dependencies; used by both entry points (production and sandbox). */
import type { Logger } from '../logging/logger.ts';
import { createRegistry, type CommandRegistry } from './commands/index.ts';
import { HardmatchBot } from './hardmatch-bot.ts';
import type { CloudDirectory, RelayClient } from './ports.ts';
import { route } from './router.ts';

export interface CreateBotOptions {
  sandbox: boolean;
  logger: Logger;
  /** Omit when RELAY_URL is not configured. */
  relay?: RelayClient;
  /** Omit when no cloud directory is configured (`match` and the guid card then say so). */
  cloud?: CloudDirectory;
  /** Defaults to every command of this version. */
  registry?: CommandRegistry;
}

export function createBot(options: CreateBotOptions): HardmatchBot {
  const registry = options.registry ?? createRegistry();
  const deps = {
    sandbox: options.sandbox,
    logger: options.logger,
    ...(options.relay ? { relay: options.relay } : {}),
    ...(options.cloud ? { cloud: options.cloud } : {}),
  };
  return new HardmatchBot({ route: (text) => route(text, registry, deps) });
}
