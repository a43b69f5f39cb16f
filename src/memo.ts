/**
 * `make`, run once per key object and remembered for as long as the key lives: for what is derived from immutable
 * data (a frozen PeerPlan, a render's ClusterPlan) and asked for again and again, as every peer is in a full mesh.
 */
export function memoByObject<K extends object, V>(make: (key: K) => V): (key: K) => V {
  const made = new WeakMap<K, V>();
  return (key) => {
    let value = made.get(key);
    if (value === undefined) made.set(key, (value = make(key)));
    return value;
  };
}
