/**
 * The users every Samba-backed test can rely on, added over LDAPS as Administrator, then read back
 * with `ldapsearch` (OpenLDAP's client, independent of ldapts) so tests compare the product's
 * answers with what the DC really stores, never with values written down here.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { Attribute, Change, type Client } from 'ldapts';
import { anchorFromBytes, toGuid } from '../../src/domain/anchors.ts';

const run = promisify(execFile);

export type SeedUserKey = 'jdoe' | 'cguid' | 'disabled1' | 'share1' | 'share2' | 'zoe' | 'localupn' | 'plainuser' | 'obrien' | 'scoped';

/** An OU holding one user, so a relay whose LDAP_BASE_DN is this OU can be tested against the rest. */
export const SCOPED_OU = 'OU=Scoped';

interface SeedSpec {
  cn: string;
  sam: string;
  upn: string;
  mail?: string;
  proxyAddresses?: string[];
  disabled?: boolean;
  /** Give mS-DS-ConsistencyGuid random bytes, unlike objectGUID, as after a forest migration. */
  migrated?: boolean;
  /** The container under the domain, default `CN=Users`. */
  container?: string;
}

export const SEED_USERS: Readonly<Record<SeedUserKey, SeedSpec>> = {
  jdoe: {
    cn: 'John Doe',
    sam: 'jdoe',
    upn: 'jdoe@contoso.com',
    mail: 'jdoe@contoso.com',
    proxyAddresses: ['SMTP:jdoe@contoso.com', 'smtp:john.doe@contoso.com'],
  },
  cguid: { cn: 'Carla Guid', sam: 'cguid', upn: 'cguid@contoso.com', mail: 'cguid@contoso.com', migrated: true },
  disabled1: { cn: 'Disabled One', sam: 'disabled1', upn: 'disabled1@contoso.com', disabled: true },
  share1: { cn: 'Shared One', sam: 'share1', upn: 'share1@contoso.com', mail: 'shared@contoso.com' },
  share2: { cn: 'Shared Two', sam: 'share2', upn: 'share2@contoso.com', mail: 'shared@contoso.com' },
  // LDAP filter specials and non-ASCII in the name: a lookup must treat them as plain text.
  zoe: { cn: 'Zoë (Ops) *Star\\ Ødegård', sam: 'zoe.odegard', upn: 'zoe.odegard@contoso.com' },
  localupn: { cn: 'Local Upn', sam: 'localupn', upn: 'localupn@contoso.local' },
  // Prefixes of hostile values (`plainuser\u0000*`): a NUL must not cut the value down to these.
  plainuser: { cn: 'Plain User', sam: 'plainuser', upn: 'plainuser@contoso.com' },
  obrien: { cn: "Sean O'Brien", sam: 'obrien', upn: "o'brien@contoso.com" },
  scoped: { cn: 'Scoped User', sam: 'scoped1', upn: 'scoped1@contoso.com', container: SCOPED_OU },
};

/** A seeded user as Samba stores it. JSON-safe: it crosses from globalSetup to the test workers. */
export interface SambaUser {
  key: SeedUserKey;
  dn: string;
  cn: string;
  sam: string;
  upn: string | null;
  mail: string | null;
  proxyAddresses: string[];
  displayName: string | null;
  enabled: boolean;
  /** GUID text of objectGUID, as Samba returned it. */
  objectGuid: string;
  /** Base64 of the stored objectGUID bytes (the ImmutableID under objectGUID). */
  objectGuidImmutableId: string;
  consistencyGuid: string | null;
  consistencyGuidImmutableId: string | null;
}

