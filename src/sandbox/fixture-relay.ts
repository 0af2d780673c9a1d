/**
 * The relay over a fixture directory: the shipped relay code (`src/relay/agent`) with the
 * sandbox's stand-in for AD injected. RELAY_FIXTURES names a folder of JSON users; `fixtures`
 * serves an in-memory, editable set instead (the sandbox directory).
 */
import type { RelayAgentConfig } from '../config/load-relay-config.ts';
import type { OpenFixtures } from '../relay/agent/create-directory.ts';
import { startRelay, type RunningRelay, type StartRelayDeps } from '../relay/agent/start-relay.ts';
import { createFixtureDirectory, createSourceDirectory, type FixtureSource } from './fixture-directory.ts';

/** Opens RELAY_FIXTURES's folder, or `fixtures` when given; both match users the same way. */
export function fixtureOpener(fixtures?: FixtureSource): OpenFixtures {
  return (config: RelayAgentConfig) => {
    const baseDn = config.fixturesBaseDn;
    if (fixtures) return Promise.resolve(createSourceDirectory(fixtures, baseDn ? { baseDn } : {}));
    return Promise.resolve(
      createFixtureDirectory(config.fixturesDir ?? '', { sourceAnchor: config.sourceAnchor, ...(baseDn ? { baseDn } : {}) }),
    );
  };
}

/** startRelay, able to serve RELAY_FIXTURES (and `fixtures`, the sandbox's editable users). */
export function startFixtureRelay(
  config: RelayAgentConfig,
  deps: StartRelayDeps & { fixtures?: FixtureSource } = {},
): Promise<RunningRelay> {
  const { fixtures, ...rest } = deps;
  return startRelay(config, { openFixtures: fixtureOpener(fixtures), ...rest });
}
