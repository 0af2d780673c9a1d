/** An AD user as the relay reports it: our own type, independent of LDAP. */
export type SourceAnchorSetting = 'auto' | 'objectGUID' | 'mS-DS-ConsistencyGuid';
export type AnchorAttribute = 'objectGUID' | 'mS-DS-ConsistencyGuid';

export interface OnPremUser {
  dn: string;
  samAccountName: string;
  userPrincipalName: string | null;
  mail: string | null;
  proxyAddresses: string[];
  displayName: string | null;
  enabled: boolean;
  /** GUID text (lower case). */
  objectGuid: string;
  /** GUID text (lower case) of mS-DS-ConsistencyGuid, or null when not set. */
  consistencyGuid: string | null;
  /** ISO 8601. */
  whenChanged: string | null;
  /** The anchor Entra Connect uses for this user under the relay's SOURCE_ANCHOR setting. */
  anchor: {
    attribute: AnchorAttribute;
    /** GUID text of the anchor bytes. */
    guid: string;
    immutableId: string;
  };
}

export interface LookupResult {
  users: OnPremUser[];
  /** True when more users matched than the cap; `users` holds the first ones. */
  truncated: boolean;
}
