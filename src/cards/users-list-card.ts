/** Several AD users match a name: list them so the admin can pick one precisely. */
import type { IAdaptiveCard } from 'adaptivecards/lib/schema.js';
import type { OnPremUser } from '../domain/onprem-user.ts';
import { card, container, escapeMarkdown, facts, text, type BodyElement } from './card-parts.ts';

export interface UsersListCardInput {
  sandbox: boolean;
  /** What the admin typed. */
  query: string;
  users: readonly OnPremUser[];
  /** More users matched than `users` holds. */
  truncated: boolean;
}

export const TRUNCATED_NOTE_ID = 'truncated-note';

export function usersListCard(input: UsersListCardInput): IAdaptiveCard {
  const count = input.truncated ? `More than ${input.users.length}` : `${input.users.length}`;
  const body: BodyElement[] = [
    text(`${count} on-premises users match "${escapeMarkdown(input.query)}"`, { size: 'medium', weight: 'bolder', tone: 'warning' }),
    text('Be more specific: use the sAMAccountName, UPN or DN shown below, e.g. `guid <sAMAccountName>`.'),
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
  return card(body, { sandbox: input.sandbox, speak: `${count} users match` });
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
