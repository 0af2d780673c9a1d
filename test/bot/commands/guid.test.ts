import { describe, expect, it } from 'vitest';
import { CLOUD_CHECK_FAILED, CLOUD_NOT_CONFIGURED, ELEMENT_IDS } from '../../../src/cards/guid-card.ts';
import type { LookupResult } from '../../../src/domain/onprem-user.ts';
import { RELAY_NOT_CONFIGURED, runGuid } from '../../../src/bot/commands/guid.ts';
import { route } from '../../../src/bot/router.ts';
import { createRegistry } from '../../../src/bot/commands/index.ts';
import { CloudError, DirectoryError, InputError, RelayUnavailable } from '../../../src/errors/index.ts';
import { allElements, copyRowValues, findById, visibleText } from '../../support/card-query.ts';
import { asSandboxSends, cloudUser, commandDeps, deferred, fakeCloud, fakeRelay } from '../../support/fakes.ts';
import { onPremUser } from '../../support/users.ts';

const relayDown = () => fakeRelay(new RelayUnavailable('RELAY_UNAVAILABLE', 'Could not connect to https://relay.contoso.com.'));

describe('guid with an anchor', () => {
  const vectors = [
    ['96dcc383-2f6e-4fa2-af15-6b4c1119259a', 'g8Pclm4vok+vFWtMERklmg=='],
    ['59815f49-920b-4e9d-ad6c-82b53aa4c102', 'SV+BWQuSnU6tbIK1OqTBAg=='],
    ['02347d41-d494-480c-a212-6e645f458fdb', 'QX00ApTUDEiiEm5kX0WP2w=='],
  ] as const;

  it.each(vectors)('converts %s ↔ %s both ways while the relay is down', async (guid, immutableId) => {
    for (const [typed, braces] of [
      [guid, `{${guid.toUpperCase()}}`],
      [immutableId, immutableId],
    ] as const) {
      for (const input of [typed, braces]) {
        const relay = relayDown();
        const { card } = await runGuid(input, commandDeps({ relay }));
        expect(relay.calls).toHaveLength(1);
        expect(copyRowValues(card, 'GUID')).toEqual([guid]);
        expect(copyRowValues(card, 'ImmutableID')).toEqual([immutableId]);
        const text = visibleText(card);
        expect(text).toContain('The on-premises relay could not be reached');
        expect(text).toContain('Could not connect to https://relay.contoso.com.');
        expect(text).toContain('RELAY\\_UNAVAILABLE');
      }
    }
  });

  it('shows the AD object when the relay finds the anchor', async () => {
    const relay = fakeRelay({ users: [onPremUser()], truncated: false });
    const { card } = await runGuid('g8Pclm4vok+vFWtMERklmg==', commandDeps({ relay }));
    expect(relay.calls[0]?.who).toBe('g8Pclm4vok+vFWtMERklmg==');
    expect(visibleText(card)).toContain('CN=John Doe,OU=Staff,DC=contoso,DC=com');
    expect(findById(card, ELEMENT_IDS.effectiveImmutableId)).toMatchObject({ text: 'g8Pclm4vok+vFWtMERklmg==' });
  });

  it('says when no AD user carries the anchor', async () => {
    const { card } = await runGuid('g8Pclm4vok+vFWtMERklmg==', commandDeps({ relay: fakeRelay({ users: [], truncated: false }) }));
    expect(visibleText(card)).toContain('No on-premises user has this value');
    expect(copyRowValues(card, 'GUID')).toEqual(['96dcc383-2f6e-4fa2-af15-6b4c1119259a']);
  });

  it('converts without a relay and says the look-up is not configured', async () => {
    const { card } = await runGuid('\\83\\c3\\dc\\96\\6e\\2f\\a2\\4f\\af\\15\\6b\\4c\\11\\19\\25\\9a', commandDeps());
    expect(visibleText(card)).toContain('On-premises look-up not configured');
    expect(copyRowValues(card, 'ImmutableID')).toEqual(['g8Pclm4vok+vFWtMERklmg==']);
  });

  it('refuses a malformed anchor, naming the input, without asking the relay', async () => {
    const relay = fakeRelay({ users: [], truncated: false });
    await expect(runGuid('96dcc383-2f6e-4fa2-af15-6b4c111925', commandDeps({ relay }))).rejects.toThrow(InputError);
    const reply = await route('guid 96dcc383-2f6e-4fa2-af15-6b4c111925', createRegistry(), commandDeps({ relay }));
    const text = visibleText(reply.card);
    expect(text).toContain('"96dcc383-2f6e-4fa2-af15-6b4c111925" is not a valid anchor');
    expect(text).toContain('ANCHOR\\_MALFORMED');
    expect(relay.calls).toHaveLength(0);
  });
});

