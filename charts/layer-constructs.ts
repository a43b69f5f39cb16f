import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';

/** A construct class whose objects are written from its props alone, as every construct of meshfleet's charts is. */
export type ConstructClass<P> = new (scope: Construct, id: string, props: P) => Construct;

/**
 * One construct of a cluster's layer, before it is built: its class, id and props. A layer is the list of them
 * (layerConstructs, charts/layers.ts), and its chart builds them. meshfleet's constructs write nothing but what their
 * props say (the charts set no namespace or labels of their own, and every object is named in its props), so two
 * of the same class with equal props write the same objects, wherever they are built: a render builds each such
 * construct once and its objects are shared by all the clusters that have it (src/synth/synth.ts).
 */
export interface LayerConstruct {
  /** The construct's id in its layer chart. */
  readonly id: string;
  /** Built with `props`, which `layerConstruct` checked it takes. */
  readonly type: ConstructClass<never>;
  readonly props: unknown;
  /** Whether its props are the cluster's own (its name, its Vault role): no other cluster's are the same. */
  readonly perCluster: boolean;
}

export function layerConstruct<P>(id: string, type: ConstructClass<P>, props: P, perCluster = false): LayerConstruct {
  return { id, type, props, perCluster };
}

/** A chart of the given constructs: a layer's chart, or any of its constructs. */
export class ConstructsChart extends Chart {
  constructor(scope: Construct, id: string, constructs: readonly LayerConstruct[]) {
    super(scope, id, { disableResourceNameHashes: true });
    for (const c of constructs) new c.type(this, c.id, c.props as never);
  }
}
