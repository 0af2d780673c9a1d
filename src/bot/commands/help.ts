import { helpCard, type CommandHelp } from '../../cards/help-card.ts';
import { cardReply } from '../reply.ts';
import type { Command } from './command.ts';

/**
 * `help`: built from the registry it belongs to (passed as a getter because the registry includes
 * help itself), so the card always lists exactly the commands that answer.
 */
export function createHelpCommand(list: () => { commands: readonly CommandHelp[]; coming: readonly string[] }): Command {
  return {
    name: 'help',
    help: { usage: 'help', summary: 'Shows these commands with examples.', examples: [] },
    run() {
      const { commands, coming } = list();
      return Promise.resolve(cardReply(helpCard({ commands, coming })));
    },
  };
}
