/**
 * Building blocks shared by every card. Cards are pure functions of domain data; these helpers
 * hold the rules every card obeys: one tone → colour mapping, and one way user-controlled text is
 * made inert before the renderer's markdown sees it. (The sandbox's SANDBOX marker is a frame put
 * around every card where it leaves the bot: `CardFrame`.)
 */
import type {
  IAdaptiveCard,
  ICardElement,
  IColumnSet,
  IContainer,
  IFactSet,
  ISubmitAction,
  ITextBlock,
  TextColor,
} from 'adaptivecards/lib/schema.js';

/** What a card body holds (TextBlock, FactSet, ColumnSet, Container, Image...). */
export type BodyElement = NonNullable<IAdaptiveCard['body']>[number];

export const CARD_SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';
export const CARD_VERSION = '1.5';

/** What a line or section means to the admin; its colour is decided here and nowhere else. */
export type Tone = 'neutral' | 'good' | 'info' | 'warning' | 'error';

const TONE_COLOR: Readonly<Record<Tone, TextColor>> = {
  neutral: 'default',
  good: 'good',
  info: 'accent',
  warning: 'warning',
  error: 'attention',
};

export function toneColor(tone: Tone): TextColor {
  return TONE_COLOR[tone];
}

/**
 * Adaptive Card renderers (Teams, the Playground) run TextBlocks *and* FactSet values through
 * markdown, so a displayName like `[click](http://evil)` would become a disguised link. Every
 * string that came from a person or a directory goes through this one helper. Backslash-escaping
 * makes markdown print a character instead of interpreting it; only characters that start inline
 * markup are escaped (plus a block marker at the very start), so ordinary names, UPNs and DNs
 * stay readable even in a host that shows the backslashes. Line breaks are flattened so a value
 * cannot open a new markdown block.
 */
