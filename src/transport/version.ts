import { readRelayVersion } from '../relay/agent/version.ts';

/**
 * The bot's version, shown on /healthz. The bot and `hardmatch-relay` ship in one package, so they
 * share one version and one way of reading it (package.json, found from src/ or dist/ alike; a
 * JSON import would fall outside the build's rootDir).
 */
export const BOT_VERSION: string = readRelayVersion(import.meta.dirname);
