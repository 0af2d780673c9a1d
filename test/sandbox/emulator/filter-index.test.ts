/** The listing index narrows, never decides: with it, every filter matches exactly what a full pass matches. */
import { describe, expect, it } from 'vitest';
import { EmulatorState } from '../../../src/sandbox/emulator/state.ts';
import { candidatesFor } from '../../../src/sandbox/emulator/http/filter-index.ts';
import { matchesFilter, parseFilter } from '../../../src/sandbox/emulator/odata-filter.ts';
import { USER_FILTER_SCHEMA, userFilterValue } from '../../../src/sandbox/emulator/routes/user-queries.ts';
import { generateDirectory } from '../../../src/sandbox/generator/generate.ts';

const state = EmulatorState.fromSeed(generateDirectory({ users: 2000, seed: 23 }).tenant);
const users = state.listedUsers('active');
const someone = users[100]!;
const synced = users.find((u) => u.onPremisesImmutableId !== null)!;

const FILTERS = [
  `userPrincipalName eq '${someone.userPrincipalName.toUpperCase()}'`,
  `userPrincipalName in ('${someone.userPrincipalName}', 'nobody@contoso.com', '${users[5]!.userPrincipalName}')`,
  `startswith(userPrincipalName,'A')`,
  `startswith(userPrincipalName,'a') or startswith(userPrincipalName,'_') or startswith(userPrincipalName,'1')`,
  `startswith(userPrincipalName,'jo')`,
  `startswith(userPrincipalName,'JOH')`,
  `startswith(userPrincipalName,'john.')`,
  `startswith(userPrincipalName,'a0') or startswith(userPrincipalName,'a1') or startswith(userPrincipalName,'a2')`,
  `startswith(userPrincipalName,'m') or startswith(userPrincipalName,'ma')`,
  `onPremisesImmutableId eq '${synced.onPremisesImmutableId}'`,
  `onPremisesImmutableId eq '${synced.onPremisesImmutableId!.toLowerCase()}'`,
  `proxyAddresses/any(p:p eq 'smtp:${someone.mail ?? 'x'}')`,
  `proxyAddresses/any(p:startswith(p,'smtp:'))`,
  `mail eq '${someone.mail ?? 'x'}' and startswith(userPrincipalName,'z')`,
  `mail eq null`,
  `userPrincipalName eq '${someone.userPrincipalName}' or mail eq 'x@contoso.com'`,
];

describe('the listing index', () => {
  it.each(FILTERS)('matches what a full pass matches: %s', (text) => {
    const filter = parseFilter(text, USER_FILTER_SCHEMA);
    const matches = (u: (typeof users)[number]): boolean => matchesFilter(filter, (p) => userFilterValue(u, p));
    const full = users.filter(matches).map((u) => u.id);
    const narrowed = (candidatesFor(users, filter, userFilterValue) ?? users).filter(matches).map((u) => u.id);
    expect(narrowed).toEqual(full);
  });

  it('narrows equality and prefixes to a few candidates', () => {
    const eq = candidatesFor(
      users,
      parseFilter(`userPrincipalName eq '${someone.userPrincipalName}'`, USER_FILTER_SCHEMA),
      userFilterValue,
    );
    expect(eq?.length).toBe(1);
    const prefix = candidatesFor(users, parseFilter(`startswith(userPrincipalName,'q')`, USER_FILTER_SCHEMA), userFilterValue);
    expect(prefix!.length).toBeLessThan(users.length / 10);
    // A longer prefix narrows to its own bucket, not to every user sharing the first letter.
    const ja = users.filter((u) => u.userPrincipalName.toLowerCase().startsWith('ja')).length;
    const longer = candidatesFor(users, parseFilter(`startswith(userPrincipalName,'ja')`, USER_FILTER_SCHEMA), userFilterValue);
    expect(ja).toBeGreaterThan(0);
    expect(longer?.length).toBe(ja);
  });
});
