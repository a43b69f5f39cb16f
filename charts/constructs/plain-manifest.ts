import type { ApiObject, ApiObjectMetadata } from 'cdk8s';
import type { Construct } from 'constructs';

/**
 * The manifest of `object` with `body` as given, for the CRD kinds meshfleet writes (charts/constructs/crds.ts). The
 * generated toJson of a type rebuilds every map by spreading it once per key (quadratic in the keys of the objects
 * that hold one entry per peer) and visits every field the CRD allows, and cdk8s's generic one resolves and copies
 * every value. Their bodies are plain data (no tokens, no undefined fields, named as in the manifest; the
 * upstream-schema tests check the result), so they are returned as they are, and what is shared among clusters
 * (src/sharing) stays shared for the emitter (src/synth/emit.ts). JSON patches are not applied: nothing in meshfleet
 * adds any.
 */
export function plainManifest(
  object: ApiObject,
  metadata: ApiObjectMetadata | undefined,
  body: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  return { apiVersion: object.apiVersion, kind: object.kind, metadata: plainMetadata(object, metadata), ...body };
}

/**
 * `object.metadata.toJson()`, for metadata as meshfleet gives it (charts/constructs/metadata.ts: strings and maps of
 * strings; its charts set no labels or namespace of their own), without cdk8s's resolve and sanitize passes, which
 * walk and copy every value of every object. Like those, it leaves out what is undefined or empty. Anything else is
 * left to cdk8s. test/plain-manifest.test.ts holds the two equal on every object of rendered fleets.
 */
export function plainMetadata(object: ApiObject, given: ApiObjectMetadata | undefined): unknown {
  const metadata: Record<string, unknown> = {};
  const keys = given ? Object.keys(given) : [];
  if (!keys.includes('name')) keys.push('name');
  for (const key of keys) {
    const value = key === 'name' ? object.metadata.name : (given as Record<string, unknown>)[key];
    if (typeof value === 'string') {
      metadata[key] = value;
    } else if (value !== undefined) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return object.metadata.toJson();
      const entries = Object.entries(value).filter(([, v]) => v !== undefined);
      if (entries.some(([, v]) => typeof v !== 'string')) return object.metadata.toJson();
      if (entries.length > 0) metadata[key] = Object.fromEntries(entries);
    }
  }
  return metadata;
}

// `never`: any generated class fits, whatever its props; `T` keeps the real constructor type for callers.
type WithSpec = new (scope: Construct, id: string, props: never) => ApiObject;

/** `Base` with its constructor as typed, whose manifest is plainManifest of `body(props)`. */
function serializedBy<T extends WithSpec>(Base: T, body: (props: never) => Readonly<Record<string, unknown>>): T {
  class Serialized extends (Base as WithSpec) {
    readonly #props: { readonly metadata?: ApiObjectMetadata };
    constructor(scope: Construct, id: string, props: { readonly metadata?: ApiObjectMetadata }) {
      super(scope, id, props as never);
      this.#props = props;
    }

    override toJson(): unknown {
      return plainManifest(this, this.#props.metadata, body(this.#props as never));
    }
  }
  return Serialized as unknown as T;
}

/** The generated class `Base` (e.g. HelmRelease), whose `spec` is serialized as given. */
export function plainSpec<T extends WithSpec>(Base: T): T {
  return serializedBy(Base, (props: { readonly spec?: unknown }) => ({ spec: props.spec }));
}

// A generated class: its static `manifest` maps props to the manifest's names (e.g. `isCa` → `isCA`), resolving nothing.
type Generated = WithSpec & { manifest(props: never): Record<string, unknown> };

/**
 * The generated class `Base`, serialized by its own static `manifest` (the generated name mapping), for a kind whose
 * props are named apart from its manifest (Certificate), rather than by cdk8s's resolve, which copies every value of
 * every object. Props must be plain data, as for plainSpec; the tests check the result.
 */
export function viaManifest<T extends Generated>(Base: T): T {
  return serializedBy(Base, (props) => {
    const { apiVersion: _apiVersion, kind: _kind, metadata: _metadata, ...body } = Base.manifest(props);
    return body;
  });
}
