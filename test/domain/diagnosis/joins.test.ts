/**
 * Target choice respects joins (issue 19): the synced user holding the AD user's anchor is the
 * person's account; what its join left over becomes findings and person's steps on it and the
 * holders, never a purge or an anchor move. Only a duplicate the sync created (born denied what an
 * older cloud-only user holds) is purged, and the finding says why.
 */
import { describe, expect, it } from 'vitest';
import type { CloudUser } from '../../../src/domain/cloud.ts';
import { diagnose, type DiagnoseInput } from '../../../src/domain/diagnosis/index.ts';
import { adUser, cloudUser, codes, evidence, evidenceText, findingOf, IDS, JDOE_ANCHOR, kinds, syncedUser } from './builders.ts';

const jdoe = adUser({ proxyAddresses: ['SMTP:john.doe@contoso.com', 'smtp:jdoe@contoso.com'], mail: 'john.doe@contoso.com' });

/** The account: jdoe@contoso.com, cloud-only first (2024), hard-matched last week. */
function joined(over: Partial<CloudUser> = {}): CloudUser {
  const base = syncedUser({
    id: IDS.original,
    userPrincipalName: 'jdoe@contoso.com',
    immutableId: JDOE_ANCHOR,
    dn: jdoe.dn,
    mail: 'jdoe@contoso.com',
    proxyAddresses: ['SMTP:jdoe@contoso.com'],
    createdDateTime: '2024-02-01T09:00:00Z',
    lastSyncDateTime: '2026-12-01T10:00:00Z',
    provisioningErrors: [
      {
        category: 'PropertyConflict',
        property: 'ProxyAddress',
        value: 'SMTP:john.doe@contoso.com',
        occurredDateTime: '2026-12-01T10:00:00Z',
      },
    ],
  });
  return { ...base, ...over };
}

/** The other cloud-only user, still holding the person's primary address (never freed). */
function other(over: Partial<CloudUser> = {}): CloudUser {
  return cloudUser({
    id: IDS.other,
    userPrincipalName: 'john.doe@contoso.com',
    mail: 'john.doe@contoso.com',
    proxyAddresses: ['SMTP:john.doe@contoso.com'],
    createdDateTime: '2023-06-01T09:00:00Z',
    ...over,
  });
}

function input(users: [CloudUser, ...string[]][], target?: CloudUser): DiagnoseInput {
  const candidates = users.map(([u, ...r]) => [u, ...r] as [CloudUser, ...('anchor' | 'upn' | 'primarySmtp' | 'address')[]]);
  const named = target ? { target: { requested: target.userPrincipalName, user: target } } : {};
  return { who: 'jdoe', onPrem: jdoe, evidence: evidence({ candidates, ...named }) };
}

describe('a joined user with leftovers', () => {
  const d = diagnose(
    input([
      [joined(), 'anchor', 'upn'],
      [other(), 'primarySmtp'],
    ]),
  );

  it('is the target: ALREADY_MATCHED, with the leftovers as warnings on it', () => {
    expect(d.plan.target?.id).toBe(IDS.original);
    expect(findingOf(d, 'ALREADY_MATCHED').severity).toBe('info');
    expect(findingOf(d, 'SMTP_CONFLICT').severity).toBe('warning');
    expect(findingOf(d, 'PROVISIONING_ERRORS').severity).toBe('warning');
    expect(codes(d)).not.toContain('ANCHOR_HELD_BY_OTHER_USER');
  });

  it("plans the person's step on the holder, a sync and the check: never a purge or an anchor move", () => {
    expect(kinds(d)).toEqual(['MANUAL', 'TRIGGER_DELTA_SYNC', 'VERIFY_JOINED']);
    const [free] = d.plan.steps;
    expect(free?.kind === 'MANUAL' && free.action).toMatchObject({
      kind: 'REMOVE_ADDRESSES',
      objectId: IDS.other,
      addresses: ['john.doe@contoso.com'],
    });
    expect(d.plan.steps.find((s) => s.kind === 'VERIFY_JOINED')).toMatchObject({
      subject: { userId: IDS.original },
      promise: {
        userPrincipalName: 'jdoe@contoso.com',
        addresses: expect.arrayContaining(['john.doe@contoso.com', 'jdoe@contoso.com']) as unknown,
      },
    });
    expect(d.plan.note).toContain('does not touch the join');
  });

  it('`match jdoe to <the other user>` is a blocker naming the join it would undo', () => {
    const named = diagnose(
      input(
        [
          [joined(), 'anchor', 'upn'],
          [other(), 'primarySmtp'],
        ],
        other(),
      ),
    );
    expect(named.plan).toMatchObject({ steps: [], nothingToDo: false });
    expect(named.plan.blockedReason).toContain('would undo that join');
    const blocker = findingOf(named, 'ANCHOR_HELD_BY_OTHER_USER');
    expect(blocker.severity).toBe('blocker');
    expect(blocker.title).toContain('would undo that join');
    expect(evidenceText(blocker)).toContain('not when it was created');
  });

  it('a UPN held by another user is freed by a person on the holder, and the joined user keeps its anchor', () => {
    const placeholder = joined({
      userPrincipalName: 'jdoe+1234@contoso.onmicrosoft.com',
      provisioningErrors: [
        {
          category: 'PropertyConflict',
          property: 'UserPrincipalName',
          value: 'jdoe@contoso.com',
          occurredDateTime: '2026-12-01T10:00:00Z',
        },
      ],
    });
    const holder = cloudUser({ id: IDS.third, userPrincipalName: 'jdoe@contoso.com', createdDateTime: '2022-01-01T00:00:00Z' });
    const u = diagnose(
      input([
        [placeholder, 'anchor'],
        [holder, 'upn'],
      ]),
    );
    expect(u.plan.target?.id).toBe(IDS.original);
    expect(kinds(u)).toEqual(['MANUAL', 'TRIGGER_DELTA_SYNC', 'VERIFY_JOINED']);
    expect(u.plan.steps[0]?.kind === 'MANUAL' && u.plan.steps[0].action).toMatchObject({
      kind: 'FREE_UPN',
      objectId: IDS.third,
      upn: 'jdoe@contoso.com',
    });
    expect(findingOf(u, 'UPN_CONFLICT').severity).toBe('warning');
    expect(kinds(u)).not.toContain('PURGE_DELETED_USER');
  });

  it('a clean join is nothing to do', () => {
    const clean = diagnose(
      input([
        [joined({ provisioningErrors: [], proxyAddresses: ['SMTP:john.doe@contoso.com', 'smtp:jdoe@contoso.com'] }), 'anchor', 'upn'],
      ]),
    );
    expect(clean.plan).toMatchObject({ nothingToDo: true, steps: [] });
    expect(clean.findings.filter((f) => f.severity !== 'info')).toEqual([]);
  });
});

