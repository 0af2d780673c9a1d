/**
 * Building blocks shared by every card. Cards are pure functions of domain data; these helpers
 * hold the three rules every card obeys: the SANDBOX marker, one tone → colour mapping, and one
 * way user-controlled text is made inert before the renderer's markdown sees it.
 */
import type {
  IAdaptiveCard,
  ICardElement,
  IColumnSet,
  IContainer,
  IFactSet,
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

export const SANDBOX_MARKER_ID = 'sandbox-marker';
export const SANDBOX_MARKER_TEXT = 'SANDBOX: test data on this machine; nothing real is read or changed.';

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
 * A command the admin can type, as an inline code span (`match jdoe`). Inside a code span markdown
 * is not interpreted, so the value needs no escaping there, as long as it cannot close the span;
 * a value with a backtick or a line break is shown escaped instead, without the span.
 */
export function codeSpan(value: string): string {
  if (/[`\r\n\u2028\u2029]/.test(value)) return escapeMarkdown(value);
  return `\`${value}\``;
}

/** "1 step", "3 steps": our own words, never user input. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Our own words: trusted markdown (e.g. `code` spans), never containing user input. */
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
  const items: ICardElement[] = [text(escapeMarkdown(input.title), { tone: input.tone, weight: 'bolder' })];
  items.push(text(escapeMarkdown(input.text)));
  if (input.code) items.push({ ...text(`Code: ${escapeMarkdown(input.code)}`, { subtle: true }), fontType: 'Monospace' });
  return container(items, input.id ? { id: input.id } : {});
}

/** Wrap a body into a card; in sandbox mode the first thing on it is the SANDBOX marker. */
export function card(body: BodyElement[], options: { sandbox: boolean; speak?: string }): IAdaptiveCard {
  const marker = text(SANDBOX_MARKER_TEXT, { tone: 'warning', weight: 'bolder', id: SANDBOX_MARKER_ID });
  return {
    type: 'AdaptiveCard',
    $schema: CARD_SCHEMA,
    version: CARD_VERSION,
    body: options.sandbox ? [marker, ...body] : body,
    ...(options.speak ? { speak: options.speak } : {}),
  };
}
