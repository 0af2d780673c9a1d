import { irreversibleWords } from '../../../src/domain/bulk/types.ts';
import { describe, expect, it } from 'vitest';
import { csvField, csvHeader, csvLine } from '../../../src/domain/bulk/report-csv.ts';
import { largestGroups, rowOf, SummaryBuilder, unknownRow, SAMPLE_ROWS } from '../../../src/domain/bulk/report.ts';
import { itemSteps, outcomeOf } from '../../../src/domain/bulk/outcome.ts';
import type { Diagnosis, PlanStep } from '../../../src/domain/diagnosis/types.ts';
import { diagnose } from '../../../src/domain/diagnosis/index.ts';
import * as scenarios from '../diagnosis/scenarios.ts';

describe('outcomes', () => {
  it('names each scenario by what it takes', () => {
    expect(outcomeOf(diagnose(scenarios.healthyMatch()))).toBe('already-matched');
    expect(outcomeOf(diagnose(scenarios.noCloudUser()))).toBe('not-found');
    expect(outcomeOf(diagnose(scenarios.duplicateAfterSync()))).toBe('needs-person');
    expect(outcomeOf(diagnose(scenarios.anchorInRecycleBin()))).toBe('needs-purge');
    expect(outcomeOf(diagnose(scenarios.oldImmutableId()))).toMatch(/needs-hard-match|needs-person/);
  });

  // A bulk item runs itemSteps before its wave's sync: a write left out of it (CLEAR_OBJECT_IDENTIFIER
  // was) leaves the user unjoinable, its verification waiting out VERIFY_TIMEOUT_MINUTES.
  const subject = { userId: 'u1', userPrincipalName: 'jdoe@contoso.com' };
  const step = (number: number, s: Record<string, unknown>): PlanStep =>
    ({ number, irreversible: false, description: '', ...s }) as PlanStep;
  const sync = step(3, { kind: 'TRIGGER_DELTA_SYNC' });
  const verify = step(4, { kind: 'VERIFY_JOINED', subject, immutableId: 'AAAA', timeoutSeconds: 60 });
  const clear = step(2, { kind: 'CLEAR_OBJECT_IDENTIFIER', subject, previous: 'old', dn: 'CN=jdoe' });
  const set = step(1, { kind: 'SET_ANCHOR', subject, immutableId: 'AAAA', previous: null });
  const withSteps = (steps: PlanStep[]): Diagnosis => {
    const base = diagnose(scenarios.oldImmutableId());
    return { ...base, plan: { ...base.plan, steps, blockedReason: undefined } };
  };

  it("a user's item runs every cloud write of the plan, the clear of onPremisesObjectIdentifier included, never the wave's sync or verification", () => {
    expect(itemSteps(withSteps([set, clear, sync, verify]).plan).map((s) => s.kind)).toEqual(['SET_ANCHOR', 'CLEAR_OBJECT_IDENTIFIER']);
    const onDemand = step(3, { kind: 'PROVISION_ON_DEMAND', dn: 'CN=jdoe', job: { servicePrincipalId: 's', jobId: 'j', ruleId: null } });
    expect(itemSteps(withSteps([clear, onDemand, verify]).plan).map((s) => s.kind)).toEqual(['CLEAR_OBJECT_IDENTIFIER']);
  });

  it('a plan whose only write is the clear needs a hard match (the bot runs it alone), not "the sync will join it"', () => {
    expect(outcomeOf(withSteps([clear, sync, verify]))).toBe('needs-hard-match');
  });
});

describe('summary', () => {
  it('counts outcomes and findings, keeps the first rows of each group and the unknown lines', () => {
    const builder = new SummaryBuilder();
    const purge = rowOf(diagnose(scenarios.anchorInRecycleBin()));
    for (let i = 0; i < SAMPLE_ROWS + 2; i += 1) builder.add(purge, { purges: 1, clears: 0 });
    builder.add(rowOf(diagnose(scenarios.healthyMatch())));
    builder.add(unknownRow(4, 'ghost', 'No AD user in the relay\'s sync scope is "ghost".'));
    const s = builder.summary();
    expect(s.total).toBe(SAMPLE_ROWS + 4);
    expect(s.counts['needs-purge']).toBe(SAMPLE_ROWS + 2);
    expect(s.automated).toBe(SAMPLE_ROWS + 2);
    expect(s.purges).toBe(SAMPLE_ROWS + 2);
    expect(s.samples['needs-purge']).toHaveLength(SAMPLE_ROWS);
    expect(s.findings[0]).toEqual({ code: 'ANCHOR_HELD_BY_DELETED_USER', users: SAMPLE_ROWS + 2 });
    expect(s.unknown).toEqual([{ line: 4, input: 'ghost', why: 'No AD user in the relay\'s sync scope is "ghost".' }]);
    expect(largestGroups(s)[0]).toBe('needs-purge');
  });
});

describe('CSV', () => {
  it('quotes separators and neutralises formulas', () => {
    expect(csvField('=HYPERLINK("http://evil")')).toBe('"\'=HYPERLINK(""http://evil"")"');
    expect(csvField('-1+2')).toBe("'-1+2");
    expect(csvField('CN=Doe\\, John,OU=Staff')).toBe('"CN=Doe\\, John,OU=Staff"');
    expect(csvField(null)).toBe('');
    expect(csvField(12)).toBe('12');
  });

  it('writes one line per row under a header', () => {
    const row = rowOf(diagnose(scenarios.anchorInRecycleBin()));
    expect(csvHeader().startsWith('\uFEFFline,input,sAMAccountName')).toBe(true);
    const line = csvLine(row);
    expect(line.endsWith('\r\n')).toBe(true);
    expect(line).toContain('needs-purge,Needs a purge first,ANCHOR_HELD_BY_DELETED_USER');
    expect(line).toContain('[IRREVERSIBLE]');
  });
});

describe('irreversible steps', () => {
  it('counts clears of onPremisesObjectIdentifier beside purges, for the users the bot fixes alone only', () => {
    const builder = new SummaryBuilder();
    const purge = rowOf(diagnose(scenarios.anchorInRecycleBin()));
    builder.add(purge, { purges: 1, clears: 1 });
    builder.add(purge, { purges: 0, clears: 1 });
    builder.add(rowOf(diagnose(scenarios.healthyMatch())), { purges: 0, clears: 1 });
    expect(builder.summary()).toMatchObject({ purges: 1, clears: 2 });
  });

  it('words them as the approver and the audit read them', () => {
    expect(irreversibleWords(2, 0)).toBe('2 purges');
    expect(irreversibleWords(1, 1)).toBe('1 purge and 1 clear of onPremisesObjectIdentifier');
    expect(irreversibleWords(0, 3)).toBe('0 purges and 3 clears of onPremisesObjectIdentifier');
  });
});
