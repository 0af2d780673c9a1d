/**
 * Scenarios found when `match` was reviewed on tenants outside the catalog: cases where the right
 * plan is less than the usual machinery.
 */
import type { Scenario, ScenarioMatch } from './types.ts';
import { IDS } from './values.ts';

/** `match mnew`: the next sync soft-matches her by itself, so the plan is the sync and the check. */
export const MNEW_MATCH: ScenarioMatch = {
  who: 'mnew',
  samAccountName: 'mnew',
  findings: [],
  steps: ['TRIGGER_DELTA_SYNC', 'VERIFY_JOINED'],
  end: 'joined',
  targetUserId: IDS.mnew,
  manual: [],
};

export const softMatchPending: Scenario = {
  id: 'soft-match-pending',
  domainScenario: null,
  title: 'Correction: the next sync soft-matches the right cloud user by itself',
  story:
    "Mia Newman's mailbox (mnew@contoso.com, primary SMTP mia.newman@contoso.com) was created in the cloud last week; " +
    'her AD account in OU=Staff was created this morning and Entra Connect has not run since. Nothing is broken: the ' +
    'next sync soft-matches her on her primary SMTP address and stamps the anchor. The plan must not set an ImmutableID ' +
    'or touch a tenant switch; it runs the sync and checks the join.',
  adUsers: ['mnew'],
  cloud: () => ({
    users: [
      {
        id: IDS.mnew,
        userPrincipalName: 'mnew@contoso.com',
        displayName: 'Mia Newman',
        mail: 'mia.newman@contoso.com',
        proxyAddresses: ['SMTP:mia.newman@contoso.com', 'smtp:mnew@contoso.com'],
      },
    ],
  }),
  syncNow: { mnew: 'SOFT_MATCH' },
  matches: [MNEW_MATCH],
};
