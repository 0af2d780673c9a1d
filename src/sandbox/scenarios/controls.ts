/**
 * Control scenarios: users whose match is fine (or whose input is the problem), so tests and
 * sandbox users see that the bot says "nothing to do" or "which one?" and invents no fix.
 */
import type { Scenario, SeedUserInput, SeedTimes } from './types.ts';
import { AD_ANCHOR, IDS, OU } from './values.ts';

/** A cloud user Entra Connect joined to its AD user long ago and keeps refreshing. */
function syncedUser(
  t: SeedTimes,
  user: { id: string; sam: string; dn: string; name: string; mail: string | null; proxies: string[]; anchor: string },
): SeedUserInput {
  return {
    id: user.id,
    userPrincipalName: `${user.sam}@contoso.com`,
    displayName: user.name,
    mail: user.mail,
    proxyAddresses: user.proxies,
    onPremisesImmutableId: user.anchor,
    onPremisesSyncEnabled: true,
    onPremisesLastSyncDateTime: t.lastSync,
    onPremisesDistinguishedName: user.dn,
    onPremisesSamAccountName: user.sam,
    onPremisesUserPrincipalName: `${user.sam}@contoso.com`,
  };
}

export const disabledAccount: Scenario = {
  id: 'disabled-account',
  domainScenario: null,
  title: 'Control: the AD account is disabled',
  story:
    'Kevin Dorsey left; his AD account is disabled in OU=Disabled Users and his synced cloud account is blocked ' +
    'from sign-in. The match itself is fine: the bot says so and warns that the account is disabled.',
  adUsers: ['kdisabled'],
  cloud: (t) => ({
    users: [
      {
        ...syncedUser(t, {
          id: IDS.kdisabled,
          sam: 'kdisabled',
          dn: 'CN=Kevin Dorsey,OU=Disabled Users,DC=contoso,DC=com',
          name: 'Kevin Dorsey',
          mail: 'kevin.dorsey@contoso.com',
          proxies: ['SMTP:kevin.dorsey@contoso.com', 'smtp:kdisabled@contoso.com'],
          anchor: AD_ANCHOR.kdisabled,
        }),
        accountEnabled: false,
      },
    ],
  }),
  syncNow: { kdisabled: 'UPDATE' },
  matches: [
    {
      who: 'kdisabled',
      samAccountName: 'kdisabled',
      findings: ['ONPREM_DISABLED', 'ALREADY_MATCHED'],
      steps: [],
      end: 'nothing-to-do',
      targetUserId: IDS.kdisabled,
      manual: [],
    },
  ],
};

export const healthyMatch: Scenario = {
  id: 'healthy-match',
  domainScenario: null,
  title: 'Control: a healthy, already matched user',
  story: 'Lena Matthews was matched by Entra Connect on its first sync and has been synced ever since. Nothing to fix.',
  adUsers: ['lmatched'],
  cloud: (t) => ({
    users: [
      syncedUser(t, {
        id: IDS.lmatched,
        sam: 'lmatched',
        dn: `CN=Lena Matthews,${OU.staff}`,
        name: 'Lena Matthews',
        mail: 'lena.matthews@contoso.com',
        proxies: ['SMTP:lena.matthews@contoso.com', 'smtp:lmatched@contoso.com'],
        anchor: AD_ANCHOR.lmatched,
      }),
    ],
  }),
  syncNow: { lmatched: 'UPDATE' },
  matches: [
    {
      who: 'lmatched',
      samAccountName: 'lmatched',
      findings: ['ALREADY_MATCHED'],
      steps: [],
      end: 'nothing-to-do',
      targetUserId: IDS.lmatched,
      manual: [],
    },
  ],
};

export const ambiguousMail: Scenario = {
  id: 'ambiguous-mail',
  domainScenario: null,
  title: 'Control: an address two AD users share',
  story:
    'Sam and Shannon Hale share the mailbox address shared@contoso.com in AD (both have it as mail). Both are synced ' +
    'and matched. `match shared@contoso.com` cannot know which one is meant: the bot lists both and says what to type.',
  adUsers: ['share1', 'share2'],
  cloud: (t) => ({
    users: [
      syncedUser(t, {
        id: IDS.share1,
        sam: 'share1',
        dn: `CN=Sam Hale,${OU.staff}`,
        name: 'Sam Hale',
        mail: 'shared@contoso.com',
        proxies: ['SMTP:shared@contoso.com'],
        anchor: AD_ANCHOR.share1,
      }),
      {
        ...syncedUser(t, {
          id: IDS.share2,
          sam: 'share2',
          dn: `CN=Shannon Hale,${OU.staff}`,
          name: 'Shannon Hale',
          mail: null,
          proxies: [],
          anchor: AD_ANCHOR.share2,
        }),
        onPremisesProvisioningErrors: [
          {
            category: 'PropertyConflict',
            occurredDateTime: t.daysAgo(48),
            propertyCausingError: 'ProxyAddress',
            value: 'SMTP:shared@contoso.com',
          },
        ],
      },
    ],
  }),
  syncNow: { share1: 'UPDATE', share2: 'UPDATE' },
  matches: [
    {
      who: 'shared@contoso.com',
      samAccountName: null,
      findings: ['ONPREM_AMBIGUOUS'],
      steps: [],
      end: 'manual',
      targetUserId: null,
      manual: [],
      blockedMentions: ['match share1', 'match share2'],
    },
  ],
};

const ZOE_DN = 'CN=Zoë (Ops) *Star\\\\ Ødegård,OU=Staff,DC=contoso,DC=com';

export const hostileName: Scenario = {
  id: 'hostile-name',
  domainScenario: null,
  title: 'Control: LDAP, OData and Markdown special characters in names',
  story:
    "Zoë Ødegård's AD name holds parentheses, an asterisk and a backslash, and one of her addresses an apostrophe " +
    "(zoe.o'degard@contoso.com). She is matched and healthy: the look-ups must treat every character as data " +
    '(LDAP-escaped, OData-quoted) and the card must show them as written.',
  adUsers: ['zoe.odegard'],
  cloud: (t) => ({
    users: [
      syncedUser(t, {
        id: IDS.zoe,
        sam: 'zoe.odegard',
        dn: ZOE_DN,
        name: 'Zoë (Ops) *Star\\ Ødegård',
        mail: 'zoe.odegard@contoso.com',
        proxies: ['SMTP:zoe.odegard@contoso.com', 'smtp:zodegard@contoso.com', "smtp:zoe.o'degard@contoso.com"],
        anchor: AD_ANCHOR.zoe,
      }),
    ],
  }),
  syncNow: { 'zoe.odegard': 'UPDATE' },
  matches: [
    {
      who: 'zoe.odegard',
      samAccountName: 'zoe.odegard',
      findings: ['ALREADY_MATCHED'],
      steps: [],
      end: 'nothing-to-do',
      targetUserId: IDS.zoe,
      manual: [],
    },
  ],
};
