/**
 * Unit: a listing renders each user with projectUser, which must answer exactly what projecting
 * the whole Graph user does (`project(graphUser(u), shape, select)`), for every user of a seeded
 * tenant and any `$select`, properties in the same order.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { graphUser, project, projectUser, USER_SHAPE, USER_SHAPE_BETA } from '../../../src/sandbox/emulator/projection.ts';
import { DELETED_USER_SHAPE } from '../../../src/sandbox/emulator/routes/user-queries.ts';
import { EmulatorState } from '../../../src/sandbox/emulator/state.ts';
import { generateDirectory } from '../../../src/sandbox/generator/generate.ts';

describe('projectUser', () => {
  const state = EmulatorState.fromSeed(generateDirectory({ users: 200, seed: 5 }).tenant);
  const users = [...state.activeUsers(), ...state.deletedUsers()];

  it('answers what projecting the whole Graph user answers, without $select and with any', () => {
    const shapes = [USER_SHAPE, USER_SHAPE_BETA, DELETED_USER_SHAPE];
    fc.assert(
      fc.property(
        fc.constantFrom(...users),
        fc.constantFrom(...shapes),
        fc.option(fc.subarray([...USER_SHAPE_BETA.properties]), { nil: undefined }),
        (user, shape, select) => {
          const expected = project(graphUser(user), shape, select);
          const actual = projectUser(user, shape, select);
          expect(actual).toEqual(expected);
          expect(Object.keys(actual)).toEqual(Object.keys(expected));
        },
      ),
    );
  });
});
