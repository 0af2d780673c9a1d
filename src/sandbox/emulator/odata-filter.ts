/**
 * The OData `$filter` subset Entra answers by default for the properties the emulator models:
 *   prop eq 'v' | prop eq null | prop in ('a','b') | startswith(prop,'v')
 *   coll/any(x:x eq 'v')  (also startswith / or / and inside the lambda)
 *   ... and ... | ... or ... | ( ... )
 * and, in an advanced query (`ConsistencyLevel: eventual` with `$count=true`), `prop ge 'v'` and
 * `prop le 'v'` on the properties whose Graph reference says so (user: userPrincipalName, mail,
 * displayName: "Supports $filter (eq, ne, NOT, ge, le, in, startsWith, ...)", v1.0 user resource;
 * the operators beyond eq/in/startsWith are advanced-query capabilities, concepts/aad-advanced-queries.md).
 * Everything else (ne, not, other functions, unknown properties) is refused with the 400 Graph
 * gives, never guessed at. Parsing yields a tree; `matchesFilter` evaluates it against an object.
 */
import { graphErrors } from './graph-errors.ts';
import { tokenize, type Token } from './odata-lexer.ts';

export type Comparison = 'caseInsensitive' | 'exact';

/** What a resource lets $filter touch, and how each property compares. */
export interface FilterSchema {
  /** Graph's resource name in error messages, e.g. 'User'. */
  resource: string;
  scalars: Readonly<Record<string, Comparison>>;
  /** String collections filterable through any(). */
  collections: Readonly<Record<string, Comparison>>;
  /** Properties (scalar or collection) that also support startswith. */
  startsWith: readonly string[];
  /** Scalar properties that support `ge` and `le` in an advanced query. */
  ranges?: readonly string[];
}

export interface FilterOptions {
  /** The request is an advanced query (`ConsistencyLevel: eventual` and `$count=true`). */
  advanced?: boolean;
}

export type FilterNode =
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode }
  /** `element` compares the current item of the enclosing any() instead of a property. */
  | { kind: 'eq'; property: string; element: boolean; values: (string | null)[]; comparison: Comparison }
  | { kind: 'startsWith'; property: string; element: boolean; value: string; comparison: Comparison }
  /** `ge` / `le`: ordinal comparison of the folded values (Graph's own collation is not documented). */
  | { kind: 'range'; property: string; op: 'ge' | 'le'; value: string; comparison: Comparison }
  | { kind: 'any'; property: string; body: FilterNode };

const MAX_DEPTH = 32;
const UNSUPPORTED_OPERATORS = new Set(['ne', 'gt', 'ge', 'lt', 'le', 'has']);

interface Scope {
  depth: number;
  /** Inside any(): the lambda variable and the collection it ranges over. */
  lambda?: { variable: string; collection: string };
}

export function parseFilter(filter: string, schema: FilterSchema, options: FilterOptions = {}): FilterNode {
  const parser = new Parser(filter, schema, options.advanced === true);
  return parser.parseAll();
}

export type FilterValue = string | null | readonly string[];

/** Evaluate against an object whose properties `get` returns (a string, null, or a string list). */
export function matchesFilter(node: FilterNode, get: (property: string) => FilterValue, element?: string): boolean {
  switch (node.kind) {
    case 'and':
      return matchesFilter(node.left, get, element) && matchesFilter(node.right, get, element);
    case 'or':
      return matchesFilter(node.left, get, element) || matchesFilter(node.right, get, element);
    case 'any': {
      const items = get(node.property);
      return Array.isArray(items) && items.some((item: string) => matchesFilter(node.body, get, item));
    }
    case 'eq': {
      const actual = node.element ? (element ?? null) : scalar(get(node.property));
      return node.values.some((v) => equal(actual, v, node.comparison));
    }
    case 'startsWith': {
      const actual = node.element ? (element ?? null) : scalar(get(node.property));
      return actual !== null && fold(actual, node.comparison).startsWith(fold(node.value, node.comparison));
    }
    case 'range': {
      const actual = scalar(get(node.property));
      if (actual === null) return false;
      const [a, v] = [fold(actual, node.comparison), fold(node.value, node.comparison)];
      return node.op === 'ge' ? a >= v : a <= v;
    }
  }
}

