/** On-prem users for tests, built the way the relay reports them. */
import { effectiveAnchor } from '../../src/domain/effective-anchor.ts';
import type { OnPremUser } from '../../src/domain/onprem-user.ts';

export function onPremUser(overrides: Partial<Omit<OnPremUser, 'anchor'>> = {}): OnPremUser {
  const base = {
    dn: 'CN=John Doe,OU=Staff,DC=contoso,DC=com',
    samAccountName: 'jdoe',
    userPrincipalName: 'jdoe@contoso.com',
    mail: 'john.doe@contoso.com',
    proxyAddresses: ['SMTP:john.doe@contoso.com'],
    displayName: 'John Doe',
    enabled: true,
    objectGuid: '96dcc383-2f6e-4fa2-af15-6b4c1119259a',
    consistencyGuid: null,
    whenChanged: '2024-05-01T10:00:00.000Z',
    ...overrides,
  };
  return { ...base, anchor: effectiveAnchor('auto', base.objectGuid, base.consistencyGuid) };
}