describe('guid with a name', () => {
  it('shows the guid card for exactly one user', async () => {
    const relay = fakeRelay({ users: [onPremUser()], truncated: false });
    const { card } = asSandboxSends(await runGuid('jdoe', commandDeps({ relay })));
    expect(relay.calls).toEqual([{ who: 'jdoe', limit: undefined }]);
    expect(findById(card, ELEMENT_IDS.effectiveImmutableId)).toMatchObject({ text: 'g8Pclm4vok+vFWtMERklmg==' });
    expect(visibleText(card)).toContain('SANDBOX');
  });

  it('says nobody matches and what to try', async () => {
    const reply = await route('guid nobody', createRegistry(), commandDeps({ relay: fakeRelay({ users: [], truncated: false }) }));
    const text = visibleText(reply.card);
    expect(text).toContain('No on-premises user matches "nobody".');
    expect(text).toContain('try the UPN, mail address, sAMAccountName or objectGUID');
    expect(text).toContain('USER\\_NOT\\_FOUND');
  });

  it('lists several users, says to be specific and notes truncation', async () => {
    const users = [onPremUser({ samAccountName: 'jsmith' }), onPremUser({ samAccountName: 'jsmith2' })];
    const { card } = await runGuid('jsmith@contoso.com', commandDeps({ relay: fakeRelay({ users, truncated: true }) }));
    const text = visibleText(card);
    expect(text).toContain('More than 2 on-premises users match');
    expect(text).toContain('jsmith2');
    expect(
      allElements(card)
        .filter((e) => e.type === 'Action.Submit')
        .map((e) => e.title),
    ).toEqual(['guid jsmith', 'guid jsmith2']);
    expect(text).toContain('Only the first 2 are shown');
  });

  it('says the relay is not configured', async () => {
    const { card } = await runGuid('jdoe', commandDeps());
    const text = visibleText(card);
    expect(text).toContain(RELAY_NOT_CONFIGURED.title);
    expect(text).toContain('RELAY\\_URL and RELAY\\_KEY');
  });

  it('shows a directory error from the relay with its code', async () => {
    const relay = fakeRelay(new DirectoryError('DIRECTORY_CREDENTIALS', 'The domain controller refused the bind (49).'));
    const text = visibleText((await route('guid jdoe', createRegistry(), commandDeps({ relay }))).card);
    expect(text).toContain('DIRECTORY\\_CREDENTIALS');
    expect(text).toContain('The domain controller refused the bind (49).');
    expect(text).toContain('LDAP\\_BIND\\_DN');
  });

  it('shows a relay timeout with its code', async () => {
    const relay = fakeRelay(new RelayUnavailable('RELAY_TIMEOUT', 'No answer within 10 s.'));
    const text = visibleText((await route('guid jdoe', createRegistry(), commandDeps({ relay }))).card);
    expect(text).toContain('RELAY\\_TIMEOUT');
  });

  it('refuses a name with spaces before asking the relay', async () => {
    const relay = fakeRelay({ users: [], truncated: false });
    const text = visibleText((await route('guid john doe', createRegistry(), commandDeps({ relay }))).card);
    expect(text).toContain('INPUT\\_INVALID');
    expect(relay.calls).toHaveLength(0);
  });
});

