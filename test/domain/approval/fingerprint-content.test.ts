/**
 * The fingerprint covers what a person is asked to do (a MANUAL step's instruction and its
 * structured action) and where a temporary rename moves the address, so a changed role list or
 * address holder makes the request stale instead of handing out outdated instructions.
 */
import { describe, expect, it } from 'vitest';
import { diffFingerprints, fingerprintOf } from '../../../src/domain/approval/fingerprint.ts';
import type { Diagnosis, PlanStep } from '../../../src/domain/diagnosis/types.ts';
import { diagnose } from '../../../src/domain/diagnosis/index.ts';
import { duplicateAfterSync } from '../diagnosis/scenarios.ts';

const withSteps = (d: Diagnosis, change: (s: PlanStep) => PlanStep): Diagnosis => ({
  ...d,
  plan: { ...d.plan, steps: d.plan.steps.map(change) },
});

describe('fingerprint of what people and renames are asked to do', () => {
  const base = diagnose(duplicateAfterSync());

  it('changes when a MANUAL step asks something else', () => {
    expect(base.plan.steps.some((s) => s.kind === 'MANUAL')).toBe(true);
    const changed = withSteps(base, (s) =>
      s.kind === 'MANUAL' ? { ...s, instruction: `${s.instruction} Also remove the Global Administrator role.` } : s,
    );
    const diff = diffFingerprints(fingerprintOf(base), fingerprintOf(changed));
    const manual = base.plan.steps.filter((s) => s.kind === 'MANUAL').length;
    expect(diff.map((c) => c.fact)).toEqual(['MANUAL', 'MANUAL #2', 'MANUAL #3'].slice(0, manual));
    expect(diff[0]?.label).toMatch(/What a person is asked to do \(step \d\)/);
  });

  it('changes when the rename moves the address to another UPN', () => {
    const subject = { userId: '11111111-1111-4111-8111-111111111111', userPrincipalName: 'jdoe@contoso.com' };
    const rename = (to: string): Diagnosis =>
      withSteps(base, (s) =>
        s.number === 1
          ? { number: 1, irreversible: false, description: 'Rename', kind: 'RENAME_UPN_TEMPORARILY', subject, from: 'jdoe@contoso.com', to }
          : s,
      );
    const diff = diffFingerprints(fingerprintOf(rename('jdoe-old1@contoso.com')), fingerprintOf(rename('jdoe-old2@contoso.com')));
    expect(diff).toEqual([
      expect.objectContaining({
        fact: `RENAME_UPN_TEMPORARILY to ${subject.userId}`,
        old: 'jdoe-old1@contoso.com',
        new: 'jdoe-old2@contoso.com',
      }),
    ]);
  });

  it('stays the same for the same plan', () => {
    expect(diffFingerprints(fingerprintOf(base), fingerprintOf(diagnose(duplicateAfterSync())))).toEqual([]);
  });
});
