/**
 * Deterministic people for generated directories: names, UPNs, GUIDs and dates drawn from one
 * seeded PRNG, so the same seed gives the same AD and the same tenant, byte for byte.
 */
import { anchorFromBytes, toGuid, toImmutableId } from '../../domain/anchors.ts';
import { seededRandom } from '../emulator/prng.ts';

// First names spread over the alphabet roughly as they are in a European or American workforce.
const FIRST = [
  'Aaron',
  'Abby',
  'Adam',
  'Alice',
  'Amir',
  'Anna',
  'Ben',
  'Bianca',
  'Carla',
  'Chen',
  'Chris',
  'Dana',
  'David',
  'Diego',
  'Elena',
  'Emma',
  'Eric',
  'Fatima',
  'Felix',
  'Grace',
  'Hana',
  'Henrik',
  'Ines',
  'Ivan',
  'Jack',
  'Jane',
  'John',
  'Julia',
  'Karl',
  'Kim',
  'Laura',
  'Leo',
  'Lucas',
  'Maria',
  'Mark',
  'Mei',
  'Nina',
  'Noah',
  'Olga',
  'Omar',
  'Paul',
  'Priya',
  'Quinn',
  'Rosa',
  'Ryan',
  'Sara',
  'Sofia',
  'Tom',
  'Uma',
  'Victor',
  'Wei',
  'Xavier',
  'Yara',
  'Yusuf',
  'Zoe',
];
const LAST = [
  'Abbott',
  'Baker',
  'Costa',
  'Dubois',
  'Evans',
  'Fischer',
  'García',
  'Hansen',
  'Ito',
  'Jensen',
  'Kowalski',
  'Lee',
  'Müller',
  'Nowak',
  "O'Brien",
  'Patel',
  'Quist',
  'Rossi',
  'Schmidt',
  'Tanaka',
  'Ulrich',
  'Virtanen',
  'Weber',
  'Yilmaz',
  'Zhang',
];

export interface Person {
  first: string;
  last: string;
  displayName: string;
  /** Local part of the UPN and mail: ASCII, unique within the directory. */
  local: string;
  samAccountName: string;
}

export interface Draw {
  /** Uniform in [0, 1). */
  next(): number;
  pick<T>(items: readonly T[]): T;
  guid(): string;
  /** An ImmutableID that no generated AD user has (a leftover of another forest). */
  strayAnchor(): string;
}

export function createDraw(seed: number): Draw {
  const random = seededRandom(seed);
  const byte = (): number => Math.floor(random() * 256);
  const bytes = (): Uint8Array => {
    const b = Uint8Array.from({ length: 16 }, byte);
    // RFC 4122 version 4 and variant bits, stored as .NET lays a GUID out (domain/anchors.ts).
    b[7] = ((b[7] ?? 0) & 0x0f) | 0x40;
    b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
    return b;
  };
  return {
    next: random,
    pick: (items) => items[Math.floor(random() * items.length)] as (typeof items)[number],
    guid: () => toGuid(anchorFromBytes(bytes())),
    strayAnchor: () => toImmutableId(anchorFromBytes(bytes())),
  };
}

/** ASCII for a UPN: accents dropped, apostrophes and spaces removed. */
export function asciiName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]/g, '')
    .toLowerCase();
}

/**
 * The i-th person. Most UPNs are first.last<i>; a few start with a digit (contractor numbers) or
 * an underscore (service-like accounts), as real tenants have, so every partition of a scan is used.
 */
export function personOf(draw: Draw, i: number): Person {
  const first = draw.pick(FIRST);
  const last = draw.pick(LAST);
  const roll = draw.next();
  const base = `${asciiName(first)}.${asciiName(last)}${i}`;
  const local = roll < 0.01 ? `${i}.${asciiName(last)}` : roll < 0.012 ? `_${asciiName(first)}${i}` : base;
  return { first, last, displayName: `${first} ${last}`, local, samAccountName: `u${i.toString(36)}` };
}
