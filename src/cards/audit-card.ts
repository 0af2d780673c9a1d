/**
 * `audit <id>`: every entry of a request's trail (seq, time, who, what, the step and its kind, the
 * before and after values) and, first, whether the hash chain verifies.
 */
import type { IAdaptiveCard } from 'adaptivecards/lib/schema.js';
import type { ApprovalRequest } from '../domain/approval/types.ts';
import type { AuditEntry, ChainVerdict } from '../domain/audit/types.ts';
import { card, escapeMarkdown, notice, text, type BodyElement } from './card-parts.ts';

export const AUDIT_VERDICT_ID = 'audit-verdict';

export interface AuditCardInput {
  request: ApprovalRequest;
  entries: readonly AuditEntry[];
  verdict: ChainVerdict;
  sandbox: boolean;
}

/** Short JSON for before/after values; long ones are clipped. */
function compact(value: unknown): string {
  const json = JSON.stringify(value) ?? 'null';
  return json.length > 160 ? `${json.slice(0, 159)}…` : json;
}

export function verdictInWords(verdict: ChainVerdict): string {
  return verdict.ok
    ? `The hash chain verifies (${verdict.entries} entries, head ${verdict.head.slice(0, 12)}…).`
    : `The hash chain is BROKEN at entry ${verdict.brokenAt}: ${verdict.reason}.`;
}

function entryBlock(entry: AuditEntry): BodyElement {
  const who = entry.actor ? `${entry.actor.name} (${entry.actor.aadObjectId})` : 'Hardmatch';
  const step = entry.step ? ` · step ${entry.step.number} ${entry.step.kind}` : '';
  const items: BodyElement[] = [
    text(`${entry.seq}. ${new Date(entry.at).toISOString()} · ${escapeMarkdown(who)} · ${entry.action}${step}${entry.code ? ` · ${escapeMarkdown(entry.code)}` : ''}`, { weight: 'bolder' }),
    text(escapeMarkdown(entry.summary)),
  ];
  if (entry.before !== undefined || entry.after !== undefined) {
    items.push({ ...text(escapeMarkdown(`${compact(entry.before)} → ${compact(entry.after)}`), { subtle: true }), fontType: 'Monospace' });
  }
  return { type: 'Container', separator: true, items } as BodyElement;
}

export function auditCard(input: AuditCardInput): IAdaptiveCard {
  const verdictText = verdictInWords(input.verdict);
  const body: BodyElement[] = [
    text(`Audit trail of request ${input.request.id} · ${escapeMarkdown(input.request.command)}`, { weight: 'bolder', size: 'medium' }),
    notice({ tone: input.verdict.ok ? 'good' : 'error', title: input.verdict.ok ? 'Chain verified' : 'Chain broken', text: verdictText, id: AUDIT_VERDICT_ID }),
    ...input.entries.map(entryBlock),
  ];
  return card(body, { sandbox: input.sandbox });
}
