import { isHardmatchError, type ErrorCode } from './errors.ts';

export interface UserText {
  code: ErrorCode;
  /** One short line: what went wrong. */
  title: string;
  /** What happened, in the admin's words, and what to do next. */
  text: string;
}

/** What to do next, per code. The error's own message says what happened. */
const NEXT_STEP: Record<ErrorCode, { title: string; next: string }> = {
  CONFIG_INVALID: { title: 'Configuration is invalid', next: 'Fix the variables named above and restart.' },
  INPUT_EMPTY: { title: 'Nothing to look up', next: 'Type `help` to see the commands with examples.' },
  INPUT_TOO_LONG: { title: 'Message too long', next: 'Send one command with one user at a time.' },
  INPUT_INVALID: { title: 'Input not understood', next: 'Type `help` to see what each command accepts.' },
  UNKNOWN_COMMAND: { title: 'Unknown command', next: 'Type `help` to see the commands with examples.' },
  ANCHOR_MALFORMED: {
    title: 'Not a valid GUID or ImmutableID',
    next: 'Paste a GUID (`96dcc383-2f6e-4fa2-af15-6b4c1119259a`, braces optional), an ImmutableID (`g8Pclm4vok+vFWtMERklmg==`), 32 hex digits, or the LDAP-escaped form (`\\83\\c3...`).',
  },
  OU_OUTSIDE_BASE_DN: {
    title: 'That OU is outside the directory the relay reads',
    next: "Name an OU at or below the relay's LDAP_BASE_DN (the message names it), or type `scan` alone for the whole sync scope.",
  },
  OU_NOT_FOUND: {
    title: 'No such OU',
    next: 'Check the spelling of the DN (copy it from Active Directory Users and Computers, Attribute Editor, distinguishedName).',
  },
  SCAN_CURSOR_EXPIRED: {
    title: 'The directory read was interrupted',
    next: 'The relay stopped keeping the half-read directory (it waited too long for the next page, or restarted); start the scan again.',
  },
  USER_NOT_FOUND: {
    title: 'No such on-premises user',
    next: 'Check the spelling, or try the UPN, mail address, sAMAccountName or objectGUID.',
  },
  RELAY_UNAVAILABLE: {
    title: 'The on-premises relay could not be reached',
    next: 'Check that `hardmatch-relay` is running (`hardmatch-relay check` on its server) and that RELAY_URL points at it.',
  },
  RELAY_TIMEOUT: {
    title: 'The on-premises relay did not answer in time',
    next: 'The relay or the domain controller is slow or stuck; run `hardmatch-relay check` on the relay server and try again.',
  },
  RELAY_REJECTED: {
    title: 'The on-premises relay refused the request',
    next: 'The bot and the relay must share the same RELAY_KEY and have clocks within 5 minutes of each other.',
  },
  RELAY_BAD_RESPONSE: {
    title: 'The on-premises relay answered something unexpected',
    next: 'Make sure the bot and `hardmatch-relay` run the same version.',
  },
  REQUEST_UNAUTHENTICATED: {
    title: 'Request not authenticated',
    next: 'Sign requests with the shared RELAY_KEY and a current timestamp.',
  },
  CLOUD_REQUEST_FAILED: {
    title: 'Microsoft Graph refused the request',
    next: "The Graph error code above says why; check the bot's Graph permissions (User.ReadWrite.All, User.DeleteRestore.All, Domain.Read.All, OnPremDirectorySynchronization.Read.All, GroupMember.Read.All, RoleManagement.Read.Directory).",
  },
  CLOUD_THROTTLED: {
    title: 'Microsoft Graph is throttling the bot',
    next: 'Hardmatch already waited as long as Graph asked (Retry-After); try again in a minute.',
  },
  CLOUD_UNAVAILABLE: {
    title: 'Microsoft Graph could not be reached',
    next: "Check GRAPH_BASE_URL and the bot's outbound network; Graph may also be having an outage (see the Microsoft 365 service health page).",
  },
  CLOUD_AUTH_FAILED: {
    title: 'The bot could not sign in to Microsoft Graph',
    next: 'Check the managed identity, or AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or AZURE_CLIENT_CERTIFICATE_PATH), and that admin consent was granted.',
  },
  DIRECTORY_DNS: { title: 'Domain controller name not found', next: 'Check the host name in LDAP_URL.' },
  DIRECTORY_UNREACHABLE: {
    title: 'Domain controller unreachable',
    next: 'Check LDAP_URL (ldaps://host:636) and the firewall between the relay and the domain controller.',
  },
  DIRECTORY_TLS: {
    title: 'TLS to the domain controller failed',
    next: "Point LDAP_CA_FILE at the CA that issued the domain controller's certificate, and use the host name the certificate names.",
  },
  DIRECTORY_CREDENTIALS: {
    title: 'The relay could not sign in to Active Directory',
    next: 'Check LDAP_BIND_DN and LDAP_BIND_PASSWORD (and that the account is enabled and not locked).',
  },
  DIRECTORY_BASE_DN: { title: 'Search base not found', next: 'Check LDAP_BASE_DN, e.g. DC=contoso,DC=com.' },
  DIRECTORY_TIMEOUT: {
    title: 'Active Directory did not answer in time',
    next: 'The domain controller is slow or unreachable; try again, or raise LDAP_TIMEOUT_MS.',
  },
  DIRECTORY_FAILED: { title: 'Active Directory search failed', next: 'Run `hardmatch-relay check` on the relay server.' },
  SYNC_BUSY: {
    title: 'Entra Connect is already syncing',
    next: 'A sync cycle is running right now; wait a few minutes for it to finish and try again.',
  },
  SYNC_FAILED: {
    title: 'The delta sync could not be started',
    next: "On the relay server, run `hardmatch-relay sync` to see the sync command's own output, and check SYNC_COMMAND and that the relay's account may run Start-ADSyncSyncCycle.",
  },
  SYNC_TIMEOUT: {
    title: 'The delta sync command did not finish in time',
    next: 'The command was stopped. Check the Entra Connect server (Synchronization Service Manager) and try again.',
  },
  SYNC_STAGING_MODE: {
    title: 'The Entra Connect server is in staging mode',
    next: 'A server in staging mode runs the cycle but exports nothing. Run the relay next to the active Entra Connect server (set RELAY_URL to that relay), or, if this server should be the active one, leave staging mode in the Entra Connect wizard (Configure → Configure staging mode). Then try again.',
  },
  SYNC_CYCLE_DISABLED: {
    title: "Entra Connect's sync cycle is disabled",
    next: 'Its scheduler will not run the cycle. On the Entra Connect server run `Set-ADSyncScheduler -SyncCycleEnabled $true`, then try again.',
  },
  SYNC_SCHEDULER_SUSPENDED: {
    title: "Entra Connect's scheduler is suspended",
    next: 'An upgrade or an admin suspended it. When no upgrade is running, run `Set-ADSyncScheduler -SchedulerSuspended $false` on the Entra Connect server, then try again.',
  },
  SYNC_VERSION_UNSUPPORTED: {
    title: 'This Entra Connect version is no longer supported',
    next: 'Entra no longer accepts its exports. Upgrade Entra Connect on the server (download the current version from the Entra admin center → Entra Connect), then try again.',
  },
  APPROVAL_REFUSED: {
    title: 'Action refused',
    next: 'Type `status <request id>` to see where the request stands and who can act on it.',
  },
  STORE_UNAVAILABLE: {
    title: 'The request store could not be used',
    next: 'Approval requests and their audit trail live there: approvals wait until it works again, and an execution it interrupted is finished by the bot once it does. Run `npm run check` (`node dist/check/cli.js` on App Service): its Store section names the cause and the fix.',
  },
  STORE_REFUSED: {
    title: 'The request store refused the bot',
    next: "Give the bot's identity the role Storage Table Data Contributor on the storage account, or put a current key in STORE_URL; `npm run check` (`node dist/check/cli.js` on App Service) names which.",
  },
  INTERNAL: {
    title: 'Something went wrong inside Hardmatch',
    next: 'Nothing was changed. Try again; if it keeps happening, send the time of the error to whoever runs the bot.',
  },
};

/** The one place where errors become words for a person. Unknown errors never leak their text. */
export function toUserText(err: unknown): UserText {
  if (isHardmatchError(err)) {
    const entry = NEXT_STEP[err.code];
    return { code: err.code, title: entry.title, text: `${err.message} ${entry.next}` };
  }
  const entry = NEXT_STEP.INTERNAL;
  return { code: 'INTERNAL', title: entry.title, text: entry.next };
}
