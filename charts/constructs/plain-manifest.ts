import type { ApiObject } from 'cdk8s';

/**
 * The manifest of `object` with `body` as given: for the objects that hold one entry per peer (the peers' secrets,
 * the Cilium HelmRelease's values). The generated toJson of these types rebuilds every map by spreading it once per
 * key (quadratic in the keys), and cdk8s's generic one resolves and copies every value: most of a full-mesh render's
 * time. Their bodies are plain data (no tokens, no undefined fields, named as in the manifest; the upstream-schema
 * tests check the result), so they are returned as they are, and entries shared among clusters stay shared for the
 * emitter (src/synth/emit.ts). JSON patches are not applied: nothing in meshfleet adds any.
 */
export function plainManifest(object: ApiObject, body: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return { apiVersion: object.apiVersion, kind: object.kind, metadata: object.metadata.toJson(), ...body };
}