describe('a duplicate the sync created', () => {
  /** Created by the first sync, denied the UPN and the address the older cloud-only user holds. */
  function duplicate(over: Partial<CloudUser> = {}): CloudUser {
    const base = syncedUser({
      id: IDS.duplicate,
      userPrincipalName: 'jdoe+4821@contoso.onmicrosoft.com',
      immutableId: JDOE_ANCHOR,
      dn: jdoe.dn,
      createdDateTime: '2026-03-01T10:00:00Z',
      provisioningErrors: [
        {
          category: 'PropertyConflict',
          property: 'UserPrincipalName',
          value: 'jdoe@contoso.com',
          occurredDateTime: '2026-03-01T10:00:05Z',
        },
        {
          category: 'PropertyConflict',
          property: 'ProxyAddress',
          value: 'SMTP:john.doe@contoso.com',
          occurredDateTime: '2026-03-01T10:00:05Z',
        },
      ],
    });
    return { ...base, ...over };
  }
  const original = cloudUser({
    id: IDS.original,
    userPrincipalName: 'jdoe@contoso.com',
    mail: 'john.doe@contoso.com',
    proxyAddresses: ['SMTP:john.doe@contoso.com', 'smtp:jdoe@contoso.com'],
    createdDateTime: '2024-02-01T09:00:00Z',
  });

  it('is purged for the older cloud-only user, and the finding says what it was denied and who holds it', () => {
    const d = diagnose(
      input([
        [original, 'upn', 'primarySmtp'],
        [duplicate(), 'anchor'],
      ]),
    );
    expect(d.plan.target?.id).toBe(IDS.original);
    expect(kinds(d)).toContain('PURGE_DELETED_USER');
    const why = evidenceText(findingOf(d, 'ANCHOR_HELD_BY_OTHER_USER'));
    expect(why).toContain('It is the duplicate: Entra Connect created it on 2026-03-01T10:00:00Z');
    expect(why).toContain('the UPN jdoe@contoso.com and the address john.doe@contoso.com');
    expect(why).toContain(`${IDS.original}`);
  });

  it('is not one when the holder is younger than it: the join stands', () => {
    const d = diagnose(
      input([
        [{ ...original, createdDateTime: '2026-06-01T00:00:00Z' }, 'upn', 'primarySmtp'],
        [duplicate(), 'anchor'],
      ]),
    );
    expect(d.plan.target?.id).toBe(IDS.duplicate);
    expect(kinds(d)).not.toContain('PURGE_DELETED_USER');
  });

  it('without dates, only the admin naming the older user makes it the duplicate', () => {
    const undated = duplicate({ createdDateTime: null });
    const unnamed = diagnose(
      input([
        [original, 'upn', 'primarySmtp'],
        [undated, 'anchor'],
      ]),
    );
    expect(unnamed.plan.target?.id).toBe(IDS.duplicate);
    expect(kinds(unnamed)).not.toContain('PURGE_DELETED_USER');
    const named = diagnose(
      input(
        [
          [original, 'upn', 'primarySmtp'],
          [undated, 'anchor'],
        ],
        original,
      ),
    );
    expect(named.plan.target?.id).toBe(IDS.original);
    expect(kinds(named)).toContain('PURGE_DELETED_USER');
  });
});
