/**
 * What the bot's commands are given. The ports they use (cloud directory, relay) live in
 * src/ports, owned by none of their callers; the re-export keeps one name per concept.
 */
import type { Logger } from '../logging/logger.ts';
import type { CloudDirectory, CloudWriter } from '../ports/cloud-directory.ts';
import type { RelayClient } from '../ports/relay.ts';
import type { ApprovalFeatures } from './approval-features.ts';
import type { BulkFeatures } from './bulk-features.ts';

export interface CommandDeps {
  /** Every card says SANDBOX when true. */
  sandbox: boolean;
  /** Undefined when RELAY_URL is not configured: only local conversions work. */
  relay?: RelayClient;
  /** Undefined when no cloud directory is configured: cards say the cloud check is not configured. */
  cloud?: CloudDirectory;
  logger: Logger;
  /** The approval flow (request store, rules, cards); absent in tests of read-only commands. */
  approvals?: ApprovalFeatures;
  /** Scans (`scan`): absent without a relay, a cloud directory and a store. */
  bulk?: BulkFeatures;
}

export type { CloudDirectory, CloudWriter, RelayClient };
