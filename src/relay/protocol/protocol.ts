/**
 * The wire contract between the bot (relay client) and `hardmatch-relay` (relay agent).
 * Both ends validate with these schemas; the bot never trusts a response it has not parsed.
 */
import { z } from 'zod';
import { controlCharacterProblem } from '../../domain/who.ts';
import type { ErrorCode } from '../../errors/index.ts';
import type { RelayHealth } from '../../ports/relay.ts';

export const RELAY_PATHS = {
  lookup: '/v1/lookup',
  health: '/v1/health',
  sync: '/v1/sync',
  usersPage: '/v1/users/page',
} as const;

/** Most users one lookup returns; more matches come back with `truncated: true`. */
export const MAX_LOOKUP_LIMIT = 50;
export const DEFAULT_LOOKUP_LIMIT = 10;

export const lookupRequestSchema = z.strictObject({
  // A control character (NUL above all: AD ends a value there) is refused before any search.
  // Around the value, whitespace (tab and line breaks included) is trimmed as the bot trims it.
  who: z
    .string()
    .min(1)
    .max(512)
    .superRefine((who, ctx) => {
      const problem = controlCharacterProblem(who.trim());
      if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
    }),
  limit: z.number().int().min(1).max(MAX_LOOKUP_LIMIT).optional(),
});
export type LookupRequest = z.infer<typeof lookupRequestSchema>;

const guidText = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);

export const onPremUserSchema = z.strictObject({
  dn: z.string(),
  samAccountName: z.string(),
  userPrincipalName: z.string().nullable(),
  mail: z.string().nullable(),
  proxyAddresses: z.array(z.string()),
  displayName: z.string().nullable(),
  enabled: z.boolean(),
  objectGuid: guidText,
  consistencyGuid: guidText.nullable(),
  whenChanged: z.string().nullable(),
  anchor: z.strictObject({
    attribute: z.enum(['objectGUID', 'mS-DS-ConsistencyGuid']),
    guid: guidText,
    immutableId: z.string(),
  }),
});

export const lookupResponseSchema = z.strictObject({
  users: z.array(onPremUserSchema),
  truncated: z.boolean(),
});

/**
 * A whole-directory read (`scan`), one page per request: the first request names the scope, each
 * later one also carries the cursor the previous answer gave, until an answer's cursor is null.
 * The relay keeps the LDAP paged search (its cookie is bound to the connection) between requests,
 * so the bot never holds more than one page of the directory in a response body.
 */
export const USERS_PAGE_SIZE = 1000;
/** A DN is at most a few hundred characters in practice; AD's own limit on an RDN value is 255. */
export const MAX_SCOPE_DN_LENGTH = 2048;

export const scanScopeSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('ou'),
    dn: z
      .string()
      .min(1)
      .max(MAX_SCOPE_DN_LENGTH)
      .superRefine((dn, ctx) => {
        const problem = controlCharacterProblem(dn);
        if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
      }),
  }),
  z.strictObject({ kind: z.literal('sync-scope') }),
]);

/** Opaque to the bot: 32 base64url characters (24 random bytes) minted by the relay. */
export const scanCursorSchema = z.string().regex(/^[A-Za-z0-9_-]{32}$/, 'must be a cursor the relay gave');

export const usersPageRequestSchema = z.strictObject({
  scope: scanScopeSchema,
  cursor: scanCursorSchema.optional(),
});
export type UsersPageRequest = z.infer<typeof usersPageRequestSchema>;

export const usersPageResponseSchema = z.strictObject({
  users: z.array(onPremUserSchema).max(USERS_PAGE_SIZE),
  /** Null on the last page. */
  cursor: scanCursorSchema.nullable(),
});
export type UsersPageResponse = z.infer<typeof usersPageResponseSchema>;

export const healthResponseSchema = z.strictObject({
  status: z.enum(['ok', 'failing']),
  directory: z.enum(['ldap', 'fixtures']),
  sourceAnchor: z.enum(['auto', 'objectGUID', 'mS-DS-ConsistencyGuid']),
  version: z.string(),
  /** Present when failing: the error code and plain words, never secrets. */
  problem: z.strictObject({ code: z.string(), message: z.string() }).optional(),
}) satisfies z.ZodType<RelayHealth>;

/** The only sync a caller may ask for; the request names no command, the relay's config does. */
export const syncRequestSchema = z.strictObject({
  policy: z.literal('Delta'),
});
export type SyncRequest = z.infer<typeof syncRequestSchema>;

/** Most characters of the sync command's output a response carries (the relay's log has all). */
export const MAX_SYNC_DETAIL_CHARS = 4000;

const isoDateTime = z.iso.datetime({ offset: true });

export const syncResponseSchema = z.strictObject({
  status: z.literal('completed'),
  startedAt: isoDateTime,
  finishedAt: isoDateTime,
  detail: z.string().max(MAX_SYNC_DETAIL_CHARS),
  report: z.unknown().optional(),
});
export type SyncResponse = z.infer<typeof syncResponseSchema>;

export const errorResponseSchema = z.strictObject({
  error: z.strictObject({ code: z.string(), message: z.string() }),
});
export type ErrorResponse = { error: { code: ErrorCode; message: string } };
