/**
 * One LDAP search entry → our `OnPremUser`. Kept apart from the connection code so the attribute
 * quirks (binary GUIDs, generalized time, single vs multi values, name casing) are tested alone.
 */
import type { Entry } from 'ldapts';
import { anchorFromBytes, toGuid } from '../../domain/anchors.ts';
import { effectiveAnchor } from '../../domain/effective-anchor.ts';
import type { OnPremUser, SourceAnchorSetting } from '../../domain/onprem-user.ts';
import { DirectoryError } from '../../errors/index.ts';

/** Everything a lookup reads; nothing else leaves the directory. */
export const USER_ATTRIBUTES: readonly string[] = Object.freeze([
  'distinguishedName',
  'sAMAccountName',
  'userPrincipalName',
  'mail',
  'proxyAddresses',
  'displayName',
  'userAccountControl',
  'objectGUID',
  'mS-DS-ConsistencyGuid',
  'whenChanged',
]);

/**
 * Attributes to receive as raw bytes. ldapts compares these names with the server's spelling
 * case-sensitively, and a GUID decoded as UTF-8 text is silently corrupted, so every spelling a
 * directory has been seen to use is listed.
 */
export const BINARY_ATTRIBUTES: readonly string[] = Object.freeze([
  'objectGUID',
  'objectGuid',
  'objectguid',
  'mS-DS-ConsistencyGuid',
  'ms-DS-ConsistencyGuid',
  'ms-ds-consistencyguid',
]);

/** userAccountControl bit ACCOUNTDISABLE (MS-ADTS 2.2.16). */
const ACCOUNT_DISABLE = 0x2;

type Value = Entry[string];

/** Attribute names are case-insensitive in LDAP; servers answer in their own casing. */
function attributeReader(entry: Entry): (name: string) => Value | undefined {
  const byLower = new Map<string, Value>();
  for (const [name, value] of Object.entries(entry)) byLower.set(name.toLowerCase(), value);
  return (name) => byLower.get(name.toLowerCase());
}

function malformed(dn: string, attribute: string, why: string): DirectoryError {
  return new DirectoryError('DIRECTORY_FAILED', `The directory returned ${dn} with ${attribute} ${why}.`, {
    details: { dn, attribute },
  });
}

function texts(value: Value | undefined): string[] {
  if (value === undefined) return [];
  const list: (string | Buffer)[] = Array.isArray(value) ? value : [value];
  return list.map((v) => (Buffer.isBuffer(v) ? v.toString('utf8') : v));
}

function text(value: Value | undefined): string | null {
  return texts(value)[0] ?? null;
}

/** A 16-byte GUID attribute as GUID text; null when absent. Never decodes text as bytes. */
function guidText(dn: string, attribute: string, value: Value | undefined): string | null {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  if (first === undefined) return null;
  if (!Buffer.isBuffer(first)) throw malformed(dn, attribute, 'as text instead of bytes');
  if (first.length !== 16) throw malformed(dn, attribute, `of ${first.length} bytes instead of 16`);
  return toGuid(anchorFromBytes(first));
}

/**
 * LDAP generalized time (`20251014082137.0Z`, or with a `+hhmm` offset) → ISO 8601 in UTC.
 * Null when the value is not in that form, rather than a made-up date.
 */
export function generalizedTimeToIso(value: string): string | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:[.,](\d+))?(Z|[+-]\d{4})$/.exec(value);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac = '0', zone = 'Z'] = m;
  const ms = Number(frac.padEnd(3, '0').slice(0, 3));
  const local = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms));
  // Date.UTC rolls 20250231 over into March; a value that does not round-trip is not a real time.
  const written = [Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s)];
  const parsed = [
    local.getUTCFullYear(),
    local.getUTCMonth() + 1,
    local.getUTCDate(),
    local.getUTCHours(),
    local.getUTCMinutes(),
    local.getUTCSeconds(),
  ];
  if (written.some((v, i) => v !== parsed[i])) return null;
  const offsetMinutes = zone === 'Z' ? 0 : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5)));
  return new Date(local.getTime() - offsetMinutes * 60_000).toISOString();
}

function isEnabled(uac: string | null): boolean {
  // Without userAccountControl (an account the bind user may not fully read) no disable bit is known.
  if (uac === null || !/^-?\d+$/.test(uac)) return true;
  return (Number(uac) & ACCOUNT_DISABLE) === 0;
}

export function entryToOnPremUser(entry: Entry, sourceAnchor: SourceAnchorSetting): OnPremUser {
  const read = attributeReader(entry);
  const dn = text(read('distinguishedName')) ?? entry.dn;
  const samAccountName = text(read('sAMAccountName'));
  if (samAccountName === null) throw malformed(dn, 'sAMAccountName', 'missing');
  const objectGuid = guidText(dn, 'objectGUID', read('objectGUID'));
  if (objectGuid === null) throw malformed(dn, 'objectGUID', 'missing');
  const consistencyGuid = guidText(dn, 'mS-DS-ConsistencyGuid', read('mS-DS-ConsistencyGuid'));
  const whenChanged = text(read('whenChanged'));
  return {
    dn,
    samAccountName,
    userPrincipalName: text(read('userPrincipalName')),
    mail: text(read('mail')),
    proxyAddresses: texts(read('proxyAddresses')),
    displayName: text(read('displayName')),
    enabled: isEnabled(text(read('userAccountControl'))),
    objectGuid,
    consistencyGuid,
    whenChanged: whenChanged === null ? null : generalizedTimeToIso(whenChanged),
    anchor: effectiveAnchor(sourceAnchor, objectGuid, consistencyGuid),
  };
}

/** Stable order for results: sAMAccountName (case-insensitive), then DN, so pages never reshuffle. */
export function compareUsers(a: OnPremUser, b: OnPremUser): number {
  const an = a.samAccountName.toLowerCase();
  const bn = b.samAccountName.toLowerCase();
  if (an !== bn) return an < bn ? -1 : 1;
  return a.dn < b.dn ? -1 : a.dn > b.dn ? 1 : 0;
}
