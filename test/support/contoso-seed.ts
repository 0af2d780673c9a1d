/** The Contoso tenant and domains the emulator, cloud-directory and sync-simulator tests seed. */
import type { SeedInput } from '../../src/sandbox/emulator/index.ts';

export const CONTOSO_INITIAL_DOMAIN = 'contoso.onmicrosoft.com';

export const CONTOSO_TENANT: SeedInput['tenant'] = Object.freeze({
  id: '7b1c2f0e-4a8d-4e55-9d0a-1f6a2b3c4d5e',
  displayName: 'Contoso',
  initialDomain: CONTOSO_INITIAL_DOMAIN,
});

/** Initial, default (managed) and one federated domain, all verified. */
export const CONTOSO_DOMAINS: SeedInput['domains'] = Object.freeze([
  { id: CONTOSO_INITIAL_DOMAIN, isVerified: true, isInitial: true, authenticationType: 'Managed' },
  { id: 'contoso.com', isVerified: true, isDefault: true, authenticationType: 'Managed' },
  { id: 'fabrikam.com', isVerified: true, authenticationType: 'Federated' },
]) as SeedInput['domains'];

/** A suffix added in the portal but never verified. */
export const UNVERIFIED_CONTOSO_NET: SeedInput['domains'][number] = { id: 'contoso.net', isVerified: false, authenticationType: 'Managed' };
