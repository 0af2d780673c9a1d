/**
 * A failure as a card shows it: our words (`toUserText`) plus, for a Microsoft Graph failure,
 * Graph's own error code, so the admin can look it up. Used by the error card and by cards that
 * show one failed part next to parts that worked (the guid card's cloud section).
 */
import type { IContainer } from 'adaptivecards/lib/schema.js';
import type { UserText } from '../errors/index.ts';
import { facts, notice } from './card-parts.ts';

/** What Graph said (CloudError's graphCode, graphMessage and HTTP status), when it said anything. */
export interface GraphDetail {
  code: string | null;
  message: string | null;
  status: number | null;
}

export interface Problem extends UserText {
  graph?: GraphDetail;
}

export function problemNotice(problem: Problem, options: { id?: string } = {}): IContainer {
  const block = notice({ tone: 'error', title: problem.title, text: problem.text, code: problem.code, ...options });
  const rows = graphRows(problem);
  if (rows.length > 0) block.items = [...(block.items ?? []), facts(rows)];
  return block;
}

/** Graph's code and status; its message only when our text does not already quote it. */
function graphRows(problem: Problem): [string, string][] {
  const graph = problem.graph;
  if (!graph) return [];
  const rows: [string, string][] = [];
  if (graph.code) rows.push(['Graph error code', graph.code]);
  if (graph.status !== null) rows.push(['HTTP status', String(graph.status)]);
  if (graph.message && !problem.text.includes(graph.message)) rows.push(['Graph message', graph.message]);
  return rows;
}
