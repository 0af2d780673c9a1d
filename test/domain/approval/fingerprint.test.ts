import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffFingerprints, fingerprintOf } from '../../../src/domain/approval/fingerprint.ts';
import type { FingerprintFact } from '../../../src/domain/approval/types.ts';
import { diagnose } from '../../../src/domain/diagnosis/index.ts';
import { cloudUser, deleted, evidence, IDS, JDOE_ANCHOR, OTHER_ANCHOR, adUser } from '../diagnosis/builders.ts';
import { anchorInRecycleBin, federatedUpn, oldImmutableId, original } from '../diagnosis/scenarios.ts';

/** `match jdoe to jdoe@contoso.com`: with two anchor holders the bot does not guess. */
const explicit = { requested: 'jdoe@contoso.com', user: original() };
const value = (facts: FingerprintFact[], key: string) => facts.find((f) => f.fact === key)?.value;

describe('fingerprintOf', () => {
  it('holds the target, the anchor, the plan shape and what a purge and a set replace', () => {
    const facts = fingerprintOf(diagnose(anchorInRecycleBin()));
    expect(facts.map((f) => f.fact)).toEqual([
      'target',
      'anchor',
      'steps',
      `PURGE_DELETED_USER subject ${IDS.deleted}`,
      `PURGE_DELETED_USER immutableId ${IDS.deleted}`,
      `SET_ANCHOR previous ${IDS.original}`,
    ]);
    expect(value(facts, 'target')).toBe(IDS.original);
    expect(facts[0]?.label).toContain('jdoe@contoso.com');
    expect(value(facts, 'anchor')).toBe(JDOE_ANCHOR);
    expect(value(facts, 'steps')).toBe('PURGE_DELETED_USER, SET_ANCHOR, TRIGGER_DELTA_SYNC, VERIFY_JOINED');
    expect(value(facts, `PURGE_DELETED_USER immutableId ${IDS.deleted}`)).toBe(JDOE_ANCHOR);
    expect(value(facts, `SET_ANCHOR previous ${IDS.original}`)).toBeNull();
  });

  it('holds the old ImmutableID a set replaces and the UPN a temporary rename replaces', () => {
    expect(value(fingerprintOf(diagnose(oldImmutableId())), `SET_ANCHOR previous ${IDS.original}`)).not.toBeNull();
    expect(value(fingerprintOf(diagnose(federatedUpn())), `RENAME_UPN_TEMPORARILY from ${IDS.original}`)).toBe('jdoe@fabrikam.com');
  });

  it('holds what a clear replaces on another cloud-only holder of the anchor', () => {
    const holder = cloudUser({ id: IDS.other, userPrincipalName: 'john.doe@contoso.com', immutableId: JDOE_ANCHOR });
    const d = diagnose({
      who: 'jdoe',
      onPrem: adUser(),
      evidence: evidence({
        candidates: [
          [original(), 'upn', 'primarySmtp'],
          [holder, 'anchor'],
        ],
        target: explicit,
      }),
    });
    expect(value(fingerprintOf(d), `CLEAR_ANCHOR previous ${IDS.other}`)).toBe(JDOE_ANCHOR);
  });

  it('is the same for the same diagnosis', () => {
    expect(fingerprintOf(diagnose(anchorInRecycleBin()))).toEqual(fingerprintOf(diagnose(anchorInRecycleBin())));
  });
});

describe('diffFingerprints', () => {
  it('finds nothing when nothing changed', () => {
    const facts = fingerprintOf(diagnose(anchorInRecycleBin()));
    expect(diffFingerprints(facts, facts)).toEqual([]);
  });

  it('names a plan that now needs another step: shape and the new fact', () => {
    const before = fingerprintOf(diagnose(anchorInRecycleBin()));
    const holder = cloudUser({ id: IDS.other, userPrincipalName: 'john.doe@contoso.com', immutableId: JDOE_ANCHOR });
    const old = deleted(cloudUser({ id: IDS.deleted, userPrincipalName: 'john.doe.old@contoso.com', immutableId: JDOE_ANCHOR }));
    const now = diagnose({
      who: 'jdoe',
      onPrem: adUser(),
      evidence: evidence({
        candidates: [
          [original(), 'upn'],
          [old, 'anchor'],
          [holder, 'anchor'],
        ],
        target: explicit,
      }),
    });
    const changes = diffFingerprints(before, fingerprintOf(now));
    expect(changes.map((c) => c.fact)).toEqual(['steps', `CLEAR_ANCHOR previous ${IDS.other}`]);
    expect(changes[1]).toMatchObject({ old: null, new: JDOE_ANCHOR });
  });

  it('names a value that changed under the plan: the target got another ImmutableID meanwhile', () => {
    const before = fingerprintOf(diagnose(anchorInRecycleBin()));
    const meanwhile = anchorInRecycleBin();
    const [first, ...rest] = meanwhile.evidence.candidates;
    const changed = {
      ...meanwhile,
      evidence: { ...meanwhile.evidence, candidates: [{ ...first!, user: { ...first!.user, immutableId: OTHER_ANCHOR } }, ...rest] },
    };
    const changes = diffFingerprints(before, fingerprintOf(diagnose(changed)));
    expect(changes).toContainEqual(expect.objectContaining({ fact: `SET_ANCHOR previous ${IDS.original}`, old: null, new: OTHER_ANCHOR }));
  });

  it('reports removed facts with null as the new value, added facts with null as the old', () => {
    const a = { fact: 'a', label: 'A', value: 'x' };
    const b = { fact: 'b', label: 'B', value: 'y' };
    expect(diffFingerprints([a], [b])).toEqual([
      { fact: 'a', label: 'A', old: 'x', new: null },
      { fact: 'b', label: 'B', old: null, new: 'y' },
    ]);
  });

  it('is empty exactly when the facts are the same set of key/value pairs', () => {
    const facts = fc.uniqueArray(
      fc.record({ fact: fc.constantFrom('a', 'b', 'c', 'd'), label: fc.string(), value: fc.option(fc.constantFrom('x', 'y')) }),
      {
        selector: (f) => f.fact,
      },
    );
    fc.assert(
      fc.property(facts, facts, (old, next) => {
        const same = old.length === next.length && old.every((o) => next.some((n) => n.fact === o.fact && n.value === o.value));
        expect(diffFingerprints(old, next).length === 0).toBe(same);
      }),
    );
  });
});
