/**
 * VERIFY_JOINED's second half: the join is proven; did it keep the plan's promise (`JoinPromise`)?
 * The UPN the card predicted, every address of the AD user on the joined user (none quarantined)
 * and no provisioning error. What is missing is a leftover, each with its fix: the request then
 * ends `done-with-warnings`, and `match` shows the same leftovers as findings with their steps.
 */
import type { Leftover } from '../domain/approval/types.ts';
import { sameAddress, smtpAddresses, type CloudUser } from '../domain/cloud.ts';
import type { JoinPromise } from '../domain/diagnosis/types.ts';

export function leftoversOf(user: CloudUser, promise: JoinPromise | undefined): Leftover[] {
  if (!promise)
    return user.provisioningErrors.map((e) => errorLeftover(user, e, `match ${user.onPremisesSamAccountName ?? user.userPrincipalName}`));
  const out: Leftover[] = [];
  const recheck = `\`${promise.recheck}\``;
  if (promise.userPrincipalName !== null && !sameAddress(user.userPrincipalName, promise.userPrincipalName)) {
    out.push({
      what: `${user.userPrincipalName} did not get the UPN ${promise.userPrincipalName} the plan predicted`,
      fix: `Another object holds ${promise.userPrincipalName}, or the AD UPN changed: type ${recheck}, which names the holder and plans the step that frees it.`,
    });
  }
  const held = new Set([...smtpAddresses(user.proxyAddresses), user.mail ?? ''].map((a) => a.toLowerCase()));
  for (const address of promise.addresses.filter((a) => !held.has(a))) {
    out.push({
      what: `${address} is not on ${user.userPrincipalName}: Entra quarantined it (another object holds it)`,
      fix: `Remove ${address} from the object that holds it (type ${recheck}: it names it and plans the step), then run a delta sync.`,
    });
  }
  const quarantined = new Set(promise.addresses);
  for (const e of user.provisioningErrors) {
    const value = e.value.replace(/^smtp:/i, '').toLowerCase();
    // An address already listed above is one leftover, not two.
    if (e.property === 'ProxyAddress' && quarantined.has(value) && !held.has(value)) continue;
    out.push(errorLeftover(user, e, promise.recheck));
  }
  return out;
}

function errorLeftover(user: CloudUser, e: CloudUser['provisioningErrors'][number], recheck: string): Leftover {
  return {
    what: `Entra records ${e.category} on ${e.property} ${e.value} for ${user.userPrincipalName}${e.occurredDateTime ? ` since ${e.occurredDateTime}` : ''}`,
    fix: `Free ${e.value.replace(/^smtp:/i, '')} on the object that holds it (type \`${recheck}\`: it names it and plans the step); the next sync clears the error.`,
  };
}