function scalar(value: FilterValue): string | null {
  return typeof value === 'string' ? value : null;
}

function fold(value: string, comparison: Comparison): string {
  return comparison === 'caseInsensitive' ? value.toLowerCase() : value;
}

function equal(actual: string | null, expected: string | null, comparison: Comparison): boolean {
  if (actual === null || expected === null) return actual === expected;
  return fold(actual, comparison) === fold(expected, comparison);
}

class Parser {
  readonly #tokens: Token[];
  readonly #filter: string;
  readonly #schema: FilterSchema;
  readonly #advanced: boolean;
  #at = 0;

  constructor(filter: string, schema: FilterSchema, advanced: boolean) {
    this.#filter = filter;
    this.#schema = schema;
    this.#advanced = advanced;
    this.#tokens = tokenize(filter);
  }

  parseAll(): FilterNode {
    const node = this.#parseOr({ depth: 0 });
    if (this.#peek().kind !== 'end') throw this.#syntax('Syntax error');
    return node;
  }

  #parseOr(scope: Scope): FilterNode {
    let left = this.#parseAnd(scope);
    while (this.#isKeyword('or')) {
      this.#next();
      left = { kind: 'or', left, right: this.#parseAnd(scope) };
    }
    return left;
  }

  #parseAnd(scope: Scope): FilterNode {
    let left = this.#parsePrimary(scope);
    while (this.#isKeyword('and')) {
      this.#next();
      left = { kind: 'and', left, right: this.#parsePrimary(scope) };
    }
    return left;
  }

  #parsePrimary(scope: Scope): FilterNode {
    const token = this.#peek();
    if (token.kind === 'lparen') {
      if (scope.depth >= MAX_DEPTH) throw this.#syntax('The filter is nested too deeply');
      this.#next();
      const inner = this.#parseOr({ ...scope, depth: scope.depth + 1 });
      this.#expect('rparen', "')' expected");
      return inner;
    }
    if (token.kind !== 'ident') throw this.#syntax('Expression expected');
    if (token.value.toLowerCase() === 'not') throw graphErrors.unsupportedQuery("the 'not' operator");
    if (this.#peek(1).kind === 'lparen') return this.#parseFunction(scope);
    return this.#parseComparison(scope);
  }

  #parseFunction(scope: Scope): FilterNode {
    const name = this.#ident();
    if (name.toLowerCase() !== 'startswith') throw graphErrors.unsupportedQuery(`the '${name}' function`);
    this.#expect('lparen', "'(' expected");
    const subject = this.#subject(scope);
    this.#expect('comma', "',' expected");
    const value = this.#literal();
    this.#expect('rparen', "')' expected");
    if (value === null) throw this.#syntax('startswith needs a string literal');
    const property = subject.element ? (scope.lambda?.collection ?? '') : subject.property;
    if (!this.#schema.startsWith.includes(property)) throw this.#unsupported(property);
    return { kind: 'startsWith', property, element: subject.element, value, comparison: subject.comparison };
  }

  #parseComparison(scope: Scope): FilterNode {
    const nameToken = this.#peek();
    if (this.#peek(1).kind === 'slash') return this.#parseLambda(scope);
    const subject = this.#subject(scope);
    const op = this.#peek();
    if (op.kind !== 'ident') throw this.#syntax('Syntax error');
    const operator = op.value.toLowerCase();
    if ((operator === 'ge' || operator === 'le') && this.#rangeAllowed(subject)) {
      this.#next();
      const value = this.#literal();
      if (value === null) throw this.#syntax(`${operator} needs a string literal`);
      return { kind: 'range', property: subject.property, op: operator, value, comparison: subject.comparison };
    }
    if (UNSUPPORTED_OPERATORS.has(operator)) throw this.#unsupported(subject.element ? (scope.lambda?.collection ?? '') : subject.property);
    this.#next();
    if (operator === 'eq') return this.#eqNode(subject, [this.#literal()]);
    if (operator === 'in') return this.#eqNode(subject, this.#literalList());
    throw graphErrors.filterSyntax('Syntax error', nameToken.pos, this.#filter);
  }

  /** `ge` / `le` on this subject: a scalar the schema lists, in an advanced query only. */
  #rangeAllowed(subject: Subject): boolean {
    return this.#advanced && !subject.element && (this.#schema.ranges ?? []).includes(subject.property);
  }

  #eqNode(subject: Subject, values: (string | null)[]): FilterNode {
    if (subject.element && values.includes(null)) throw this.#syntax('An element of a collection cannot be compared with null');
    return { kind: 'eq', property: subject.property, element: subject.element, values, comparison: subject.comparison };
  }

