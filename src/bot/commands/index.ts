/** The command registry: every command the router answers, each from its own file. */
import type { Command } from './command.ts';
import { guidCommand } from './guid.ts';
import { createHelpCommand } from './help.ts';
import { approvalsCommand } from './approvals.ts';
import { auditCommand } from './audit.ts';
import { cancelCommand } from './cancel.ts';
import { matchCommand } from './match.ts';
import { statusCommand } from './status.ts';
import { undoCommand } from './undo.ts';
import { scanCommand } from './scan.ts';

export type { Command } from './command.ts';

/**
 * Names the product reserves (product.md) that this version does not answer yet. The router
 * gives them a clear "not available yet" reply instead of treating them as typos.
 */
export const COMING_COMMANDS: readonly string[] = Object.freeze([]);

export interface CommandRegistry {
  /** Keyed by lower-case command name. */
  readonly commands: ReadonlyMap<string, Command>;
  readonly coming: readonly string[];
}

/** `extra` lets tests (and later issues) add commands without touching the router. */
export function createRegistry(extra: readonly Command[] = []): CommandRegistry {
  const commands = new Map<string, Command>();
  const registry: CommandRegistry = { commands, coming: COMING_COMMANDS };
  const help = createHelpCommand(() => ({ commands: [...commands.values()].map((c) => c.help), coming: registry.coming }));
  for (const command of [
    help,
    matchCommand,
    guidCommand,
    statusCommand,
    cancelCommand,
    auditCommand,
    undoCommand,
    approvalsCommand,
    scanCommand,
    ...extra,
  ]) {
    if (commands.has(command.name)) throw new Error(`Command "${command.name}" is registered twice.`);
    commands.set(command.name.toLowerCase(), command);
  }
  return registry;
}
