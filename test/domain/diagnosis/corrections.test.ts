/**
 * Plan corrections found when `match` was reviewed on tenants outside the catalog: a soft match the
 * next sync makes by itself needs no hard-match machinery; a MANUAL step freeing another object's
 * primary SMTP address says so; MANUAL steps do not repeat their description; evidence reads on its
 * own; a user in the recycle bin is named the same way everywhere.
 */
import { describe, expect, it } from 'vitest';
import { matchCard } from '../../../src/cards/match-card.ts';
import { MATCH_CARD_IDS } from '../../../src/cards/match-card.ts';
import { diagnose, type DiagnoseInput, type PlanStep } from '../../../src/domain/diagnosis/index.ts';
import { findById, visibleText } from '../../support/card-query.ts';
import { cloudUser, evidence, IDS, tenant } from './builders.ts';
import * as fixtures from './scenarios.ts';

const jdoe = fixtures.duplicateAfterSync().onPrem;

/** The person's cloud mailbox, cloud-only, no anchor, holding the AD user's primary SMTP address. */
function softMatchPending(switches: Parameters<typeof tenant>[0] = {}): DiagnoseInput {
  const mailbox = cloudUser({
    id: IDS.original,
    userPrincipalName: 'jdoe@contoso.com',
    mail: 'jdoe@contoso.com',
    proxyAddresses: ['SMTP:jdoe@contoso.com'],
  });
  return { who: 'jdoe', onPrem: jdoe, evidence: evidence({ candidates: [[mailbox, 'upn', 'primarySmtp']], tenant: tenant(switches) }) };
}

describe('a soft match the next sync makes by itself', () => {
  it('is planned as the delta sync and the verification only, and the plan says why', () => {
    const d = diagnose(softMatchPending());
    expect(d.prediction?.now).toMatchObject({ kind: 'SOFT_MATCH', userId: IDS.original });
    expect(d.plan.steps.map((s) => s.kind)).toEqual(['TRIGGER_DELTA_SYNC', 'VERIFY_JOINED']);
    expect(d.plan.note).toContain('No hard match is needed');
    expect(d.findings).toEqual([]);
    expect(visibleText(matchCard(d))).toContain('No hard match is needed');
  });

  it('never turns blockCloudObjectTakeoverThroughHardMatchEnabled off, nor reports it as a blocker', () => {
    const d = diagnose(softMatchPending({ switches: { blockCloudObjectTakeoverThroughHardMatchEnabled: true } }));
    expect(d.plan.steps.map((s) => s.kind)).toEqual(['TRIGGER_DELTA_SYNC', 'VERIFY_JOINED']);
    expect(d.findings.map((f) => f.code)).not.toContain('HARD_MATCH_TAKEOVER_BLOCKED');
    expect(d.plan.note).toContain('stays on');
  });

  it('still plans the hard match when the soft match is blocked', () => {
    const d = diagnose(softMatchPending({ switches: { blockSoftMatchEnabled: true } }));
    expect(d.plan.steps.map((s) => s.kind)).toEqual(['SET_ANCHOR', 'TRIGGER_DELTA_SYNC', 'VERIFY_JOINED']);
    expect(d.plan.note).toBeUndefined();
  });
});

describe('MANUAL steps that free an address', () => {
  it("say when the address is the other object's primary SMTP address, and name that object", () => {
    const d = diagnose(fixtures.smtpOnGroup());
    const step = d.plan.steps.find((s) => s.kind === 'MANUAL');
    if (step?.kind !== 'MANUAL') throw new Error('no MANUAL step');
    expect(step.description).toContain(`(the primary address of the group "Doe fans" (id ${IDS.group}))`);
    expect(step.instruction).toContain(
      `jdoe@contoso.com is the primary SMTP address of the group "Doe fans" (id ${IDS.group}): removing it changes that object's mail`,
    );
  });

  it('say nothing of a primary when the address is an alias there', () => {
    const d = diagnose(fixtures.smtpOnSyncedUser());
    const step = d.plan.steps.find((s) => s.kind === 'MANUAL' && s.action?.kind === 'REMOVE_ADDRESSES');
    if (step?.kind !== 'MANUAL') throw new Error('no REMOVE_ADDRESSES step');
    expect(step.instruction).not.toContain('primary SMTP address of');
  });
});

const ALL: [string, DiagnoseInput][] = [
  ['duplicateAfterSync', fixtures.duplicateAfterSync()],
  ['anchorInRecycleBin', fixtures.anchorInRecycleBin()],
  ['smtpOnGroup', fixtures.smtpOnGroup()],
  ['smtpOnSyncedUser', fixtures.smtpOnSyncedUser()],
  ['outOfSyncScope', fixtures.outOfSyncScope()],
  ['nonRoutableSuffix', fixtures.nonRoutableSuffix()],
  ['targetAlreadySynced', fixtures.targetAlreadySynced()],
  ['adminRoleHolder', fixtures.adminRoleHolder({ switches: { blockCloudObjectTakeoverThroughHardMatchEnabled: true } })],
];

/** The description without its "Where: " lead, lower case. */
const core = (step: PlanStep): string => step.description.replace(/^[^:]{1,40}: /, '').toLowerCase();

describe.each(ALL)('texts of %s', (_name, input) => {
  const d = diagnose(input);

  it("no MANUAL step repeats its description's sentence in its instruction", () => {
    for (const step of d.plan.steps) if (step.kind === 'MANUAL') expect(step.instruction.toLowerCase()).not.toContain(core(step));
  });

  it('every evidence line reads on its own (no "until then" without a then)', () => {
    for (const f of d.findings) for (const line of f.evidence) expect(line).not.toMatch(/^until then/i);
  });
});

describe('a user in the recycle bin', () => {
  it('is named by its original UPN, marked as in the recycle bin, on its candidate entry as in findings', () => {
    const d = diagnose(fixtures.anchorInRecycleBin());
    const holder = d.candidates.find((c) => c.user.deletedDateTime !== null)?.user;
    if (!holder) throw new Error('no deleted candidate');
    const card = matchCard(d);
    const entry = visibleText(findById(card, MATCH_CARD_IDS.candidate(holder.id)));
    const upn = holder.userPrincipalName.slice(holder.id.replaceAll('-', '').length);
    expect(entry).toContain(`${upn} · in the recycle bin`);
    expect(entry).not.toContain(holder.userPrincipalName);
    expect(d.findings.find((f) => f.code === 'ANCHOR_HELD_BY_DELETED_USER')?.title).toContain(`${upn} in the recycle bin`);
  });
});
