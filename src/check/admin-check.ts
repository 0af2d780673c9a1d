/**
 * Check 5 of `hardmatch check`: someone may request and approve a fix. ADMIN_GROUP_ID must name a
 * group of this tenant with user members (nested groups count, as the bot reads them); each entry
 * of ADMIN_IDS must be an active user of the tenant. Together they must hold more admins than REQUIRED_APPROVALS, since the
 * requester never approves their own request.
 */
import type { BotConfig } from '../config/load-config.ts';
import type { ConfigurationCheck } from '../cloud-directory/index.ts';
import { CloudError } from '../errors/index.ts';
import { bounded, failed, failedFrom, ok, skipped, type Outcome, type Report } from './report.ts';

export interface AdminCheckInput {
  approval: BotConfig['approval'];
  graph: ConfigurationCheck;
  /** Why Graph cannot be asked (from the earlier checks), or undefined. */
  graphUnusable: string | undefined;
  /** Set when the permission check found GroupMember.Read.All missing. */
  groupPermissionMissing: boolean;
  /** Set when the permission check found reading users refused. */
  userReadMissing: boolean;
  timeoutMs: number;
}

const GROUP_FIX =
  "Set ADMIN_GROUP_ID to the object id of the Entra group of Hardmatch admins (Entra admin center > Groups > the group > Object ID), or list the admins' object ids in ADMIN_IDS instead.";

async function groupOutcome(input: AdminCheckInput, groupId: string): Promise<{ outcome: Outcome; members: string[] }> {
  if (input.graphUnusable) return { outcome: skipped(`${input.graphUnusable} (ADMIN_GROUP_ID not read)`), members: [] };
  if (input.groupPermissionMissing) return { outcome: skipped('GroupMember.Read.All is missing (ADMIN_GROUP_ID not read)'), members: [] };
  try {
    const members = await bounded(input.timeoutMs, () => input.graph.groupUserIds(groupId));
    if (members.length === 0) {
      return {
        outcome: failed(
          `ADMIN_GROUP_ID ${groupId} names a group with no user members (nested groups included): nobody in it can request or approve a fix.`,
          'Add the Hardmatch admins to that group, or set ADMIN_GROUP_ID to the group that holds them.',
        ),
        members,
      };
    }
    return { outcome: ok(`ADMIN_GROUP_ID ${groupId}: ${members.length} user member(s), nested groups included.`), members };
  } catch (err) {
    if (err instanceof CloudError && err.status === 404) {
      return {
        outcome: failed(
          `ADMIN_GROUP_ID ${groupId} names no group in this tenant (Graph answered 404 ${err.graphCode ?? ''}).`.replace(' )', ')'),
          GROUP_FIX,
        ),
        members: [],
      };
    }
    return { outcome: failedFrom(err, GROUP_FIX), members: [] };
  }
}

/** The outcome, and which listed ids count as admins (as listed when they could not be looked up). */
async function listedOutcome(input: AdminCheckInput, ids: readonly string[]): Promise<{ outcome: Outcome; admins: readonly string[] }> {
  if (input.graphUnusable) return { outcome: skipped(`${input.graphUnusable} (ADMIN_IDS not looked up)`), admins: ids };
  if (input.userReadMissing) return { outcome: skipped('reading users is refused (ADMIN_IDS not looked up)'), admins: ids };
  try {
    const found = await bounded(input.timeoutMs, () => input.graph.activeUserIds(ids));
    const admins = ids.filter((id) => found.has(id.toLowerCase()));
    const unknown = ids.filter((id) => !found.has(id.toLowerCase()));
    if (unknown.length === 0) return { outcome: ok(`ADMIN_IDS lists ${ids.length} admin(s), each an active user of this tenant.`), admins };
    const one = unknown.length === 1;
    const outcome = failed(
      `ADMIN_IDS lists ${unknown.join(', ')}, which ${one ? 'is' : 'are'} not an active user of this tenant (deleted, or a typo): ${one ? 'that entry is' : 'those entries are'} no admin.`,
      "Correct ADMIN_IDS: each entry is a user's Object ID (Entra admin center > Users > the user > Object ID), comma-separated.",
    );
    return { outcome, admins };
  } catch (err) {
    return { outcome: failedFrom(err), admins: ids };
  }
}

function enoughOutcome(admins: number, requiredApprovals: number): Outcome {
  const needed = requiredApprovals + 1;
  if (admins >= needed)
    return ok(
      `${admins} admin(s) in all; REQUIRED_APPROVALS ${requiredApprovals} needs at least ${needed} (the requester never approves their own request).`,
    );
  return failed(
    `only ${admins} admin(s) in all, but REQUIRED_APPROVALS ${requiredApprovals} needs at least ${needed} (the requester never approves their own request): no request could ever be approved.`,
    'Add admins (to the ADMIN_GROUP_ID group or ADMIN_IDS), or lower REQUIRED_APPROVALS.',
  );
}

export async function adminSection(input: AdminCheckInput, report: Report): Promise<void> {
  report.section('Admins (who may request and approve)');
  const { adminGroupId, adminIds, policy } = input.approval;
  if (!adminGroupId && adminIds.length === 0) {
    report.outcome(
      failed(
        'neither ADMIN_GROUP_ID nor ADMIN_IDS is set: `match` works, but nobody can request or approve a fix.',
        "Set ADMIN_GROUP_ID to the object id of the Entra group of Hardmatch admins, or ADMIN_IDS to the admins' Entra object ids, comma-separated.",
      ),
    );
    return;
  }
  const found = new Set<string>();
  let groupFailed = false;
  if (adminGroupId) {
    const group = await groupOutcome(input, adminGroupId);
    report.outcome(group.outcome);
    groupFailed = group.outcome.kind !== 'ok';
    group.members.forEach((id) => found.add(id));
  }
  if (adminIds.length > 0) {
    const listed = await listedOutcome(input, adminIds);
    report.outcome(listed.outcome);
    listed.admins.forEach((id) => found.add(id.toLowerCase()));
  }
  // Without the group's members the count would be wrong either way.
  report.outcome(groupFailed ? skipped('the admin group check failed') : enoughOutcome(found.size, policy.requiredApprovals));
}
