/**
 * `match` and `guid` through the real cloud directory module, over HTTPS, against the Entra
 * emulator seeded with test/emulator/graph-harness.ts's tenant: the wiring the bot uses in
 * production, with only the relay faked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGuid } from '../../../src/bot/commands/guid.ts';
import { runMatch } from '../../../src/bot/commands/match.ts';
import { createRegistry } from '../../../src/bot/commands/index.ts';
import { route } from '../../../src/bot/router.ts';
import { ELEMENT_IDS } from '../../../src/cards/guid-card.ts';
import { MATCH_CARD_IDS } from '../../../src/cards/match-card.ts';
import { createCloudDirectory, staticTokenCredential } from '../../../src/cloud-directory/index.ts';
import { createLogger } from '../../../src/logging/logger.ts';
import { ID, startGraph, type Harness } from '../../sandbox/emulator/graph-harness.ts';
import { findById, visibleText } from '../../support/card-query.ts';
import { commandDeps, fakeRelay } from '../../support/fakes.ts';
import { onPremUser } from '../../support/users.ts';

let graph: Harness;
let cloud: ReturnType<typeof createCloudDirectory>;

beforeAll(async () => {
  graph = await startGraph({ port: 0 });
  cloud = createCloudDirectory({
    graphBaseUrl: graph.emulator.url,
    credential: staticTokenCredential('test'),
    logger: createLogger({ level: 'silent' }),
  });
});
afterAll(async () => {
  await graph.close();
});

const jdoe = onPremUser({ userPrincipalName: 'jdoe@contoso.com', mail: 'jdoe@contoso.com', proxyAddresses: ['SMTP:jdoe@contoso.com'] });
const bsmith = onPremUser({
  samAccountName: 'bsmith',
  dn: 'CN=Bob Smith,OU=Staff,DC=contoso,DC=com',
  userPrincipalName: 'bsmith@contoso.com',
  mail: 'bsmith@contoso.com',
  proxyAddresses: ['SMTP:bsmith@contoso.com'],
  objectGuid: '59815f49-920b-4e9d-ad6c-82b53aa4c102',
});

describe('match over the Entra emulator', () => {
  it('finds the synced duplicate holding the anchor next to the cloud-only original (scenario 1)', async () => {
    const { card } = await runMatch('jdoe', commandDeps({ relay: fakeRelay({ users: [jdoe], truncated: false }), cloud }));
    expect(findById(card, MATCH_CARD_IDS.candidate(ID.jane))).toBeDefined();
    expect(findById(card, MATCH_CARD_IDS.candidate(ID.janeSynced))).toBeDefined();
    expect(findById(card, MATCH_CARD_IDS.finding('ANCHOR_HELD_BY_OTHER_USER'))).toBeDefined();
    expect(visibleText(findById(card, MATCH_CARD_IDS.candidate(ID.janeSynced)))).toContain('g8Pclm4vok+vFWtMERklmg==');
    expect(visibleText(card)).toContain('Nothing has been changed.');
  });

  it('finds the anchor in the recycle bin (scenario 2) and plans an IRREVERSIBLE purge', async () => {
    const { card } = await runMatch('bsmith', commandDeps({ relay: fakeRelay({ users: [bsmith], truncated: false }), cloud }));
    expect(findById(card, MATCH_CARD_IDS.finding('ANCHOR_HELD_BY_DELETED_USER'))).toBeDefined();
    expect(visibleText(findById(card, MATCH_CARD_IDS.candidate(ID.bobDeleted)))).toContain(
      'Yes, in the recycle bin since 2026-02-21T09:15:00Z',
    );
    expect(visibleText(card)).toMatch(/Permanently delete bsmith@contoso.com from the recycle bin · automatic, \*\*IRREVERSIBLE\*\*/);
  });

  it('reads the named target through Graph', async () => {
    const { card } = await runMatch(`jdoe to ${ID.jane}`, commandDeps({ relay: fakeRelay({ users: [jdoe], truncated: false }), cloud }));
    expect(visibleText(findById(card, MATCH_CARD_IDS.candidate(ID.jane)))).toContain('named by you after "to"');
  });

  it('answers a target Graph does not know with a card, not a crash', async () => {
    const reply = await route(
      'match jdoe to nobody@contoso.com',
      createRegistry(),
      commandDeps({ relay: fakeRelay({ users: [jdoe], truncated: false }), cloud }),
    );
    expect(findById(reply.card, MATCH_CARD_IDS.finding('NO_CLOUD_CANDIDATE'))).toBeDefined();
    expect(visibleText(reply.card)).toContain('There is no cloud user "nobody@contoso.com"');
  });
});

describe('guid over the Entra emulator', () => {
  it('lists the active and the deleted holders of an ImmutableID', async () => {
    const { card } = await runGuid(
      'SV+BWQuSnU6tbIK1OqTBAg==',
      commandDeps({ relay: fakeRelay({ users: [bsmith], truncated: false }), cloud }),
    );
    const holder = visibleText(findById(card, ELEMENT_IDS.cloudHolder(ID.bobDeleted)));
    expect(holder).toContain('Yes, in the recycle bin since 2026-02-21T09:15:00Z');
    expect(holder).toContain('Synced');
    const { card: jdoeCard } = await runGuid('jdoe', commandDeps({ relay: fakeRelay({ users: [jdoe], truncated: false }), cloud }));
    expect(visibleText(findById(jdoeCard, ELEMENT_IDS.cloudHolder(ID.janeSynced)))).toContain('jdoe1234@contoso.onmicrosoft.com');
  });
});
