/** Which directory the relay serves: fixture files or an in-memory fixture set (sandbox), or a real AD over LDAPS. */
import type { RelayAgentConfig } from '../config/load-relay-config.ts';
import { ConfigError } from '../errors/index.ts';
import type { Logger } from '../logging/logger.ts';
import type { Directory } from './directory.ts';
import { createFixtureDirectory, createSourceDirectory, type FixtureSource } from './fixture-directory.ts';

export interface CreateDirectoryDeps {
  logger: Logger;
  /**
   * With RELAY_FIXTURES: serve these users (already validated, e.g. the sandbox's editable
   * directory) instead of reading the folder's files; matched the same way.
   */
  fixtures?: FixtureSource;
}

export async function createDirectory(config: RelayAgentConfig, deps: CreateDirectoryDeps): Promise<Directory> {
  const { sourceAnchor } = config;
  if (config.fixturesDir) {
    const baseDn = config.fixturesBaseDn;
    if (deps.fixtures) return createSourceDirectory(deps.fixtures, baseDn ? { baseDn } : {});
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
