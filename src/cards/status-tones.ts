/**
 * Every domain status a card colours (finding severity, predicted sync outcome) mapped to a tone
 * and an icon, here and nowhere else, so a blocker looks the same on every card.
 */
import type { Severity } from '../domain/diagnosis/types.ts';
import type { SyncOutcome } from '../domain/sync/types.ts';
import type { Tone } from './card-parts.ts';

export interface SeverityStyle {
  tone: Tone;
  icon: string;
  /** The word shown next to the icon. */
  label: string;
  /** Sort key: blockers first. */
  rank: number;
}

const SEVERITY: Readonly<Record<Severity, SeverityStyle>> = {
  blocker: { tone: 'error', icon: '⛔', label: 'Blocker', rank: 0 },
  warning: { tone: 'warning', icon: '⚠️', label: 'Warning', rank: 1 },
  info: { tone: 'info', icon: 'ℹ️', label: 'Info', rank: 2 },
};

export function severityStyle(severity: Severity): SeverityStyle {
  return SEVERITY[severity];
}

/** Good: the person ends up joined to one cloud user. Warning: a change nobody asked for. Error: an export error. */
const OUTCOME_TONE: Readonly<Record<SyncOutcome['kind'], Tone>> = {
  UPDATE: 'good',
  HARD_MATCH: 'good',
  SOFT_MATCH: 'good',
  RESTORE: 'warning',
  CREATE: 'warning',
  DELETE: 'warning',
  NOTHING: 'info',
  INVALID_SOFT_MATCH: 'error',
  OBJECT_TYPE_MISMATCH: 'error',
  HARD_MATCH_BLOCKED: 'error',
  SOFT_MATCH_BLOCKED: 'error',
  ANCHOR_CONFLICT: 'error',
};

export function outcomeTone(outcome: SyncOutcome): Tone {
  return OUTCOME_TONE[outcome.kind];
}

/** A plan step that cannot be undone is shown in the error tone; everything else in the default one. */
export function stepTone(step: { irreversible: boolean; kind: string }): Tone {
  if (step.irreversible) return 'error';
  return step.kind === 'MANUAL' ? 'warning' : 'neutral';
}
