import { sharedMapping, type MappingEntry } from './mappings.ts';
import { share, type SharedGroup } from './shared.ts';

/**
 * Shared lists. A mesh's peer lists hold mostly the same peers: each of a full mesh's lists is every cluster but
 * one. A shared list is made of shared groups, consecutive items that are one object in every list holding
 * them all, so that what is done per item on every list (the plan's peers, Cilium's `clusters` entries, the
 * Secrets' keys, their YAML, the plan keys) is done once per shared group instead. To any other reader it is a
 * frozen array of its items.
 */

const groupsOfList = new WeakMap<readonly unknown[], readonly SharedGroup<unknown>[]>();

/**
 * The list of the groups' items, as a shared list of them. Each group is shared in place, not copied: its identity
 * is what the lists holding it have in common. Empty groups are dropped.
 */
export function sharedList<T>(groups: readonly (readonly T[])[]): readonly T[] {
  const kept = Object.freeze(groups.filter((g) => g.length > 0).map((g) => share(g)));
  // concat copies each group's elements whole, where flat() inspects every item.
  const list = Object.freeze(([] as T[]).concat(...kept));
  groupsOfList.set(list, kept);
  return list;
}

/** The shared groups `list` is made of, if it is a shared list. */
export function sharedGroups<T>(list: readonly T[]): readonly SharedGroup<T>[] | undefined {
  return groupsOfList.get(list) as readonly SharedGroup<T>[] | undefined;
}

/**
 * Items per shared group of sharedSubsets: few, so that the group a list holds only in part (the one holding the
 * cluster itself) is small; enough, so that a list is far fewer groups than items.
 */
export const GROUP_SIZE = 8;

/** Subsets of fewer items than this are plain arrays: sharing them would save less than it costs. */
export const MIN_SHARED_SUBSET = 33;

/**
 * Subsets of `universe` (its items, in its order, shared), made by `keep`: a shared list when it holds at least
 * MIN_SHARED_SUBSET items, its groups the universe's groups of GROUP_SIZE items, so that a group kept whole is the
 * same object in every subset; a plain array otherwise. For a mesh's peer lists, each a subset of the fleet's
 * sorted names.
 */
export function sharedSubsets<T>(universe: readonly T[]): (keep: (item: T) => boolean) => readonly T[] {
  const groups: SharedGroup<T>[] = [];
  for (let i = 0; i < universe.length; i += GROUP_SIZE) groups.push(share(universe.slice(i, i + GROUP_SIZE)));
  return (keep) => {
    let count = 0;
    const kept = groups.map((group) => {
      let whole = true;
      for (let i = 0; whole && i < group.length; i++) whole = keep(group[i]);
      const items = whole ? group : group.filter(keep);
      count += items.length;
      return items;
    });
    return count < MIN_SHARED_SUBSET ? ([] as T[]).concat(...kept) : sharedList(kept);
  };
}

/** A function made by shareEach: per item, and per list or mapping of items. */
export interface SharedEach<T, U> {
  /** `each(item)`, shared; made once per item object, however many lists hold it. */
  (item: T): U;
  /** `items.map(each)`; of a shared list, the shared list of the mapped groups, each group mapped once. */
  list(items: readonly T[]): readonly U[];
  /**
   * The mapping of the entries `each` makes of items (one key each); of a shared list, a sharedMapping of the mapped
   * groups (mappings.ts).
   */
  mapping<V>(this: SharedEach<T, MappingEntry<V>>, items: readonly T[]): Readonly<Record<string, V>>;
}

/**
 * `each` as a function over shared values: its results are shared (shared.ts), made once per item object, and of a
 * shared list once per shared group, so that the lists made from shared lists share groups as they do. `each` must
 * be pure: its result is kept for its argument.
 */
export function shareEach<T, U>(each: (item: T) => U): SharedEach<T, U> {
  const byItem = new WeakMap<object, U>();
  const byGroup = new WeakMap<SharedGroup<T>, SharedGroup<U>>();
  const one = (item: T): U => {
    if (typeof item !== 'object' || item === null) return share(each(item));
    let result = byItem.get(item);
    if (result === undefined && !byItem.has(item)) byItem.set(item, (result = share(each(item))));
    return result as U;
  };
  const mapGroup = (group: SharedGroup<T>): SharedGroup<U> => {
    let mapped = byGroup.get(group);
    if (mapped === undefined) byGroup.set(group, (mapped = share(group.map(one))));
    return mapped;
  };
  return Object.assign(one, {
    list(items: readonly T[]): readonly U[] {
      const groups = sharedGroups(items);
      return groups ? sharedList(groups.map(mapGroup)) : items.map(one);
    },
    mapping<V>(this: SharedEach<T, MappingEntry<V>>, items: readonly T[]): Readonly<Record<string, V>> {
      const groups = sharedGroups(items);
      if (groups) return sharedMapping(groups.map(mapGroup) as unknown as SharedGroup<MappingEntry<V>>[]);
      return Object.freeze(Object.fromEntries(items.map(this)));
    },
  });
}
