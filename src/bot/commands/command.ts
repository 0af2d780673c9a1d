import type { CommandHelp } from '../../cards/help-card.ts';
import type { Logger } from '../../logging/logger.ts';
import type { CloudDirectory } from '../../ports/cloud-directory.ts';
import type { RelayClient } from '../../ports/relay.ts';
import type { ApprovalFeatures } from '../approval-features.ts';
import type { BulkFeatures } from '../bulk-features.ts';
import type { Reply } from '../reply.ts';
import type { Turn } from '../turn.ts';

/** What the bot's commands are given: the ports they use (src/ports) and the approval flow. */
export interface CommandDeps {
  /** Undefined when RELAY_URL is not configured: only local conversions work. */
  relay?: Pick<RelayClient, 'lookup'>;
  /** Undefined when no cloud directory is configured: cards say the cloud check is not configured. */
  cloud?: CloudDirectory;
  logger: Logger;
  /** The approval flow (request store, rules, cards); absent in tests of read-only commands. */
  approvals?: ApprovalFeatures;
  /** Scans (`scan`): absent without a relay, a cloud directory and a store. */
  bulk?: BulkFeatures;
}

/** One chat command. `name` is matched exactly (lower case) against the message's first word. */
export interface Command {
  readonly name: string;
  readonly help: CommandHelp;
  /** Asks the relay or Microsoft Graph before answering, so the chat shows "typing" meanwhile. Default false. */
  readonly remote?: boolean;
  /** Longest message this command reads, when it is not the router's MAX_MESSAGE_LENGTH (`scan` takes a pasted list). */
  readonly maxLength?: number;
  /** `args` is the rest of the message after the command word, trimmed; `turn` says who asks, and where. */
  run(args: string, deps: CommandDeps, turn: Turn): Promise<Reply>;
}
