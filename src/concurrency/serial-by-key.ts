/**
 * Tasks of one key run one at a time, in call order; tasks of different keys run side by side.
 * A failed task does not hold up the ones after it (its caller gets the rejection). A key whose
 * queue ran empty is forgotten, so the map holds only keys with work in flight.
 */
export interface SerialByKey {
  run<T>(key: string, task: () => Promise<T>): Promise<T>;
  /** Resolves once every task queued so far for `key` has settled. */
  idle(key: string): Promise<void>;
}

export function serialByKey(): SerialByKey {
  const tails = new Map<string, Promise<void>>();
  return {
    run(key, task) {
      const result = (tails.get(key) ?? Promise.resolve()).then(task);
      const tail = result.then(
        () => undefined,
        () => undefined,
      );
      tails.set(key, tail);
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      return result;
    },
    idle: (key) => tails.get(key) ?? Promise.resolve(),
  };
}
