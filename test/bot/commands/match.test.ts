import { describe, expect, it } from 'vitest';
import { MATCH_NEEDS_CLOUD, MATCH_NEEDS_RELAY, runMatch } from '../../../src/bot/commands/match.ts';
import { createRegistry } from '../../../src/bot/commands/index.ts';
import type { CloudDirectory } from '../../../src/ports/cloud-directory.ts';
import { route } from '../../../src/bot/router.ts';
import { MATCH_CARD_IDS } from '../../../src/cards/match-card.ts';
import type { CloudEvidence, CloudUser, TenantFacts } from '../../../src/domain/cloud.ts';
import type { LookupResult } from '../../../src/domain/onprem-user.ts';
import { CloudError, InputError, RelayUnavailable } from '../../../src/errors/index.ts';
import { allElements, findById, visibleText } from '../../support/card-query.ts';
import { asSandboxSends, cloudUser, commandDeps, deferred, fakeCloud, fakeRelay, tenantFacts } from '../../support/fakes.ts';
import { onPremUser } from '../../support/users.ts';

const JDOE_ANCHOR = 'g8Pclm4vok+vFWtMERklmg==';
const jdoe = onPremUser({ userPrincipalName: 'jdoe@contoso.com' });
const found: LookupResult = { users: [jdoe], truncated: false };
const joined = cloudUser({
  id: '22222222-2222-4222-8222-222222222222',
  userPrincipalName: 'jdoe@contoso.com',
  immutableId: JDOE_ANCHOR,
  synced: true,
  lastSyncDateTime: '2024-05-01T10:00:00Z',
});

/** Evidence with these candidates (reasons as given), echoing the tenant and target it was asked with. */
function evidenceWith(
  candidates: { user: CloudUser; reasons: CloudEvidence['candidates'][number]['reasons'] }[],
): CloudDirectory['evidenceFor'] {
  return async (_onPrem, context) => ({
    candidates,
    otherObjects: [],
    tenant: await context.tenant,
    ...(context.target ? { target: context.target } : {}),
  });
}

