import type { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';

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

// `never`: any generated class fits, whatever its props; `T` keeps the real constructor type for callers.
type WithSpec = new (scope: Construct, id: string, props: never) => ApiObject;

/** `Base` with its constructor as typed, whose manifest is plainManifest of `body(props)`. */
function serializedBy<T extends WithSpec>(Base: T, body: (props: never) => Readonly<Record<string, unknown>>): T {
  class Serialized extends (Base as WithSpec) {
    readonly #props: unknown;
    constructor(scope: Construct, id: string, props: unknown) {
      super(scope, id, props as never);
      this.#props = props;
    }

    override toJson(): unknown {
      return plainManifest(this, body(this.#props as never));
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
 * The generated class `Base` (e.g. HelmRepository), serialized by its own static `manifest` (the generated name
 * mapping) rather than by cdk8s's resolve, which copies every value of every object and was a sixth of a
 * hub-and-spoke render. Props must be plain data, as for plainSpec; the tests check the result.
 */
export function viaManifest<T extends Generated>(Base: T): T {
  return serializedBy(Base, (props) => {
    const { apiVersion: _apiVersion, kind: _kind, metadata: _metadata, ...body } = Base.manifest(props);
    return body;
  });
}
