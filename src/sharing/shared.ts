/**
 * Shared values, the one idea of src/sharing. A shared value is made once per render and held by identity in the
 * output of many clusters: a mesh's peer, the entries made from it, a shared group of peers, a text that recurs
 * across files. Sharing a value freezes it deep and marks it; a consumer (the emitter, the plan keys) may then keep
 * what it derives from it by identity, as nothing in it can change. The mark is what counts: a frozen value that
 * was not shared is an ordinary value to every consumer.
 */
const marked = new WeakSet<object>();

/**
 * Freezes `value` deep and marks it and every object in it as shared; returns it. Only for plain data (objects,
 * arrays and what they hold): its own enumerable fields are what is frozen and later read.
 */
export function share<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !marked.has(value)) {
    marked.add(value); // first, so that a value holding itself ends
    for (const item of Object.values(value)) share(item);
    Object.freeze(value);
  }
  return value;
}

/** Whether `value` was shared (share): frozen deep, so what is derived from it may be kept by its identity. */
export function isShared(value: unknown): boolean {
  return typeof value === 'object' && value !== null && marked.has(value);
}

/** A shared value that is consecutive items of shared lists (lists.ts), or consecutive entries of a mapping's. */
export type SharedGroup<T> = readonly T[];

/**
 * `make`, run once per key object and remembered for as long as the key lives: for what is derived from a value
 * that does not change (a shared value, a render's ClusterPlan) and asked for again by many clusters' outputs.
 */
export function memoByObject<K extends object, V>(make: (key: K) => V): (key: K) => V {
  const made = new WeakMap<K, V>();
  return (key) => {
    let value = made.get(key);
    if (value === undefined) made.set(key, (value = make(key)));
    return value;
  };
}