/** Let every already-settled promise callback run. */
const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('match: flow', () => {
  it('diagnoses a healthy, already matched user: ALREADY_MATCHED and nothing to do', async () => {
    const relay = fakeRelay(found);
    const cloud = fakeCloud({ evidenceFor: evidenceWith([{ user: joined, reasons: ['anchor', 'upn'] }]) });
    const { card } = asSandboxSends(await runMatch('jdoe', commandDeps({ relay, cloud })));
    expect(findById(card, MATCH_CARD_IDS.finding('ALREADY_MATCHED'))).toBeDefined();
    expect(visibleText(card)).toContain('Nothing to do');
    expect(visibleText(card)).toContain('SANDBOX');
    expect(allElements(findById(card, MATCH_CARD_IDS.actions)).find((e) => e.type === 'Action.Submit')).toMatchObject({
      data: { command: 'match jdoe', msteams: { type: 'messageBack', text: 'match jdoe', displayText: 'match jdoe' } },
    });
    expect(relay.calls).toEqual([{ who: 'jdoe', limit: undefined }]);
    expect(cloud.calls.map((c) => c.method)).toEqual(['tenantFacts', 'evidenceFor']);
    // The tenant facts go to the evidence read as the promise of them: the look-ups need not wait.
    const [onPremArg, context] = cloud.calls[1]?.args as [unknown, { tenant: Promise<TenantFacts> }];
    expect(onPremArg).toEqual(jdoe);
    expect(await context.tenant).toEqual(tenantFacts());
  });

  it('shows a blocker and the plan for an anchor held by a deleted user', async () => {
    const target = cloudUser({ id: '33333333-3333-4333-8333-333333333333', userPrincipalName: 'jdoe@contoso.com' });
    const holder = cloudUser({
      id: '44444444-4444-4444-8444-444444444444',
      userPrincipalName: '44444444444444448444444444444444jdoe@contoso.com',
      immutableId: JDOE_ANCHOR,
      deletedDateTime: '2024-05-02T09:30:00Z',
    });
    const cloud = fakeCloud({
      evidenceFor: evidenceWith([
        { user: target, reasons: ['upn', 'primarySmtp'] },
        { user: holder, reasons: ['anchor'] },
      ]),
    });
    const { card } = await runMatch('jdoe', commandDeps({ relay: fakeRelay(found), cloud }));
    expect(findById(card, MATCH_CARD_IDS.finding('ANCHOR_HELD_BY_DELETED_USER'))).toBeDefined();
    const text = visibleText(card);
    expect(text).toContain('**1.** Permanently delete jdoe@contoso.com from the recycle bin · automatic, **IRREVERSIBLE**');
    expect(text).toContain("Set the ImmutableID of the cloud user to the AD user's anchor · automatic, reversible");
    expect(text).toContain('Nothing has been changed.');
  });

  it('asks for the named target and passes it to the evidence read', async () => {
    const target = cloudUser({ id: '55555555-5555-4555-8555-555555555555', userPrincipalName: 'john.doe@contoso.com' });
    const cloud = fakeCloud({ findUser: () => Promise.resolve(target) });
    const { card } = await runMatch('jdoe TO john.doe@contoso.com', commandDeps({ relay: fakeRelay(found), cloud }));
    expect(cloud.calls.find((c) => c.method === 'findUser')?.args).toEqual(['john.doe@contoso.com']);
    const context = cloud.calls.find((c) => c.method === 'evidenceFor')?.args[1] as { tenant: Promise<TenantFacts>; target: unknown };
    expect(context.target).toEqual({ requested: 'john.doe@contoso.com', user: target });
    expect(await context.tenant).toEqual(tenantFacts());
    expect(card?.speak).toMatch(/^match jdoe to john\.doe@contoso\.com: /);
  });

  it('gives every Graph call of one match the same deadline, started once', async () => {
    const cloud = fakeCloud();
    await runMatch('jdoe to john.doe@contoso.com', commandDeps({ relay: fakeRelay(found), cloud }));
    expect(cloud.deadlines).toHaveLength(1);
    expect(cloud.calls.map((c) => c.method)).toEqual(['tenantFacts', 'findUser', 'evidenceFor']);
    for (const call of cloud.calls) expect(call.deadline).toBe(cloud.deadlines[0]);
  });

  it('passes a target that does not exist on as null', async () => {
    const cloud = fakeCloud();
    await runMatch('jdoe to nobody@contoso.com', commandDeps({ relay: fakeRelay(found), cloud }));
    expect(cloud.calls.find((c) => c.method === 'evidenceFor')?.args[1]).toMatchObject({
      target: { requested: 'nobody@contoso.com', user: null },
    });
  });

  it('starts the AD look-up, the tenant facts and the target look-up together; the evidence read after the AD user', async () => {
    const lookup = deferred<LookupResult>();
    const facts = deferred<TenantFacts>();
    const targetUser = deferred<CloudUser | null>();
    const relay = fakeRelay(() => lookup.promise);
    const cloud = fakeCloud({ tenantFacts: () => facts.promise, findUser: () => targetUser.promise });
    const running = runMatch('jdoe to john.doe@contoso.com', commandDeps({ relay, cloud }));
    await flush();
    // Nothing has resolved yet, and all three independent look-ups are already under way.
    expect(relay.calls).toHaveLength(1);
    expect(cloud.calls.map((c) => c.method)).toEqual(['tenantFacts', 'findUser']);
    facts.resolve(tenantFacts());
    targetUser.resolve(null);
    await flush();
    expect(cloud.calls.map((c) => c.method)).not.toContain('evidenceFor');
    lookup.resolve(found);
    const { card } = await running;
    expect(cloud.calls.map((c) => c.method)).toEqual(['tenantFacts', 'findUser', 'evidenceFor']);
    expect(findById(card, MATCH_CARD_IDS.subject)).toBeDefined();
    expect(card?.speak).toMatch(/^match jdoe to john\.doe@contoso\.com: /);
  });

  it('starts the evidence read as soon as the AD user is known, while cold tenant facts are still being read', async () => {
    const facts = deferred<TenantFacts>();
    const cloud = fakeCloud({ tenantFacts: () => facts.promise });
    const running = runMatch('jdoe', commandDeps({ relay: fakeRelay(found), cloud }));
    await flush();
    expect(cloud.calls.map((c) => c.method)).toEqual(['tenantFacts', 'evidenceFor']);
    facts.resolve(tenantFacts());
    expect(findById((await running).card, MATCH_CARD_IDS.onPrem)).toBeDefined();
  });

  it('answers an ambiguous AD user without waiting for the tenant facts, and without their error', async () => {
    const facts = deferred<TenantFacts>();
    const users = [onPremUser({ samAccountName: 'share1' }), onPremUser({ samAccountName: 'share2' })];
    const cloud = fakeCloud({ tenantFacts: () => facts.promise });
    const { card } = await runMatch('shared@contoso.com', commandDeps({ relay: fakeRelay({ users, truncated: false }), cloud }));
    expect(findById(card, MATCH_CARD_IDS.finding('ONPREM_AMBIGUOUS'))).toBeDefined();
    facts.reject(graphDenied());
    await flush();
  });

  it('passes LDAP and OData special characters to the relay and the cloud as typed', async () => {
    const relay = fakeRelay(found);
    const cloud = fakeCloud();
    await route("match o'brien*)(uid=*) to o'brien@contoso.com", createRegistry(), commandDeps({ relay, cloud }));
    expect(relay.calls[0]?.who).toBe("o'brien*)(uid=*)");
    expect(cloud.calls.find((c) => c.method === 'findUser')?.args).toEqual(["o'brien@contoso.com"]);
  });
});

