/**
 * A reply for anything that went wrong: the `toUserText` words, the stable code and, for a
 * Microsoft Graph failure, Graph's own error code.
 */
import type { IAdaptiveCard } from 'adaptivecards/lib/schema.js';
import { buttonRow, card, codeSpan, commandButton, heading, text, type BodyElement } from './card-parts.ts';
import { commandList, type CommandHelp } from './help-card.ts';
import { problemNotice, type Problem } from './problem.ts';

export interface ErrorCardOptions {
  /**
   * What we think the admin meant to type: our command name, followed by the rest of what they
   * typed. Offered as a button that sends it.
   */
  suggestion?: string;
  /** List these commands under the error (unknown command, empty message). */
  commands?: readonly CommandHelp[];
}

export const ERROR_NOTICE_ID = 'error-notice';
export const ERROR_CARD_IDS = { suggestion: 'error-suggestion', suggestionButton: 'error-suggestion-button' } as const;

/** `problem` is a UserText, optionally with Graph's own error code (see problem.ts). */
export function errorCard(problem: Problem, options: ErrorCardOptions = {}): IAdaptiveCard {
  const body: BodyElement[] = [problemNotice(problem, { id: ERROR_NOTICE_ID })];
  if (options.suggestion) {
    body.push(
      text(`Did you mean ${codeSpan(options.suggestion)}?`, { weight: 'bolder', id: ERROR_CARD_IDS.suggestion }),
      buttonRow([commandButton(options.suggestion)], { id: ERROR_CARD_IDS.suggestionButton }),
    );
  }
  if (options.commands && options.commands.length > 0) {
    body.push(heading('Commands'), ...commandList(options.commands));
  }
  return card(body, { summary: problem.title });
}
