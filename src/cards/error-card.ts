/** A reply for anything that went wrong: the `toUserText` words and the stable code. */
import type { IAdaptiveCard } from 'adaptivecards/lib/schema.js';
import type { UserText } from '../errors/index.ts';
import { card, heading, notice, text, type BodyElement } from './card-parts.ts';
import { commandList, type CommandHelp } from './help-card.ts';

export interface ErrorCardOptions {
  sandbox: boolean;
  /** A command name we think the admin meant (ours, never their text). */
  suggestion?: string;
  /** List these commands under the error (unknown command, empty message). */
  commands?: readonly CommandHelp[];
}

export const ERROR_NOTICE_ID = 'error-notice';

export function errorCard(userText: UserText, options: ErrorCardOptions): IAdaptiveCard {
  const body: BodyElement[] = [
    { ...notice({ tone: 'error', title: userText.title, text: userText.text, code: userText.code }), id: ERROR_NOTICE_ID },
  ];
  if (options.suggestion) body.push(text(`Did you mean \`${options.suggestion}\`?`, { weight: 'bolder' }));
  if (options.commands && options.commands.length > 0) {
    body.push(heading('Commands'), ...commandList(options.commands));
  }
  return card(body, { sandbox: options.sandbox, speak: userText.title });
}
