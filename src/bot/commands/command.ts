import type { CommandHelp } from '../../cards/help-card.ts';
import type { CommandDeps } from '../ports.ts';
import type { Reply } from '../reply.ts';
import type { Turn } from '../turn.ts';

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