describe('match: when the AD user is not exactly one', () => {
  it('says nobody matches and what to type, without reading the cloud evidence', async () => {
    const cloud = fakeCloud();
    const { card } = await runMatch('nobody', commandDeps({ relay: fakeRelay({ users: [], truncated: false }), cloud }));
    const text = visibleText(card);
    expect(findById(card, MATCH_CARD_IDS.finding('ONPREM_NOT_FOUND'))).toBeDefined();
    expect(text).toContain('No AD user matches "nobody".');
    expect(text).toContain('**match jdoe@contoso.com**');
    expect(cloud.calls.map((c) => c.method)).toEqual(['tenantFacts']);
  });

  it('offers the ambiguous users as match <sAMAccountName> buttons', async () => {
    const users = [
      onPremUser({ samAccountName: 'share1', dn: 'CN=Share One,DC=contoso,DC=com' }),
      onPremUser({ samAccountName: 'share2', dn: 'CN=Share Two,DC=contoso,DC=com' }),
    ];
    const { card } = await runMatch(
      'shared@contoso.com',
      commandDeps({ relay: fakeRelay({ users, truncated: false }), cloud: fakeCloud() }),
    );
    expect(findById(card, MATCH_CARD_IDS.finding('ONPREM_AMBIGUOUS'))).toBeDefined();
    const text = visibleText(card);
    expect(text).toContain('2 AD users match "shared@contoso.com": choose one below.');
    const buttons = allElements(findById(card, MATCH_CARD_IDS.onPrem)).filter((e) => e.type === 'Action.Submit');
    expect(buttons.map((b) => (b.data as { command: string }).command)).toEqual(['match share1', 'match share2']);
  });
});

describe('match: when a part is missing or failing', () => {
  it('needs the relay: an error card, nothing asked', async () => {
    const cloud = fakeCloud();
    const { card } = await runMatch('jdoe', commandDeps({ cloud }));
    const text = visibleText(card);
    expect(text).toContain(MATCH_NEEDS_RELAY.title);
    expect(text).toContain('RELAY\\_URL and RELAY\\_KEY');
    expect(JSON.stringify(card)).toContain('"color":"attention"');
    expect(cloud.calls).toEqual([]);
  });

  it('says the cloud check is not configured when there is no Graph', async () => {
    const relay = fakeRelay(found);
    const { card } = await runMatch('jdoe', commandDeps({ relay }));
    const text = visibleText(card);
    expect(text).toContain(MATCH_NEEDS_CLOUD.title);
    expect(text).toContain('AZURE\\_TENANT\\_ID');
    expect(relay.calls).toEqual([]);
  });

  it('shows a relay failure as an error card with its code', async () => {
    const relay = fakeRelay(new RelayUnavailable('RELAY_UNAVAILABLE', 'Could not connect to https://relay.contoso.com.'));
    const cloud = fakeCloud();
    const text = visibleText((await route('match jdoe', createRegistry(), commandDeps({ relay, cloud }))).card);
    expect(text).toContain('The on-premises relay could not be reached');
    expect(text).toContain('RELAY\\_UNAVAILABLE');
    expect(cloud.calls.map((c) => c.method)).not.toContain('evidenceFor');
  });

  it.each([
    ['tenant facts', { tenantFacts: () => Promise.reject(graphDenied()) }],
    ['evidence', { evidenceFor: () => Promise.reject(graphDenied()) }],
  ] as const)("shows a Graph failure reading the %s as an error card with Graph's code", async (_what, handlers) => {
    const reply = await route('match jdoe', createRegistry(), commandDeps({ relay: fakeRelay(found), cloud: fakeCloud(handlers) }));
    const text = visibleText(reply.card);
    expect(text).toContain('Microsoft Graph refused the request');
    expect(text).toContain('Code: CLOUD\\_REQUEST\\_FAILED');
    expect(text).toContain('Graph error code\nAuthorization\\_RequestDenied');
    expect(text).toContain('HTTP status\n403');
  });

  it('shows a target the cloud module refuses as an input error', async () => {
    const cloud = fakeCloud({ findUser: () => Promise.reject(new InputError('INPUT_INVALID', '"x@" is not a UPN or object id.')) });
    const text = visibleText((await route('match jdoe to x@y', createRegistry(), commandDeps({ relay: fakeRelay(found), cloud }))).card);
    expect(text).toContain('INPUT\\_INVALID');
    expect(text).toContain('is not a UPN or object id.');
  });

  it.each([
    ['match', 'INPUT\\_EMPTY'],
    ['match a b', 'INPUT\\_INVALID'],
    ['match a to', 'INPUT\\_INVALID'],
    ['match a to b c', 'INPUT\\_INVALID'],
    [`match ${'x'.repeat(600)}`, 'INPUT\\_TOO\\_LONG'],
    [`match ${'x'.repeat(2001)}`, 'INPUT\\_TOO\\_LONG'],
  ])('answers %j with an error card (%s) before asking anything', async (message, code) => {
    const relay = fakeRelay(found);
    const cloud = fakeCloud();
    const text = visibleText((await route(message, createRegistry(), commandDeps({ relay, cloud }))).card);
    expect(text).toContain(code);
    expect(relay.calls).toEqual([]);
    expect(cloud.calls).toEqual([]);
  });
});

function graphDenied(): CloudError {
  return new CloudError('CLOUD_REQUEST_FAILED', 'Graph answered 403 Authorization_RequestDenied.', {
    status: 403,
    graphCode: 'Authorization_RequestDenied',
    graphMessage: 'Insufficient privileges to complete the operation.',
  });
}
