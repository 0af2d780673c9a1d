/**
 * Which directory the relay serves: a real AD over LDAPS. A fixture directory (RELAY_FIXTURES)
 * is the sandbox's stand-in and is not part of the shipped relay: whoever composes a sandbox
 * relay injects `openFixtures` (src/sandbox/fixture-relay.ts).
 */
import type { RelayAgentConfig } from '../../config/load-relay-config.ts';
import { ConfigError } from '../../errors/index.ts';
import type { Logger } from '../../logging/logger.ts';
import type { Directory } from './directory.ts';

/** Opens the directory RELAY_FIXTURES names; only the sandbox has one. */
export type OpenFixtures = (config: RelayAgentConfig) => Promise<Directory>;

export interface CreateDirectoryDeps {
  logger: Logger;
  /** Serves RELAY_FIXTURES; without it a fixture configuration is refused with the way to run one. */
  openFixtures?: OpenFixtures;
}

export async function createDirectory(config: RelayAgentConfig, deps: CreateDirectoryDeps): Promise<Directory> {
  const { sourceAnchor } = config;
  if (config.fixturesDir) {
    if (deps.openFixtures) return deps.openFixtures(config);
    throw new ConfigError([
      'RELAY_FIXTURES: fixture directories are served by the sandbox only (`npm start`, or `npm run relay:sandbox` from a source checkout); set LDAP_URL, LDAP_BIND_DN, LDAP_BIND_PASSWORD and LDAP_BASE_DN to serve your AD',
    ]);
  }
  if (config.ldap) {
    // Loaded only when configured: a relay over fixtures never loads the LDAP client.
    const { createLdapDirectory } = await import('./ldap-directory.ts');
    return createLdapDirectory(config.ldap, { sourceAnchor, logger: deps.logger });
  }
  // loadRelayConfig guarantees one of the two; a hand-built config may not.
  throw new ConfigError(['RELAY_FIXTURES or LDAP_URL: set one, so the relay knows which directory to serve']);
}
