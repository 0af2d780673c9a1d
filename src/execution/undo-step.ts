/**
 * Undoes an executed step from its recorded result: SET_ANCHOR and CLEAR_ANCHOR put the replaced
 * ImmutableID back, RENAME_UPN_TEMPORARILY renames back. The record is checked against the cloud
 * first (the value must still be the one the step wrote), so an undo never overwrites a later
 * change. PURGE_DELETED_USER cannot be undone; a sync or a verification changed nothing to restore.
 */
import { z } from 'zod';
import type { PlanStep } from '../domain/diagnosis/types.ts';
import { done } from './step-outcome.ts';
import { STEP_FAILURES, type StepDeps, type StepResult } from './types.ts';
import { changeAnchor, changeUpn } from './write-steps.ts';

const anchorValueSchema = z.object({ userId: z.string(), onPremisesImmutableId: z.string().nullable() });
const upnValueSchema = z.object({ userId: z.string(), userPrincipalName: z.string() });

function impossible(detail: string): StepResult {
  return { status: 'failed', code: STEP_FAILURES.undoImpossible, detail };
}

/** The recorded before/after, when they parse and name the step's own user. */
function recorded<T extends { userId: string }>(
  schema: z.ZodType<T>,
  result: StepResult,
  userId: string,
): { before: T; after: T } | undefined {
  if (result.status !== 'done') return undefined;
  const before = schema.safeParse(result.before);
  const after = schema.safeParse(result.after);
  if (!before.success || !after.success || before.data.userId !== userId || after.data.userId !== userId) return undefined;
  return { before: before.data, after: after.data };
}

const BAD_RECORD = 'cannot be undone: its recorded before and after values are missing or malformed. Nothing was changed.';

export async function undoStep(step: PlanStep, result: StepResult, deps: StepDeps): Promise<StepResult> {
  if (result.status !== 'done' && step.kind !== 'MANUAL') {
    return done(null, null, `Nothing to undo: step ${step.number} did not complete, so it wrote nothing.`);
  }
  switch (step.kind) {
    case 'SET_ANCHOR':
    case 'CLEAR_ANCHOR': {
      const values = recorded(anchorValueSchema, result, step.subject.userId);
      if (!values) return impossible(`Step ${step.number} ${BAD_RECORD}`);
      const { before, after } = values;
      if (before.onPremisesImmutableId === after.onPremisesImmutableId)
        return done(null, null, `Nothing to undo: step ${step.number} wrote nothing.`);
      return changeAnchor(
        {
          subject: step.subject,
          expected: after.onPremisesImmutableId,
          target: before.onPremisesImmutableId,
          expectedBy: `step ${step.number} wrote`,
        },
        deps,
      );
    }
    case 'RENAME_UPN_TEMPORARILY': {
      const values = recorded(upnValueSchema, result, step.subject.userId);
      if (!values) return impossible(`Step ${step.number} ${BAD_RECORD}`);
      const { before, after } = values;
      if (before.userPrincipalName === after.userPrincipalName)
        return done(null, null, `Nothing to undo: step ${step.number} wrote nothing.`);
      return changeUpn(
        { subject: step.subject, from: after.userPrincipalName, to: before.userPrincipalName, expectedBy: `step ${step.number} wrote` },
        deps,
      );
    }
    case 'PURGE_DELETED_USER':
      return impossible(
        `Step ${step.number} cannot be undone: ${step.subject.userPrincipalName} (${step.subject.userId}) was permanently deleted from the recycle bin. ` +
          'If the person still needs it, create the user again (or let Entra Connect create it from AD).',
      );
    case 'MANUAL':
      return { status: 'waiting-for-person', detail: `Undo on-premises what step ${step.number} asked for: ${step.instruction}` };
    case 'CLEAR_OBJECT_IDENTIFIER':
      return done(
        null,
        null,
        `Nothing to undo: step ${step.number} cleared the onPremisesObjectIdentifier of ${step.subject.userPrincipalName} (it named ${step.previous}); ` +
          'Graph accepts only null, so the old mapping cannot be written back. The next sync stamps the object it maps.',
      );
    case 'PROVISION_ON_DEMAND':
    case 'TRIGGER_DELTA_SYNC':
      return done(
        null,
        null,
        'Nothing to undo: a sync only applies AD to the cloud; once the other steps are undone, the next sync applies that too.',
      );
    case 'VERIFY_JOINED':
      return done(null, null, 'Nothing to undo: verifying changes nothing.');
  }
}
