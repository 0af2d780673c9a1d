/**
 * The sandbox's people: two admins and one non-admin (ADMIN_IDS defaults to the two admins), and
 * the Agents Playground configuration that makes one of them the chat's current user, in the
 * emulated tenant. The Playground has one current user per instance, so the sandbox starts one
 * instance per admin: Adele requests, Ben approves in his own window.
 */
export interface SandboxPerson {
  aadObjectId: string;
  name: string;
  userPrincipalName: string;
  givenName: string;
  surname: string;
  admin: boolean;
}

export const SANDBOX_PEOPLE = {
  adele: {
    aadObjectId: '00000000-0000-4000-8000-0000000000a1',
    name: 'Adele Admin',
    userPrincipalName: 'adele.admin@contoso.com',
    givenName: 'Adele',
    surname: 'Admin',
    admin: true,
  },
  ben: {
    aadObjectId: '00000000-0000-4000-8000-0000000000a2',
    name: 'Ben Approver',
    userPrincipalName: 'ben.approver@contoso.com',
    givenName: 'Ben',
    surname: 'Approver',
    admin: true,
  },
  nina: {
    aadObjectId: '00000000-0000-4000-8000-0000000000c3',
    name: 'Nina NonAdmin',
    userPrincipalName: 'nina.nonadmin@contoso.com',
    givenName: 'Nina',
    surname: 'NonAdmin',
    admin: false,
  },
} as const satisfies Record<string, SandboxPerson>;

export type SandboxPersonKey = keyof typeof SANDBOX_PEOPLE;

/** ADMIN_IDS in the sandbox unless the environment sets ADMIN_IDS or ADMIN_GROUP_ID. */
export const SANDBOX_ADMIN_IDS = Object.values(SANDBOX_PEOPLE)
  .filter((p) => p.admin)
  .map((p) => p.aadObjectId)
  .join(',');

function playgroundUser(person: SandboxPerson) {
  return {
    id: `29:${person.aadObjectId}`,
    name: person.name,
    userPrincipleName: person.userPrincipalName,
    aadObjectId: person.aadObjectId,
    givenName: person.givenName,
    surname: person.surname,
    email: person.userPrincipalName,
  };
}

/**
 * The Playground's configuration file (`.m365agentsplayground.yml`, schema 0.1.1; JSON is YAML):
 * `current` is the chat's user, the others fill its group chat and team (it wants exactly five).
 */
export function playgroundConfig(current: SandboxPersonKey, tenantId: string): Record<string, unknown> {
  const others = (Object.keys(SANDBOX_PEOPLE) as SandboxPersonKey[])
    .filter((k) => k !== current)
    .map((k) => playgroundUser(SANDBOX_PEOPLE[k]));
  const fillers = [1, 2, 3].map((n) => ({
    id: `29:00000000-0000-4000-8000-00000000010${n}`,
    name: `Contoso User ${n}`,
    userPrincipleName: `user${n}@contoso.com`,
    aadObjectId: `00000000-0000-4000-8000-00000000010${n}`,
    givenName: 'Contoso',
    surname: `User ${n}`,
    email: `user${n}@contoso.com`,
  }));
  return {
    version: '0.1.1',
    tenantId,
    bot: { id: '00000000-0000-4000-8000-0000000000b0', name: 'Hardmatch' },
    currentUser: playgroundUser(SANDBOX_PEOPLE[current]),
    users: [...others, ...fillers].slice(0, 5),
    personalChat: { id: `personal-chat-${current}` },
    groupChat: { id: 'group-chat-hardmatch-admins', name: 'Identity admins' },
    team: {
      id: 'team-hardmatch',
      name: 'IT Operations',
      aadGroupId: '00000000-0000-4000-8000-0000000000d0',
      channels: [{ id: 'channel-identity', name: 'Identity' }],
    },
  };
}
