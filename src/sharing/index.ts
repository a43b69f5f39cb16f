/**
 * Sharing: what many clusters' outputs hold by identity, made once per render (docs/architecture.md, "Sharing"). The
 * only public face of src/sharing. The domain (src/model, src/plan, charts/) takes plain arrays and objects and uses
 * at most one helper from here where it makes them: sharedSubsets where peer lists are computed, shareEach where
 * values are made per peer. The emitter (src/synth/emit.ts), the render (src/synth/synth.ts), the render cache and
 * the writer thread (src/write/) exploit what is shared.
 */
export { isShared, memoByObject, share, type SharedGroup } from './shared.ts';
export {
  GROUP_SIZE,
  MIN_SHARED_SUBSET,
  shareEach,
  sharedGroups,
  sharedList,
  sharedSubsets,
  type SharedEach,
} from './lists.ts';
export { mappingGroups, sharedMapping, type MappingEntry } from './mappings.ts';
export { joinParts, partText, SharedText, SharedTextJoiner, type FilePart } from './text.ts';
export { planText } from './plan-text.ts';
