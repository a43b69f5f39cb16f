/** One key and its value. */
export type MappingEntry<V> = readonly [key: string, value: V];

/** Entries that travel together, frozen and shared among the clusters whose mappings hold them (a peer's keys). */
export type MappingGroup<V> = readonly MappingEntry<V>[];

const groupsByMapping = new WeakMap<object, readonly MappingGroup<unknown>[]>();

/**
 * A read-only mapping made of `groups`, for the Secrets of a full mesh that hold four keys per peer: 2,000 keys in
 * each of 511 files. To cdk8s, the tests and JSON it is a plain object, built on first look; the emitter
 * (emit.ts) writes it from its groups instead, each group's text made once per render, without building the object,
 * listing its keys or sorting them, which was a sixth of such a render.
 */
export function groupedMapping<V>(of: readonly MappingGroup<V>[]): Readonly<Record<string, V>> {
  const groups = Object.freeze([...of]); // the object and the emitter's text must not part ways if `of` changes
  let built: Readonly<Record<string, V>> | undefined;
  const object = () => (built ??= Object.freeze(Object.fromEntries(groups.flat())));
  const mapping = new Proxy({}, {
    get: (_, key) => Reflect.get(object(), key),
    has: (_, key) => Reflect.has(object(), key),
    ownKeys: () => Reflect.ownKeys(object()),
    // Configurable, as the target has no such property: a proxy may not claim otherwise.
    getOwnPropertyDescriptor: (_, key) => {
      const own = Reflect.getOwnPropertyDescriptor(object(), key);
      return own && { ...own, configurable: true };
    },
    set: () => false,
    defineProperty: () => false,
    deleteProperty: () => false,
  }) as Readonly<Record<string, V>>;
  groupsByMapping.set(mapping, groups);
  return mapping;
}

/** The groups `value` was made of, if it is a groupedMapping. */
export function mappingGroups(value: object): readonly MappingGroup<unknown>[] | undefined {
  return groupsByMapping.get(value);
}
