/** The `help` card: what works now, with examples, and which commands are still to come. */
import type { IAdaptiveCard } from 'adaptivecards/lib/schema.js';
import { card, codeSpan, container, escapeMarkdown, heading, plainCommands, text, type BodyElement } from './card-parts.ts';

/** How a command presents itself in help. Our own words, shown escaped: `usage` and examples in bold, e.g. **guid <who>**. */
export interface CommandHelp {
  /** e.g. `guid <who>` */
  usage: string;
  summary: string;
  examples: readonly string[];
}

export interface HelpCardInput {
  commands: readonly CommandHelp[];
  /** Names the product reserves but this version does not answer yet. */
  coming: readonly string[];
}

export function helpCard(input: HelpCardInput): IAdaptiveCard {
  const body: BodyElement[] = [
    text('Hardmatch', { size: 'large', weight: 'bolder' }),
    text(
      'Fixes broken matches between on-premises AD users and Entra ID users. Commands are not case-sensitive; in a channel, @mention the bot first.',
      {
        subtle: true,
      },
    ),
    heading('Commands'),
    ...commandList(input.commands),
  ];
  if (input.coming.length > 0) {
    body.push(text(`Coming in a later version: ${input.coming.map(codeSpan).join(', ')}.`, { subtle: true }));
  }
  return card(body, { summary: 'Hardmatch commands' });
}

/** One block per command; also used by error replies that list what can be typed. */
export function commandList(commands: readonly CommandHelp[]): BodyElement[] {
  return commands.map((c) => {
    const items = [text(codeSpan(c.usage)), text(escapeMarkdown(plainCommands(c.summary)))];
    if (c.examples.length > 0) {
      items.push(text(`Examples: ${c.examples.map(codeSpan).join(' · ')}`, { subtle: true }));
    }
    return { ...container(items), spacing: 'medium' };
  });
}
