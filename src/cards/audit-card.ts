/**
 * `audit <request id>`: every audit entry of a request, oldest first, and at the top whether the
 * hash chain verifies. A long trail is cut from the oldest end so the card stays under Teams'
 * size limit, and the card says how many entries it left out.
 */
import type { IAdaptiveCard } from 'adaptivecards/lib/schema.js';
import type { ApprovalRequest } from '../domain/approval/types.ts';
import type { AuditEntry, ChainVerdict } from '../domain/audit/types.ts';
import { actorName, chainVerdictText, compactJson, isoTime } from './approval-text.ts';
import { card, container, escapeMarkdown, FRAME_ALLOWANCE_BYTES, text, type BodyElement } from './card-parts.ts';
import { CARD_BUDGET_BYTES } from './match-card.ts';
import { auditActionTone } from './status-tones.ts';

export interface AuditCardInput {
  request: ApprovalRequest;
  entries: readonly AuditEntry[];
  verdict: ChainVerdict;
}

export const AUDIT_CARD_IDS = {
  verdict: 'audit-verdict',
  omitted: 'audit-omitted',
  entry: (seq: number) => `audit-entry-${seq}`,
} as const;

export function auditCard(input: AuditCardInput): IAdaptiveCard {
  let shown = input.entries.length;
  let built = render(input, shown);
  // Halve what is shown until it fits; the newest entries are the ones kept.
  while (shown > 1 && Buffer.byteLength(JSON.stringify(built), 'utf8') > CARD_BUDGET_BYTES - FRAME_ALLOWANCE_BYTES) {
    shown = Math.floor(shown / 2);
    built = render(input, shown);
  }
  return built;
}

function render(input: AuditCardInput, shown: number): IAdaptiveCard {
  const { request, verdict } = input;
  const entries = input.entries.slice(input.entries.length - shown);
  const body: BodyElement[] = [
    text(`Audit trail of request ${escapeMarkdown(request.id)} · ${escapeMarkdown(request.command)}`, { size: 'medium', weight: 'bolder' }),
    text(chainVerdictText(verdict), { tone: verdict.ok ? 'neutral' : 'error', weight: 'bolder', id: AUDIT_CARD_IDS.verdict }),
  ];
  const omitted = input.entries.length - entries.length;
  if (omitted > 0)
    body.push(
      text(`The ${omitted} oldest entries are not shown (card size limit); the newest ${entries.length} are.`, {
        subtle: true,
        id: AUDIT_CARD_IDS.omitted,
      }),
    );
  if (input.entries.length === 0) body.push(text('No entries.', { subtle: true }));
  body.push(...entries.map(entryBlock));
  return card(body, { summary: `Audit trail of request ${request.id}` });
}

/** "#3 · 2026-12-01T14:02:00Z · Ben Approver (object id) · approved", then the step, summary and values. */
function entryBlock(entry: AuditEntry): BodyElement {
  const who = entry.actor ? `${actorName(entry.actor)} (${escapeMarkdown(entry.actor.aadObjectId)})` : 'Hardmatch';
  const lines = [`**#${entry.seq}** · ${isoTime(entry.at)} · ${who} · **${entry.action}**`];
  if (entry.step)
    lines.push(
      `Step ${entry.step.number} · ${escapeMarkdown(entry.step.kind)}${entry.code ? ` · code ${escapeMarkdown(entry.code)}` : ''}`,
    );
  else if (entry.code) lines.push(`Code ${escapeMarkdown(entry.code)}`);
  lines.push(escapeMarkdown(entry.summary));
  if (entry.step && (entry.before !== undefined || entry.after !== undefined)) {
    lines.push(escapeMarkdown(`${compactJson(entry.before)} → ${compactJson(entry.after)}`));
  }
  return {
    ...container([text(lines.join('\n\n'), { tone: auditActionTone(entry.action) })], { id: AUDIT_CARD_IDS.entry(entry.seq) }),
    separator: true,
    spacing: 'small',
  };
}
