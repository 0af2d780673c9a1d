/**
 * An error as a card shows it: `toUserText`'s words (the one place errors become words) plus, for
 * a Microsoft Graph failure, Graph's own code, status and message as CloudError carries them.
 */
import type { Problem } from '../cards/problem.ts';
import { CloudError, toUserText } from '../errors/index.ts';

export function problemOf(err: unknown): Problem {
  const words = toUserText(err);
  if (!(err instanceof CloudError)) return words;
  if (err.graphCode === null && err.graphMessage === null && err.status === null) return words;
  return { ...words, graph: { code: err.graphCode, message: err.graphMessage, status: err.status } };
}
