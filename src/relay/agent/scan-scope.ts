/**
 * Where a whole-directory read starts. An OU named by an admin is checked before anything is
 * sent to AD: it must parse as a DN and lie at or below LDAP_BASE_DN, so a scan can never read
 * (or confirm the existence of) anything the relay was not configured to serve.
 */
import { isWithinBase, parseDn } from '../../domain/dn.ts';
import { InputError } from '../../errors/index.ts';
import type { ScanScope } from '../../ports/snapshot.ts';

/** A DN for messages: control characters are refused upstream, length is capped here. */
function shown(dn: string): string {
  return dn.length > 200 ? `${dn.slice(0, 200)}…` : dn;
}

/**
 * The search base for `scope`: the OU's DN as typed (AD parses it; it was checked to parse here
 * too), or `baseDn` for the whole sync scope. `baseDn` undefined means no bound (fixtures only).
 */
export function scanBase(scope: ScanScope, baseDn: string | undefined): string | undefined {
  if (scope.kind === 'sync-scope') return baseDn;
  const dn = scope.dn.trim();
  if ((parseDn(dn)?.length ?? 0) === 0) {
    throw new InputError('INPUT_INVALID', `"${shown(dn)}" is not a distinguished name; name an OU like OU=Staff,DC=contoso,DC=com.`, {
      dn: shown(dn),
    });
  }
  if (baseDn !== undefined && !isWithinBase(dn, baseDn)) {
    throw new InputError(
      'OU_OUTSIDE_BASE_DN',
      `${shown(dn)} is not inside ${baseDn}, the part of Active Directory the relay reads (LDAP_BASE_DN).`,
      {
        dn: shown(dn),
        baseDn,
      },
    );
  }
  return dn;
}

export function ouNotFound(dn: string): InputError {
  return new InputError('OU_NOT_FOUND', `Active Directory has no object ${shown(dn)}.`, { dn: shown(dn) });
}

/** Page sizes a directory accepts: AD's MaxPageSize is 1,000 by default. */
export function assertPageSize(pageSize: number): void {
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000)
    throw new RangeError(`page size must be an integer in 1..1000, got ${pageSize}`);
}
