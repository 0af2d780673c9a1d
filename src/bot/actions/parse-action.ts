/**
 * An Action.Execute invoke's data, read strictly: `verb` and `requestId` are the only keys trusted
 * from the card (plus `step` for manualDone and the card inputs `justification` / `reason`);
 * anything else the client sends is ignored. A target, an anchor or an actor in the data is never
 * read: everything else is looked up on the server.
 */
import { z } from 'zod';
import { isRequestId } from '../../domain/approval/request-id.ts';
import { ACTION_VERBS, type ActionVerb } from '../../domain/approval/types.ts';

export type ParsedAction =
  | { ok: true; verb: ActionVerb; requestId: string; justification?: string; reason?: string; step?: number; exclude?: string[] }
  | { ok: false; message: string };

const shape = z.object({
  verb: z.string(),
  requestId: z.string(),
  justification: z.string().optional(),
  reason: z.string().optional(),
  step: z.union([z.number(), z.string()]).optional(),
  // A bulk request's "leave these users out" input: names one per line (or comma-separated).
  exclude: z.string().max(200_000).optional(),
});

/** Most users one request may leave out by name. */
export const MAX_EXCLUDED = 5_000;

export function parseAction(invokeVerb: unknown, data: unknown): ParsedAction {
  const parsed = shape.safeParse(data);
  if (!parsed.success)
    return {
      ok: false,
      message: 'This card action is not one Hardmatch knows (it carries no request id). Type "status" to see your requests.',
    };
  const { verb, requestId, justification, reason, step, exclude } = parsed.data;
  if (!(ACTION_VERBS as readonly string[]).includes(verb) || (typeof invokeVerb === 'string' && invokeVerb !== verb)) {
    return { ok: false, message: `"${verb.slice(0, 40)}" is not a Hardmatch card action; nothing was changed.` };
  }
  if (!isRequestId(requestId)) return { ok: false, message: `"${requestId.slice(0, 40)}" is not a request id; nothing was changed.` };
  const stepNumber = typeof step === 'string' ? Number(step) : step;
  return {
    ok: true,
    verb: verb as ActionVerb,
    requestId: requestId.toLowerCase(),
    ...(justification !== undefined ? { justification } : {}),
    ...(reason !== undefined ? { reason } : {}),
    ...(stepNumber !== undefined && Number.isInteger(stepNumber) ? { step: stepNumber } : {}),
    ...(exclude !== undefined ? { exclude: namesOf(exclude) } : {}),
  };
}

function namesOf(text: string): string[] {
  const names = text
    .split(/[\r\n;]+/)
    .map((n) => n.trim())
    .filter((n) => n !== '');
  return [...new Set(names)].slice(0, MAX_EXCLUDED + 1);
}
