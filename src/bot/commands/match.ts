/**
 * `match <who> [to <cloud user>]`: the diagnosis card. Reads the AD user through the relay and
 * every cloud object that bears on it through Graph, diagnoses, and shows findings and the plan.
 * Changes nothing. The look-ups that do not depend on each other (the AD user, the tenant's facts,
 * the named target) run concurrently; only the evidence read waits for the AD user, and it does not
 * wait for the tenant facts (a cold read of them overlaps it), so a `match` costs one Graph round
 * trip after the relay look-up, cached or not.
 */
import { matchCard } from '../../cards/match-card.ts';
import { noticeCard } from '../../cards/notice-card.ts';
import { readDiagnosis } from '../../approvals/read-diagnosis.ts';
import { StoreError, toUserText, type UserText } from '../../errors/index.ts';
import type { CommandDeps } from './command.ts';
import { cardReply, type Reply } from '../reply.ts';
import { anonymousTurn, type Turn } from '../turn.ts';
import type { Command } from './command.ts';
import { MATCH_USAGE, parseMatchArgs } from './match-args.ts';

export const MATCH_NEEDS_RELAY = {
  title: 'match needs the on-premises relay',
  text: 'match reads the AD user through hardmatch-relay, and the relay is not configured: set RELAY_URL and RELAY_KEY for the bot. Until then only "guid" with a GUID or ImmutableID works.',
} as const;

export const MATCH_NEEDS_CLOUD = {
  title: 'Cloud check not configured',
  text: 'match compares the AD user with Entra ID through Microsoft Graph, and this bot has no Graph access configured: give it a managed identity, or set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or AZURE_CLIENT_CERTIFICATE_PATH). Meanwhile "guid <who>" shows the AD user and its anchors.',
} as const;

export const matchCommand: Command = {
  name: 'match',
  remote: true,
  help: {
    usage: MATCH_USAGE,
    summary:
      'Diagnoses how an AD user matches (or fails to match) its Entra ID user: the AD object, every cloud user that could collide, findings with their codes, the plan that fixes it and what the next sync will do. Changes nothing. Add "to" and a cloud UPN or object id to name the cloud user it should match.',
    examples: [
      'match jdoe',
      'match jdoe@contoso.com',
      'match jdoe to john.doe@contoso.com',
      'match jdoe to 1f0e6a4c-3f1d-4c55-9a51-0d2b7a1c9e11',
    ],
  },
  run: runMatch,
};

export async function runMatch(args: string, deps: CommandDeps, turn: Turn = anonymousTurn(`match ${args}`)): Promise<Reply> {
  // Bad input throws InputError here, before the relay or Graph is asked anything.
  const { who, target } = parseMatchArgs(args);
  const { relay, cloud } = deps;
  if (!relay) return cardReply(noticeCard({ tone: 'error', ...MATCH_NEEDS_RELAY }));
  if (!cloud) return cardReply(noticeCard({ tone: 'warning', ...MATCH_NEEDS_CLOUD }));
  const command = target ? `match ${who} to ${target}` : `match ${who}`;
  // Relay, directory and Graph errors propagate: the router makes an error card with the code.
  const verifyTimeoutSeconds = deps.approvals ? Math.round(deps.approvals.policy.verifyTimeoutMs / 1000) : undefined;
  const read = await readDiagnosis(
    { who, ...(target ? { target } : {}) },
    { relay, cloud, ...(verifyTimeoutSeconds ? { verifyTimeoutSeconds } : {}) },
  );
  if (!read.resolved) return cardReply(matchCard(read.diagnosis, { command, onPremMatches: read.lookup }));
  deps.logger.debug({ who, target, candidates: read.diagnosis.candidates.length }, 'match: evidence read');
  const { approvals } = deps;
  const proposal = approvals
    ? await proposed(
        () =>
          approvals.service.propose({
            actor: turn.actor,
            tenantId: turn.tenantId,
            command,
            who,
            ...(target ? { target } : {}),
            diagnosis: read.diagnosis,
          }),
        deps,
        who,
      )
    : {};
  const card = matchCard(read.diagnosis, { command, ...proposal });
  return proposal.requestId ? { card, requestId: proposal.requestId } : cardReply(card);
}

/**
 * The stored request's id for the card, or why approval cannot be requested: the diagnosis was read
 * and is worth showing when the store fails, since only approval needs the store.
 */
async function proposed(
  propose: () => Promise<{ id: string } | null>,
  deps: CommandDeps,
  who: string,
): Promise<{ requestId?: string; approvalUnavailable?: UserText }> {
  try {
    const request = await propose();
    return request ? { requestId: request.id } : {};
  } catch (err) {
    if (!(err instanceof StoreError)) throw err;
    deps.logger.warn({ err, who }, 'match: the request store failed; showing the diagnosis without approval');
    return { approvalUnavailable: toUserText(err) };
  }
}