/** RFC 4514 escaping of one RDN value (test data only; the product never builds DNs). */
function escapeDnValue(value: string): string {
  return value
    .replace(/[\\,+"<>;=]/g, (c) => `\\${c}`)
    .replace(/^[ #]/, (c) => `\\${c}`)
    .replace(/ $/, '\\ ');
}

function password(): string {
  // Meets AD complexity: upper, lower, digit and symbol.
  return `Hm1!${randomBytes(12).toString('base64url')}`;
}

async function addUser(client: Client, baseDn: string, spec: SeedSpec): Promise<void> {
  const dn = `CN=${escapeDnValue(spec.cn)},${spec.container ?? 'CN=Users'},${baseDn}`;
  const attrs: Attribute[] = [
    new Attribute({ type: 'objectClass', values: ['top', 'person', 'organizationalPerson', 'user'] }),
    new Attribute({ type: 'sAMAccountName', values: [spec.sam] }),
    new Attribute({ type: 'userPrincipalName', values: [spec.upn] }),
    new Attribute({ type: 'displayName', values: [spec.cn] }),
    // AD takes a new password as the UTF-16LE of the quoted text, and only over an encrypted link.
    new Attribute({ type: 'unicodePwd', values: [Buffer.from(`"${password()}"`, 'utf16le')] }),
    new Attribute({ type: 'userAccountControl', values: [spec.disabled ? '514' : '512'] }),
  ];
  if (spec.mail) attrs.push(new Attribute({ type: 'mail', values: [spec.mail] }));
  await client.add(dn, attrs);
  const changes: Change[] = [];
  if (spec.proxyAddresses) {
    changes.push(
      new Change({ operation: 'replace', modification: new Attribute({ type: 'proxyAddresses', values: spec.proxyAddresses }) }),
    );
  }
  if (spec.migrated) {
    const old = new Attribute({ type: 'mS-DS-ConsistencyGuid', values: [randomBytes(16)] });
    changes.push(new Change({ operation: 'replace', modification: old }));
  }
  if (changes.length > 0) await client.modify(dn, changes);
}

export async function seedUsers(client: Client, baseDn: string): Promise<void> {
  await client.add(`${SCOPED_OU},${baseDn}`, [new Attribute({ type: 'objectClass', values: ['top', 'organizationalUnit'] })]);
  for (const spec of Object.values(SEED_USERS)) await addUser(client, baseDn, spec);
}

type LdifEntry = Map<string, Buffer[]>;

/** `ldapsearch -LLL -o ldif-wrap=no` output: `name: text` or `name:: base64`, blank line between entries. */
function parseLdif(text: string): LdifEntry[] {
  const entries: LdifEntry[] = [];
  for (const block of text.split(/\n\s*\n/)) {
    const entry: LdifEntry = new Map();
    for (const line of block.split('\n')) {
      const m = /^([A-Za-z0-9-]+)(::?) ?(.*)$/.exec(line);
      if (!m || line.startsWith('#')) continue;
      const [, name = '', sep, value = ''] = m;
      const bytes = sep === '::' ? Buffer.from(value, 'base64') : Buffer.from(value, 'utf8');
      const key = name.toLowerCase();
      entry.set(key, [...(entry.get(key) ?? []), bytes]);
    }
    if (entry.has('dn')) entries.push(entry);
  }
  return entries;
}

function toUser(key: SeedUserKey, e: LdifEntry): SambaUser {
  const str = (name: string): string | null => e.get(name)?.[0]?.toString('utf8') ?? null;
  const guid = (name: string): { guid: string; b64: string } | null => {
    const bytes = e.get(name)?.[0];
    return bytes ? { guid: toGuid(anchorFromBytes(bytes)), b64: bytes.toString('base64') } : null;
  };
  const objectGuid = guid('objectguid');
  if (!objectGuid) throw new Error(`Samba returned ${key} without objectGUID`);
  const consistency = guid('ms-ds-consistencyguid');
  return {
    key,
    dn: str('dn') ?? '',
    cn: str('cn') ?? '',
    sam: str('samaccountname') ?? '',
    upn: str('userprincipalname'),
    mail: str('mail'),
    proxyAddresses: (e.get('proxyaddresses') ?? []).map((b) => b.toString('utf8')),
    displayName: str('displayname'),
    enabled: (Number(str('useraccountcontrol')) & 2) === 0,
    objectGuid: objectGuid.guid,
    objectGuidImmutableId: objectGuid.b64,
    consistencyGuid: consistency?.guid ?? null,
    consistencyGuidImmutableId: consistency?.b64 ?? null,
  };
}

export interface ReadBackOptions {
  ldapUrl: string;
  caFile: string;
  bindDn: string;
  /** A file holding the bind password, so it never appears in a process listing. */
  passwordFile: string;
  baseDn: string;
}

/** Every seeded user as Samba now stores it, read with ldapsearch. */
export async function readBackUsers(o: ReadBackOptions): Promise<Record<SeedUserKey, SambaUser>> {
  const keys = Object.keys(SEED_USERS) as SeedUserKey[];
  const filter = `(|${keys.map((k) => `(sAMAccountName=${SEED_USERS[k].sam})`).join('')})`;
  const attrs = [
    'cn',
    'sAMAccountName',
    'userPrincipalName',
    'mail',
    'proxyAddresses',
    'displayName',
    'userAccountControl',
    'objectGUID',
    'mS-DS-ConsistencyGuid',
  ];
  const { stdout } = await run(
    'ldapsearch',
    ['-LLL', '-o', 'ldif-wrap=no', '-x', '-H', o.ldapUrl, '-D', o.bindDn, '-y', o.passwordFile, '-b', o.baseDn, filter, ...attrs],
    { env: { ...process.env, LDAPTLS_CACERT: o.caFile, LDAPTLS_REQCERT: 'demand' } },
  );
  const bySam = new Map(parseLdif(stdout).map((e) => [e.get('samaccountname')?.[0]?.toString('utf8').toLowerCase(), e]));
  const users = {} as Record<SeedUserKey, SambaUser>;
  for (const key of keys) {
    const entry = bySam.get(SEED_USERS[key].sam.toLowerCase());
    if (!entry) throw new Error(`Seeded user ${SEED_USERS[key].sam} was not found in Samba`);
    users[key] = toUser(key, entry);
  }
  return users;
}
