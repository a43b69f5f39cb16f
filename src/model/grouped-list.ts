/**
 * A list made of groups that recur, by identity, in the lists of many clusters. A full mesh's 511 peer lists are each
 * all clusters but one: cut into blocks of the fleet's sorted names, every list is the same shared blocks but for
 * the one block that held the cluster itself. To any reader it is a frozen array of its items; the stages that do
 * work per item on every list (the plan's mapping of peers, the render cache's plan keys, the emitter in
 * src/synth/emit.ts) do it once per group instead: 64 groups a list where there were 510 items.
 */

const groupsByList = new WeakMap<readonly unknown[], readonly (readonly unknown[])[]>();

/** The list of the groups' items. Groups are frozen in place (not copied: their identity is what is shared). */
export function groupedList<T>(groups: readonly (readonly T[])[]): readonly T[] {
  const kept = Object.freeze(groups.filter((g) => g.length > 0).map((g) => Object.freeze(g)));
  const list = Object.freeze(([] as T[]).concat(...kept)); // concat: several times faster than flat() here
  groupsByList.set(list, kept);
  return list;
}

/** The groups `list` was made of, if it is a groupedList. */
export function listGroups<T>(list: readonly T[]): readonly (readonly T[])[] | undefined {
  return groupsByList.get(list) as readonly (readonly T[])[] | undefined;
}

/**
 * `list.map(each)`, made of the mapped groups when `list` is grouped: each group is mapped once, however many lists
 * hold it. `each` must be pure, as the groups' items are immutable.
 */
export function groupMapper<T, U>(each: (item: T) => U): (list: readonly T[]) => readonly U[] {
  return perGroup((items: readonly T[]) => items.map(each));
}

/**
 * `list.flatMap(each)`, grouped as `list` is: each group's items are mapped and joined once, however many lists hold
 * the group (a block of peers becomes the block of all their secret keys). `each` must be pure.
 */
export function groupFlatMapper<T, U>(each: (item: T) => readonly U[]): (list: readonly T[]) => readonly U[] {
  return perGroup((items: readonly T[]) => items.flatMap(each));
}

/** `mapItems` of a list: of each of its groups, once per group, when it is grouped. */
function perGroup<T, U>(mapItems: (items: readonly T[]) => readonly U[]): (list: readonly T[]) => readonly U[] {
  const mapped = new WeakMap<readonly T[], readonly U[]>();
  const mapGroup = (group: readonly T[]) => {
    let result = mapped.get(group);
    if (result === undefined) mapped.set(group, (result = mapItems(group)));
    return result;
  };
  return (list) => {
    const groups = listGroups(list);
    return groups ? groupedList(groups.map(mapGroup)) : mapItems(list);
  };
}

/** Items a group of a grouped list holds: small enough that a list's own block costs little, large enough to share. */
export const GROUP_SIZE = 8;

/** The universe cut into frozen blocks of GROUP_SIZE items, for keptOf to make lists of. */
export function blocksOf<T>(universe: readonly T[]): readonly (readonly T[])[] {
  const blocks: (readonly T[])[] = [];
  for (let i = 0; i < universe.length; i += GROUP_SIZE) blocks.push(Object.freeze(universe.slice(i, i + GROUP_SIZE)));
  return blocks;
}

/**
 * The items of `blocks` (blocksOf a universe) that `keep` holds, in the universe's order, as a groupedList: a block
 * kept whole is the same object in every list made from `blocks`.
 */
export function keptOf<T>(blocks: readonly (readonly T[])[], keep: ReadonlySet<T>): readonly T[] {
  const groups: (readonly T[])[] = [];
  for (const block of blocks) {
    let whole = true;
    for (let i = 0; whole && i < block.length; i++) whole = keep.has(block[i]);
    groups.push(whole ? block : block.filter((item) => keep.has(item)));
  }
  return groupedList(groups);
}