describe('guid: cloud holders of the anchor', () => {
  const holder = cloudUser({
    id: 'aaaaaaaa-0000-4000-8000-000000000001',
    userPrincipalName: 'jdoe@contoso.com',
    immutableId: 'g8Pclm4vok+vFWtMERklmg==',
    synced: true,
  });
  const deletedHolder = cloudUser({
    id: 'dddddddd-0000-4000-8000-000000000002',
    userPrincipalName: 'old.jdoe@contoso.com',
    immutableId: 'g8Pclm4vok+vFWtMERklmg==',
    deletedDateTime: '2024-05-02T09:30:00Z',
  });

  it('asks the cloud about a typed anchor while the relay is still looking', async () => {
    const lookup = deferred<LookupResult>();
    const relay = fakeRelay(() => lookup.promise);
    const cloud = fakeCloud({ holdersOfAnchor: () => Promise.resolve([holder, deletedHolder]) });
    const running = runGuid('96dcc383-2f6e-4fa2-af15-6b4c1119259a', commandDeps({ relay, cloud }));
    await new Promise((resolve) => setImmediate(resolve));
    expect(relay.calls).toHaveLength(1);
    expect(cloud.calls.map(({ method, args }) => ({ method, args }))).toEqual([
      { method: 'holdersOfAnchor', args: ['g8Pclm4vok+vFWtMERklmg=='] },
    ]);
    lookup.resolve({ users: [onPremUser()], truncated: false });
    const { card } = await running;
    // The found user's effective anchor is the typed value: asked once, not twice.
    expect(cloud.calls).toHaveLength(1);
    const text = visibleText(card);
    expect(text).toContain('Holders of g8Pclm4vok+vFWtMERklmg== (effective anchor, objectGUID):');
    expect(visibleText(findById(card, ELEMENT_IDS.cloudHolder(holder.id)))).toContain('No (active)');
    expect(visibleText(findById(card, ELEMENT_IDS.cloudHolder(deletedHolder.id)))).toContain(
      'Yes, in the recycle bin since 2024-05-02T09:30:00Z',
    );
  });

  it("shows the typed value's holders even when the relay is down", async () => {
    const cloud = fakeCloud({ holdersOfAnchor: () => Promise.resolve([deletedHolder]) });
    const { card } = await runGuid('g8Pclm4vok+vFWtMERklmg==', commandDeps({ relay: relayDown(), cloud }));
    const text = visibleText(card);
    expect(text).toContain('RELAY\\_UNAVAILABLE');
    expect(text).toContain('Holders of g8Pclm4vok+vFWtMERklmg== (the value you typed):');
    expect(text).toContain('old.jdoe@contoso.com');
  });

  it('asks about both anchors of a user found by name when ConsistencyGuid differs, after the look-up', async () => {
    const user = onPremUser({ consistencyGuid: '59815f49-920b-4e9d-ad6c-82b53aa4c102' });
    const order: string[] = [];
    const relay = fakeRelay(() => {
      order.push('relay');
      return { users: [user], truncated: false };
    });
    const cloud = fakeCloud({
      holdersOfAnchor: (id) => {
        order.push(id);
        return Promise.resolve(id === 'g8Pclm4vok+vFWtMERklmg==' ? [holder] : []);
      },
    });
    const { card } = await runGuid('jdoe', commandDeps({ relay, cloud }));
    expect(order).toEqual(['relay', 'SV+BWQuSnU6tbIK1OqTBAg==', 'g8Pclm4vok+vFWtMERklmg==']);
    const text = visibleText(card);
    expect(text).toContain(
      'Holders of SV+BWQuSnU6tbIK1OqTBAg== (effective anchor, mS-DS-ConsistencyGuid):\nNo cloud user, active or in the recycle bin, holds this ImmutableID.',
    );
    expect(text).toContain('Holders of g8Pclm4vok+vFWtMERklmg== (objectGUID, not the effective anchor):\njdoe@contoso.com');
  });

  it("still shows the AD part when the cloud fails, with Graph's code", async () => {
    const failure = new CloudError('CLOUD_UNAVAILABLE', 'Graph answered 503 ServiceUnavailable after 4 attempts.', {
      status: 503,
      graphCode: 'ServiceUnavailable',
    });
    const cloud = fakeCloud({ holdersOfAnchor: () => Promise.reject(failure) });
    const reply = await route(
      'guid jdoe',
      createRegistry(),
      commandDeps({ relay: fakeRelay({ users: [onPremUser()], truncated: false }), cloud }),
    );
    const text = visibleText(reply.card);
    expect(findById(reply.card, ELEMENT_IDS.effectiveImmutableId)).toMatchObject({ text: 'g8Pclm4vok+vFWtMERklmg==' });
    expect(text).toContain(CLOUD_CHECK_FAILED);
    expect(text).toContain('Code: CLOUD\\_UNAVAILABLE');
    expect(text).toContain('Graph error code\nServiceUnavailable');
  });

  it('lets a bug in the cloud module propagate instead of calling it a failed check', async () => {
    const cloud = fakeCloud({ holdersOfAnchor: () => Promise.reject(new TypeError('x is undefined')) });
    await expect(runGuid('g8Pclm4vok+vFWtMERklmg==', commandDeps({ relay: relayDown(), cloud }))).rejects.toThrow(TypeError);
  });

  it('keeps the "not configured" line without a cloud directory', async () => {
    const { card } = await runGuid('jdoe', commandDeps({ relay: fakeRelay({ users: [onPremUser()], truncated: false }) }));
    expect(visibleText(card)).toContain(CLOUD_NOT_CONFIGURED);
  });

  it('does not ask the cloud when the name matches several AD users or none', async () => {
    const cloud = fakeCloud();
    const users = [onPremUser({ samAccountName: 'a' }), onPremUser({ samAccountName: 'b' })];
    await runGuid('shared@contoso.com', commandDeps({ relay: fakeRelay({ users, truncated: false }), cloud }));
    await route('guid nobody', createRegistry(), commandDeps({ relay: fakeRelay({ users: [], truncated: false }), cloud }));
    expect(cloud.calls).toEqual([]);
  });
});
