/**
 * The card Hardmatch posts when it is added to a personal chat, a group chat or a team: what it
 * does, that it changes nothing without a second admin's approval, and buttons to start (help and
 * an example, which send the command as if typed).
 */
import type { IAdaptiveCard } from 'adaptivecards/lib/schema.js';
import { buttonRow, card, commandButton, text, type BodyElement } from './card-parts.ts';

export interface WelcomeCardInput {
  /** The example button; default EXAMPLE. */
  example?: WelcomeExample;
  /** Where it was added: in a channel or group chat, commands need an @mention. */
  conversationType: 'personal' | 'groupChat' | 'channel';
}

export const WELCOME_CARD_IDS = { buttons: 'welcome-buttons' } as const;

/** The command the example button sends, and how its title names it: `Try "<label>" (an example)`. */
export interface WelcomeExample {
  command: string;
  label: string;
}

/**
 * The example button: no user name is known to exist in a real tenant, so a `guid` conversion,
 * which works in every tenant (even with the relay down). The sandbox, whose users are known,
 * gives its own (src/sandbox/sandbox-cards.ts).
 */
export const EXAMPLE: WelcomeExample = { command: 'guid 96dcc383-2f6e-4fa2-af15-6b4c1119259a', label: 'guid' };

export const WELCOME_SUMMARY =
  'Hardmatch: diagnoses and fixes broken matches between on-premises AD users and Entra ID users. Type help to start.';

export function welcomeCard(input: WelcomeCardInput): IAdaptiveCard {
  const mention = input.conversationType === 'personal' ? '' : ' Here, @mention Hardmatch before a command.';
  const body: BodyElement[] = [
    text('Hardmatch is here', { size: 'large', weight: 'bolder' }),
    text(
      'I diagnose and fix broken matches between on-premises AD users and Entra ID users: who collides with whom, why the sync did not join them, and the exact plan to fix it. ' +
        'I change nothing until a second admin approves the plan.',
    ),
    text(
      `Try **match** with a sAMAccountName or UPN, e.g. **match jdoe@contoso.com**, or **guid** to convert a GUID or ImmutableID.${mention}`,
    ),
  ];
  const buttons = [commandButton('help', { id: 'welcome-help', title: 'Show the commands (help)' })];
  const example = input.example ?? EXAMPLE;
  buttons.push(commandButton(example.command, { id: 'welcome-example', title: `Try "${example.label}" (an example)` }));
  body.push(buttonRow(buttons, { id: WELCOME_CARD_IDS.buttons }));
  return card(body, { summary: WELCOME_SUMMARY });
}
