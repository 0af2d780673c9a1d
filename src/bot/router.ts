/**
 * Message text → one command → a Reply. Exact matching on the first word (case-insensitive),
 * never substring search. Known errors become error cards here; anything else propagates to the
 * adapter's onTurnError, which logs it and answers with the same `toUserText` words.
 */
import { errorCard } from '../cards/error-card.ts';
import { noticeCard } from '../cards/notice-card.ts';
import { InputError, isHardmatchError, toUserText } from '../errors/index.ts';
import type { CommandRegistry } from './commands/index.ts';
import type { CommandDeps } from './commands/command.ts';
import { problemOf } from './problem-of.ts';
import { cardReply, type Reply } from './reply.ts';
import { suggestCommand } from './suggest.ts';
import { anonymousTurn, type Turn } from './turn.ts';

/** Longest message the bot reads; longer ones are refused before any parsing. */
export const MAX_MESSAGE_LENGTH = 2000;

/** Longest piece of the admin's text echoed back in a reply. */
const ECHO_LIMIT = 40;

export interface ParsedCommand {
  /** Lower case. */
  name: string;
  /** The rest after the first run of whitespace, trimmed; case preserved. */
  args: string;
}

/** First word is the command, the rest its argument; undefined for a blank message. */
export function parseCommand(message: string): ParsedCommand | undefined {
  const match = /^(\S+)(?:\s+([\s\S]*))?$/.exec(message.trim());
  if (!match?.[1]) return undefined;
  return { name: match[1].toLowerCase(), args: (match[2] ?? '').trim() };
}

/** Whether the message runs a command that waits on the relay or Graph (the bot then shows "typing"). */
export function showsTyping(message: string, registry: CommandRegistry): boolean {
  if (message.length > lengthLimit(message, registry)) return false;
  const parsed = parseCommand(message);
  return parsed !== undefined && registry.commands.get(parsed.name)?.remote === true;
}

/** The longest message `message`'s command reads (a command may allow more than MAX_MESSAGE_LENGTH). */
function lengthLimit(message: string, registry: CommandRegistry): number {
  const name = /^\s*(\S+)/.exec(message.slice(0, 64))?.[1]?.toLowerCase();
  return (name ? registry.commands.get(name)?.maxLength : undefined) ?? MAX_MESSAGE_LENGTH;
}

export async function route(
  message: string,
  registry: CommandRegistry,
  deps: CommandDeps,
  turn: Turn = anonymousTurn(message),
): Promise<Reply> {
  const limit = lengthLimit(message, registry);
  if (message.length > limit) {
    const err = new InputError(
      'INPUT_TOO_LONG',
      `That message is ${message.length.toLocaleString('en-US')} characters; the limit is ${limit.toLocaleString('en-US')}.`,
      { length: message.length },
    );
    return cardReply(errorCard(toUserText(err)));
  }
  const parsed = parseCommand(message);
  if (!parsed) {
    const err = new InputError('INPUT_EMPTY', 'The message had no command.');
    return cardReply(errorCard(toUserText(err), { commands: helpOf(registry) }));
  }
  const command = registry.commands.get(parsed.name);
  if (command) return runCommand(() => command.run(parsed.args, deps, turn));
  if (registry.coming.includes(parsed.name)) return comingSoon(parsed.name, registry);
  return unknownCommand(parsed, registry);
}

async function runCommand(run: () => Promise<Reply>): Promise<Reply> {
  try {
    return await run();
  } catch (err) {
    // Our own coded errors are expected outcomes (bad input, relay down, Graph refused); bugs go to onTurnError.
    if (!isHardmatchError(err)) throw err;
    return cardReply(errorCard(problemOf(err)));
  }
}

function comingSoon(name: string, registry: CommandRegistry): Reply {
  const available = [...registry.commands.keys()].map((c) => `"${c}"`).join(', ');
  return cardReply(
    noticeCard({
      tone: 'info',
      title: `"${name}" is not available yet in this version`,
      text: `Hardmatch will answer "${name}" in a later version. Available now: ${available}. Type "help" for examples.`,
    }),
  );
}

/** Longest argument carried over into a "did you mean" button; longer ones are left for the admin to retype. */
const SUGGESTION_ARGS_LIMIT = 200;

function unknownCommand({ name, args }: ParsedCommand, registry: CommandRegistry): Reply {
  const echoed = name.length > ECHO_LIMIT ? `${name.slice(0, ECHO_LIMIT)}…` : name;
  const err = new InputError('UNKNOWN_COMMAND', `"${echoed}" is not a Hardmatch command.`, { input: echoed });
  const known = suggestCommand(name, [...registry.commands.keys(), ...registry.coming]);
  // The button sends the corrected command with what followed it: "mach jdoe" offers "match jdoe".
  const suggestion = known && args && args.length <= SUGGESTION_ARGS_LIMIT && !/[\r\n]/.test(args) ? `${known} ${args}` : known;
  return cardReply(errorCard(toUserText(err), { commands: helpOf(registry), ...(suggestion ? { suggestion } : {}) }));
}

function helpOf(registry: CommandRegistry) {
  return [...registry.commands.values()].map((c) => c.help);
}
