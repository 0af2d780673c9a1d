/**
 * `guid <who>`: every format of a user's anchor, and which cloud users hold it. An anchor typed by
 * the admin converts locally whatever the relay does; a name needs the relay. The cloud look-up of
 * a typed anchor runs concurrently with the relay's; a user's anchors are asked after the look-up.
 */
import { guidCard, type OnPremState } from '../../cards/guid-card.ts';
import { noticeCard } from '../../cards/notice-card.ts';
import { usersListCard } from '../../cards/users-list-card.ts';
import { toImmutableId } from '../../domain/anchors.ts';
import { classifyWho, type Who } from '../../domain/who.ts';
import { toUserText, UserNotFound } from '../../errors/index.ts';
import type { LookupResult } from '../../domain/onprem-user.ts';
import type { CommandDeps } from './command.ts';
import { cardReply, type Reply } from '../reply.ts';
import { anchorsOf, holdersCheck, TYPED_LABEL, type AnchorToCheck } from './anchor-holders.ts';
import type { Command } from './command.ts';

export const RELAY_NOT_CONFIGURED = {
  title: 'On-premises look-up not configured',
  text: 'Looking a user up by name needs the on-premises relay: set RELAY_URL and RELAY_KEY for the bot. A GUID or ImmutableID still converts without it, e.g. guid 96dcc383-2f6e-4fa2-af15-6b4c1119259a.',
} as const;

export const guidCommand: Command = {
  name: 'guid',
  remote: true,
  help: {
    usage: 'guid <who>',
    summary:
      'Shows the AD user and its anchor in every format (GUID, ImmutableID, hex, LDAP filter, ConsistencyGuid), which one Entra Connect matches on, and which cloud users (active or deleted) hold it. <who> is a sAMAccountName, UPN, mail, DN, GUID, ImmutableID or escaped hex.',
    examples: ['guid jdoe', 'guid jdoe@contoso.com', 'guid 96dcc383-2f6e-4fa2-af15-6b4c1119259a', 'guid g8Pclm4vok+vFWtMERklmg=='],
  },
  run: runGuid,
};

export async function runGuid(args: string, deps: CommandDeps): Promise<Reply> {
  // Malformed input (bad anchor, spaces, too long) throws InputError here, before anything is asked.
  const who = classifyWho(args);
  const cloud = holdersCheck(deps);
  if (who.kind === 'anchor') {
    // The typed value needs no AD: ask the cloud while the relay looks the user up.
    const typed: AnchorToCheck = { immutableId: toImmutableId(who.anchor), label: TYPED_LABEL };
    cloud.start(typed.immutableId);
    const onPrem = await anchorOnPrem(who, deps);
    const anchors = onPrem.kind === 'found' ? withTyped(anchorsOf(onPrem.user), typed) : [typed];
    const cloudState = await cloud.collect(anchors);
    return cardReply(guidCard({ query: who.text, typed: who.anchor, onPrem, cloud: cloudState }));
  }
  if (!deps.relay) {
    return cardReply(noticeCard({ tone: 'warning', ...RELAY_NOT_CONFIGURED }));
  }
  // Relay and directory errors propagate: the router turns them into an error card with the code.
  const result = await deps.relay.lookup(who.text);
  const [first] = result.users;
  if (!first) throw new UserNotFound(who.text);
  if (result.users.length > 1 || result.truncated) {
    return cardReply(usersListCard({ query: who.text, command: 'guid', users: result.users, truncated: result.truncated }));
  }
  const cloudState = await cloud.collect(anchorsOf(first));
  return cardReply(guidCard({ query: who.text, onPrem: { kind: 'found', user: first }, cloud: cloudState }));
}

/** The user's anchors, plus the typed value if the relay found the user by something else. */
function withTyped(anchors: AnchorToCheck[], typed: AnchorToCheck): AnchorToCheck[] {
  return anchors.some((a) => a.immutableId === typed.immutableId) ? anchors : [...anchors, typed];
}

/** The on-prem side for a typed anchor. Never throws: the local conversion is worth showing anyway. */
async function anchorOnPrem(who: Extract<Who, { kind: 'anchor' }>, deps: CommandDeps): Promise<OnPremState> {
  if (!deps.relay) return { kind: 'not-configured' };
  try {
    return stateOf(await deps.relay.lookup(who.text));
  } catch (err) {
    deps.logger.warn({ err, who: who.text }, 'guid: relay look-up failed; showing local conversion only');
    return { kind: 'unavailable', problem: toUserText(err) };
  }
}

function stateOf(result: LookupResult): OnPremState {
  const [first] = result.users;
  if (!first) return { kind: 'none' };
  if (result.users.length > 1 || result.truncated) return { kind: 'several', users: result.users, truncated: result.truncated };
  return { kind: 'found', user: first };
}