export function escapeMarkdown(value: string): string {
  const oneLine = value.replace(/[\r\n\u2028\u2029]+/g, ' ');
  const inline = oneLine.replace(/[\\`*_[\]<>~&|]/g, (c) => `\\${c}`);
  // A list item, heading, quote or setext underline only forms at the start of a line.
  return inline.replace(/^(\s*)([#>+=-])/, '$1\\$2').replace(/^(\s*\d+)([.)])/, '$1\\$2');
}

/**
 * A command the admin can type, in bold (**match jdoe**). Teams' Adaptive Card markdown has bold,
 * italic, lists and links but no code spans, so a backtick would show as a literal backtick; the
 * value is escaped like any other text, so it cannot close the bold or become a link.
 */
export function codeSpan(value: string): string {
  return `**${escapeMarkdown(value)}**`;
}

/**
 * Teams' card markdown has no code spans: a `command` written that way in our texts (error
 * words, diagnosis texts) is shown in quotes instead of with literal backticks.
 */
export function plainCommands(value: string): string {
  return value.replace(/`([^`\r\n]*)`/g, '"$1"');
}

/** "1 step", "3 steps": our own words, never user input. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Our own words: trusted markdown (bold, italic, lists, links: what Teams renders), never containing user input. */
export function text(
  value: string,
  options: { tone?: Tone; weight?: 'bolder' | 'default'; size?: ITextBlock['size']; subtle?: boolean; id?: string } = {},
): ITextBlock {
  const block: ITextBlock = { type: 'TextBlock', text: value, wrap: true };
  if (options.tone && options.tone !== 'neutral') block.color = toneColor(options.tone);
  if (options.weight) block.weight = options.weight;
  if (options.size) block.size = options.size;
  if (options.subtle) block.isSubtle = true;
  if (options.id) block.id = options.id;
  return block;
}

/** A section heading. */
export function heading(value: string, tone: Tone = 'neutral'): ITextBlock {
  return { ...text(value, { tone, weight: 'bolder', size: 'medium' }), separator: true, spacing: 'medium' };
}

/** Label/value pairs; values are user or directory data, so they are escaped. */
export function facts(rows: ReadonlyArray<readonly [title: string, value: string]>): IFactSet {
  return { type: 'FactSet', facts: rows.map(([title, value]) => ({ title, value: escapeMarkdown(value) })) };
}

/**
 * A value the admin will copy (ImmutableID, GUID, hex, LDAP filter): monospace, next to its label.
 * These values are computed by `domain/anchors.ts` from 16 bytes, never typed by a person; their
 * characters (hex, base64, `\hh`, parentheses) carry no markdown meaning in that position, and
 * escaping them would put stray backslashes into what the admin pastes in a host that does not
 * honour escapes. So they are shown exactly as computed.
 */
export function copyRow(label: string, value: string, options: { marked?: boolean; id?: string } = {}): IColumnSet {
  const labelBlock = text(options.marked ? `${label} ✔` : label, {
    weight: 'bolder',
    ...(options.marked ? { tone: 'good' as const } : {}),
  });
  const valueBlock: ITextBlock = { ...text(value), fontType: 'Monospace' };
  if (options.id) valueBlock.id = options.id;
  return {
    type: 'ColumnSet',
    columns: [
      { type: 'Column', width: 'auto', items: [labelBlock], minWidth: '9em' },
      { type: 'Column', width: 'stretch', items: [valueBlock] },
    ],
  };
}

export function container(items: ICardElement[], options: { id?: string } = {}): IContainer {
  return { type: 'Container', items, ...(options.id ? { id: options.id } : {}) };
}

/** A coloured notice: a bold title, plain words, and the error code when there is one. */
export function notice(input: { tone: Tone; title: string; text: string; code?: string; id?: string }): IContainer {
  const items: ICardElement[] = [text(escapeMarkdown(plainCommands(input.title)), { tone: input.tone, weight: 'bolder' })];
  items.push(text(escapeMarkdown(plainCommands(input.text))));
  if (input.code) items.push({ ...text(`Code: ${escapeMarkdown(input.code)}`, { subtle: true }), fontType: 'Monospace' });
  return container(items, input.id ? { id: input.id } : {});
}

/** What a command button carries: the command, for hosts that send the data as the message's value. */
export const COMMAND_DATA_KEY = 'command';

/**
 * A button that sends `command` as if the admin had typed it. Teams sends an Action.Submit with
 * `msteams.messageBack` as a message whose text is the command (and shows it in the chat as the
 * admin's message); the Agents Playground sends the data as the message's value instead, so the
 * command is in the data too and the bot reads it from there when the text is empty
 * (bot/teams/turn-of.ts). The title is the command itself, so the admin sees what will be sent.
 */
export function commandButton(command: string, options: { id?: string; title?: string } = {}): ISubmitAction {
  return {
    type: 'Action.Submit',
    id:
      options.id ??
      `command-${command
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '')}`,
    title: options.title ?? command,
    data: { [COMMAND_DATA_KEY]: command, msteams: { type: 'messageBack', text: command, displayText: command } },
  };
}

/** Buttons in the body (an ActionSet), wrapped in a Container so the body keeps one element type. */
export function buttonRow(actions: readonly ICardElement[], options: { id?: string } = {}): IContainer {
  return container([{ type: 'ActionSet', actions: [...actions] }], options);
}

/**
 * A section one click away: a button that shows or hides `items` (Action.ToggleVisibility), and
 * the hidden container they live in. The caller places the button in a row and the container below it.
 */
export function toggleSection(input: { id: string; title: string; items: ICardElement[] }): { button: ICardElement; section: IContainer } {
  return {
    button: { type: 'Action.ToggleVisibility', id: `toggle-${input.id}`, title: input.title, targetElements: [input.id] },
    section: { ...container(input.items, { id: input.id }), isVisible: false, separator: true },
  };
}

/** What every card shows wide: the conversation's full width, not Teams' narrow default. */
export const FULL_WIDTH = { width: 'Full' } as const;

/**
 * Wrap a body into a card. `summary` is the card's one line (its `speak`, and the reply's
 * notification preview, see bot/reply.ts).
 */
export function card(body: BodyElement[], options: { summary: string }): IAdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: CARD_SCHEMA,
    version: CARD_VERSION,
    body,
    speak: options.summary,
    msteams: FULL_WIDTH,
  };
}

/**
 * What the composition may put around every card as it leaves the bot (the sandbox's SANDBOX
 * marker); applied once, where replies, card-action answers and Messenger posts are sent.
 */
export type CardFrame = (card: IAdaptiveCard) => IAdaptiveCard;

/** The most a frame may add to a card's JSON (the sandbox's marker adds under 200 bytes); cards sized to a budget leave this room. */
export const FRAME_ALLOWANCE_BYTES = 256;