  #parseLambda(scope: Scope): FilterNode {
    const name = this.#ident();
    const property = this.#canonical(name, this.#schema.collections);
    if (property === undefined || scope.lambda) throw this.#unsupported(property ?? name);
    this.#expect('slash', "'/' expected");
    const operator = this.#ident();
    if (operator.toLowerCase() !== 'any') throw graphErrors.unsupportedQuery(`the '${operator}' lambda operator`);
    this.#expect('lparen', "'(' expected");
    const variable = this.#ident();
    this.#expect('colon', "':' expected");
    const body = this.#parseOr({ depth: scope.depth + 1, lambda: { variable, collection: property } });
    this.#expect('rparen', "')' expected");
    return { kind: 'any', property, body };
  }

  /** A property of the resource, or the lambda variable inside any(). */
  #subject(scope: Scope): Subject {
    const name = this.#ident();
    if (scope.lambda && name === scope.lambda.variable) {
      const comparison = this.#schema.collections[scope.lambda.collection] ?? 'exact';
      return { property: scope.lambda.collection, element: true, comparison };
    }
    const property = this.#canonical(name, this.#schema.scalars);
    if (property === undefined) throw this.#unsupported(this.#canonical(name, this.#schema.collections) ?? name);
    return { property, element: false, comparison: this.#schema.scalars[property] ?? 'exact' };
  }

  #literal(): string | null {
    const token = this.#next();
    if (token.kind === 'string') return token.value;
    if (token.kind === 'ident' && token.value === 'null') return null;
    throw graphErrors.filterSyntax('A binary operator with incompatible types was detected', token.pos, this.#filter);
  }

  #literalList(): (string | null)[] {
    this.#expect('lparen', "'(' expected");
    const values = [this.#literal()];
    while (this.#peek().kind === 'comma') {
      this.#next();
      values.push(this.#literal());
    }
    this.#expect('rparen', "')' expected");
    return values;
  }

  #canonical(name: string, properties: Readonly<Record<string, Comparison>>): string | undefined {
    return Object.keys(properties).find((p) => p.toLowerCase() === name.toLowerCase());
  }

  #ident(): string {
    const token = this.#next();
    if (token.kind !== 'ident') throw graphErrors.filterSyntax('Identifier expected', token.pos, this.#filter);
    return token.value;
  }

  #isKeyword(word: string): boolean {
    const token = this.#peek();
    return token.kind === 'ident' && token.value.toLowerCase() === word;
  }

  #expect(kind: Token['kind'], reason: string): void {
    const token = this.#next();
    if (token.kind !== kind) throw graphErrors.filterSyntax(reason, token.pos, this.#filter);
  }

  #peek(ahead = 0): Token {
    return this.#tokens[Math.min(this.#at + ahead, this.#tokens.length - 1)] as Token;
  }

  #next(): Token {
    const token = this.#peek();
    if (this.#at < this.#tokens.length - 1) this.#at++;
    return token;
  }

  #syntax(reason: string) {
    return graphErrors.filterSyntax(reason, this.#peek().pos, this.#filter);
  }

  #unsupported(property: string) {
    return graphErrors.unsupportedFilterProperty(property, this.#schema.resource);
  }
}

interface Subject {
  property: string;
  element: boolean;
  comparison: Comparison;
}
