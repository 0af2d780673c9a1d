/**
 * Words the approval cards share: times, who acted, how a step can (or cannot) be undone, what a
 * done step changed, and the audit chain's verdict. Pure; every value that came from a person or
 * a directory is escaped by the caller's card parts or here, where it is put into markdown.
 */
import type { Actor, ApprovalRequest } from '../domain/approval/types.ts';
import type { AuditEntry, ChainVerdict } from '../domain/audit/types.ts';
import { escapeMarkdown, plural } from './card-parts.ts';

/** "2026-12-01T14:02:00Z": to the second, which is what an admin compares with Graph's timestamps. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The name of whoever acted, escaped; the bot's own actions are "Hardmatch". */
export function actorName(actor: Actor | null | undefined): string {
  return actor ? escapeMarkdown(actor.name) : 'Hardmatch';
}

/** "5 min ago", "3 h ago", "2 days ago": for lists, where the exact time is one click away. */
export function age(fromMs: number, nowMs: number): string {
  const minutes = Math.max(0, Math.floor((nowMs - fromMs) / 60_000));
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${plural(Math.floor(hours / 24), 'day')} ago`;
}

/** How a step is worded (who does it, whether it can be undone) lives with the plan's other wording. */
export { isReversible, undoMark } from './plan-steps.ts';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value as it reads best in one line: strings as they are, null as "none", the rest as JSON. */
function oneValue(value: unknown): string {
  if (value === null || value === undefined) return 'none';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** Longest compact JSON shown for one value; a 12-step card must stay under Teams' size limit. */
export const MAX_VALUE_CHARS = 160;

export function clipped(value: string, max = MAX_VALUE_CHARS): string {
  return value.length > max ? `${value.slice(0, max - 1)}…` : value;
}

/** Compact JSON of a recorded value, clipped (raw: the caller escapes it). */
export function compactJson(value: unknown): string {
  return clipped(value === undefined ? 'none' : JSON.stringify(value));
}

/**
 * What a done step changed, short: "onPremisesImmutableId: none → g8Pc…==" for each field that
 * differs (the user id is the subject, not a change); "purged jdoe…@…" when the object is gone;
 * otherwise the compact JSON of both. Raw text: the caller escapes it.
 */
export function changeText(before: unknown, after: unknown): string {
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => k !== 'userId');
    const changed = keys.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
    if (changed.length === 0) return 'no change: the value was already in place';
    return changed.map((k) => `${k}: ${clipped(oneValue(before[k]))} → ${clipped(oneValue(after[k]))}`).join('; ');
  }
  if (isRecord(before) && (after === null || after === undefined)) {
    const name = before.userPrincipalName ?? before.userId;
    return `${typeof name === 'string' ? name : compactJson(before)} → gone (purged)`;
  }
  return `${compactJson(before)} → ${compactJson(after)}`;
}

function entriesWord(n: number): string {
  return `${n} ${n === 1 ? 'entry' : 'entries'}`;
}

/** "The hash chain verifies (12 entries, head 3f2a9c01…)" or "The hash chain is BROKEN at entry 4: reason". */
export function chainVerdictText(verdict: ChainVerdict): string {
  if (verdict.ok) return `The hash chain verifies (${entriesWord(verdict.entries)}, head ${verdict.head.slice(0, 8)}…)`;
  return `The hash chain is BROKEN at entry ${verdict.brokenAt}: ${escapeMarkdown(verdict.reason)}`;
}

/** "Audit trail: 12 entries, hash chain verified" or "Audit trail: 12 entries, hash chain BROKEN at entry 4: reason". */
export function auditTrailLine(entries: readonly AuditEntry[], verdict: ChainVerdict): string {
  const count = entriesWord(entries.length);
  if (verdict.ok) return `Audit trail: ${count}, hash chain verified`;
  return `Audit trail: ${count}, hash chain BROKEN at entry ${verdict.brokenAt}: ${escapeMarkdown(verdict.reason)}`;
}

/** How many more approvals the request needs (never below zero). */
export function approvalsMissing(request: Pick<ApprovalRequest, 'approvals'>, requiredApprovals: number): number {
  return Math.max(0, requiredApprovals - request.approvals.length);
}
