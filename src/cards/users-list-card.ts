/** Several AD users match a name: list them so the admin can pick one precisely. */
import type { IAdaptiveCard } from 'adaptivecards/lib/schema.js';
import type { OnPremUser } from '../domain/onprem-user.ts';
import { buttonRow, card, commandButton, container, escapeMarkdown, facts, text, type BodyElement } from './card-parts.ts';

export interface UsersListCardInput {
  /** What the admin typed. */
  query: string;
  /** The command each button runs on the chosen user, e.g. `guid`. */
  command: string;
  users: readonly OnPremUser[];
  /** More users matched than `users` holds. */
  truncated: boolean;
}

export const TRUNCATED_NOTE_ID = 'truncated-note';
export const USERS_LIST_BUTTONS_ID = 'users-list-buttons';

/** The sAMAccountName, or the DN when several listed users share it (users of different domains). */
export function exactName(user: OnPremUser, all: readonly OnPremUser[]): string {
  const sam = user.samAccountName.toLowerCase();
  return all.filter((u) => u.samAccountName.toLowerCase() === sam).length > 1 ? user.dn : user.samAccountName;
}

export function usersListCard(input: UsersListCardInput): IAdaptiveCard {
  const count = input.truncated ? `More than ${input.users.length}` : `${input.users.length}`;
  const body: BodyElement[] = [
    text(`${count} on-premises users match "${escapeMarkdown(input.query)}"`, { size: 'medium', weight: 'bolder', tone: 'warning' }),
    text('Choose one below, or type its UPN or DN.'),
  ];
  if (input.truncated) {
    body.push(
      text(`Only the first ${input.users.length} are shown; narrow the search to see the rest.`, {
        subtle: true,
        id: TRUNCATED_NOTE_ID,
      }),
    );
  }
  body.push(...input.users.map(userBlock));
  body.push(
    buttonRow(
      input.users.map((u) => commandButton(`${input.command} ${exactName(u, input.users)}`)),
      { id: USERS_LIST_BUTTONS_ID },
    ),
  );
  return card(body, { summary: `${count} users match` });
}

function userBlock(user: OnPremUser): BodyElement {
  return {
    ...container([
      text(escapeMarkdown(user.samAccountName), { weight: 'bolder' }),
      facts([
        ['UPN', user.userPrincipalName ?? '(not set)'],
        ['DN', user.dn],
        ['Enabled', user.enabled ? 'Yes' : 'No'],
      ]),
    ]),
    separator: true,
  };
}
