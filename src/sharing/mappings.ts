import { share, type SharedGroup } from './shared.ts';

/** One key and its value. */
export type MappingEntry<V> = readonly [key: string, value: V];

const groupsOfMapping = new WeakMap<object, readonly SharedGroup<MappingEntry<unknown>>[]>();

/**
 * A read-only mapping made of shared groups of entries (a group per shared group of peers, in a mesh's Secrets that
 * hold a key per peer). To cdk8s, the tests and JSON it is a plain frozen object, built on first look; the emitter
 * (src/synth/emit.ts) writes it from its groups, each group's text made once per render, and never builds it.
 * It is not itself a shared value: its groups are.
 */
export function sharedMapping<V>(groups: readonly (readonly MappingEntry<V>[])[]): Readonly<Record<string, V>> {
  const kept = Object.freeze(groups.map((g) => share(g))); // its text and its object come from the same groups
  let built: Readonly<Record<string, V>> | undefined;
  const object = () => (built ??= Object.freeze(Object.fromEntries(kept.flat())));
  const mapping = new Proxy(
    {},
    {
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
    },
  ) as Readonly<Record<string, V>>;
  groupsOfMapping.set(mapping, kept);
  return mapping;
}

/** The shared groups of entries `value` was made of, if it is a sharedMapping. */
export function mappingGroups(value: object): readonly SharedGroup<MappingEntry<unknown>>[] | undefined {
  return groupsOfMapping.get(value);
}
