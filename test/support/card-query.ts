/** Structural queries on Adaptive Card JSON for tests: find elements, collect what a person reads. */

type Json = unknown;

function children(node: Json): Json[] {
  if (Array.isArray(node)) return node;
  if (node && typeof node === 'object') return Object.values(node);
  return [];
}

/** Every object in the card, depth first. */
export function allElements(card: Json): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const visit = (node: Json): void => {
    if (node && typeof node === 'object' && !Array.isArray(node)) out.push(node as Record<string, unknown>);
    for (const child of children(node)) visit(child);
  };
  visit(card);
  return out;
}

export function findById(card: Json, id: string): Record<string, unknown> | undefined {
  return allElements(card).find((e) => e.id === id);
}

/** Every string the renderer shows: TextBlock text, fact titles and values. */
export function visibleStrings(card: Json): string[] {
  const out: string[] = [];
  for (const e of allElements(card)) {
    if (e.type === 'TextBlock' && typeof e.text === 'string') out.push(e.text);
    if (typeof e.title === 'string' && typeof e.value === 'string') out.push(e.title, e.value);
  }
  return out;
}

export function visibleText(card: Json): string {
  return visibleStrings(card).join('\n');
}

/** The monospace value next to a label in a copy row (ColumnSet: label column, value column). */
export function copyRowValues(card: Json, label: string): string[] {
  const values: string[] = [];
  for (const e of allElements(card)) {
    if (e.type !== 'ColumnSet' || !Array.isArray(e.columns)) continue;
    const [left, right] = e.columns as { items?: { text?: string; fontType?: string }[] }[];
    const labelText = left?.items?.[0]?.text ?? '';
    const value = right?.items?.[0];
    if (labelText.replace(/ ✔$/, '') === label && value?.fontType === 'Monospace' && value.text) values.push(value.text);
  }
  return values;
}
