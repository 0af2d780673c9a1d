/** Which directory the relay serves: fixture files (sandbox) or a real AD over LDAPS. */
import type { RelayAgentConfig } from '../config/load-relay-config.ts';
import { ConfigError } from '../errors/index.ts';
import type { Logger } from '../logging/logger.ts';
import type { Directory } from './directory.ts';
import { createFixtureDirectory } from './fixture-directory.ts';

export async function createDirectory(config: RelayAgentConfig, deps: { logger: Logger }): Promise<Directory> {
  const { sourceAnchor } = config;
  if (config.fixturesDir) {
    const baseDn = config.fixturesBaseDn;
    return createFixtureDirectory(config.fixturesDir, { sourceAnchor, ...(baseDn ? { baseDn } : {}) });
  }
  if (config.ldap) {
    // Loaded only when configured: the sandbox serves fixtures without loading the LDAP client.
    const { createLdapDirectory } = await import('./ldap-directory.ts');
    return createLdapDirectory(config.ldap, { sourceAnchor, logger: deps.logger });
  }
  // loadRelayConfig guarantees one of the two; a hand-built config may not.
  throw new ConfigError(['RELAY_FIXTURES or LDAP_URL: set one, so the relay knows which directory to serve']);
}
