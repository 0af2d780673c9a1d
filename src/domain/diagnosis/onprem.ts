/**
 * The diagnosis when `match <who>` does not name exactly one AD user: nothing found, or several
 * (the card lists them and suggests the exact command for each).
 */
import type { LookupResult, OnPremUser } from '../onprem-user.ts';
import { wordList } from './describe.ts';
import type { Diagnosis, Finding } from './types.ts';

export function diagnoseOnPrem(who: string, lookup: LookupResult): Diagnosis | null {
  const { users } = lookup;
  if (users.length === 1) return null;
  const finding = users.length === 0 ? notFound(who) : ambiguous(who, lookup);
  return {
    who,
    onPrem: null,
    candidates: [],
    findings: [finding],
    plan: { target: null, steps: [], nothingToDo: false, blockedReason: finding.remedy },
  };
}

function notFound(who: string): Finding {
  return {
    code: 'ONPREM_NOT_FOUND',
    severity: 'blocker',
    title: `No AD user matches "${who}"`,
    evidence: [`The relay found no user whose sAMAccountName, UPN, mail, proxy address, DN, objectGUID or ConsistencyGuid is "${who}"`],
    remedy:
      `Check the spelling and type the sAMAccountName (e.g. \`match jdoe\`), the UPN, the mail address, the DN or the objectGUID. ` +
      `If the user is in another domain or outside the relay's LDAP_BASE_DN, the relay cannot see it.`,
    userIds: [],
  };
}

function ambiguous(who: string, lookup: LookupResult): Finding {
  const commands = lookup.users.map((u) => `\`match ${exactName(u, lookup.users)}\``);
  return {
    code: 'ONPREM_AMBIGUOUS',
    severity: 'blocker',
    title: `${lookup.truncated ? 'More than ' : ''}${lookup.users.length} AD users match "${who}"`,
    evidence: [
      ...lookup.users.map((u) => `${u.samAccountName}: ${u.dn}, UPN ${u.userPrincipalName ?? '(none)'}, mail ${u.mail ?? '(none)'}`),
      ...(lookup.truncated ? [`The relay stopped after ${lookup.users.length} users; more match`] : []),
    ],
    remedy: lookup.truncated
      ? `Type one user exactly, by sAMAccountName, UPN or DN, e.g. ${commands.slice(0, 3).join(' or ')}.`
      : `Type one of them exactly: ${wordList(commands)}.`,
    userIds: [],
  };
}

/** The sAMAccountName, or the DN when several listed users share it (different domains). */
function exactName(user: OnPremUser, all: readonly OnPremUser[]): string {
  const same = all.filter((u) => u.samAccountName.toLowerCase() === user.samAccountName.toLowerCase());
  return same.length > 1 ? user.dn : user.samAccountName;
}
