/** Request bodies: Graph accepts only a JSON object where a body is expected. */
import { graphErrors } from '../graph-errors.ts';
import type { EmulatorRequest } from './types.ts';

/** The body as a JSON object; `allowEmpty` lets an action take no body (e.g. restore). */
export function readJsonObject(request: EmulatorRequest, allowEmpty = false): Record<string, unknown> {
  if (request.body.trim() === '') {
    if (allowEmpty) return {};
    throw graphErrors.invalidJson();
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(request.body);
  } catch {
    throw graphErrors.invalidJson();
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw graphErrors.invalidJson();
  return parsed as Record<string, unknown>;
}
