import { Construct } from 'constructs';
import { ConfigMap } from './core-v1.ts';
import { metadata } from './metadata.ts';

export interface ClusterIdentityProps {
  readonly namespace: string;
  readonly fleet: string;
  readonly cluster: string;
  readonly id: number;
  readonly endpoint: string;
}

/** Who this cluster is in the mesh, for people and tools reading the cluster. */
export class ClusterIdentity extends Construct {
  constructor(scope: Construct, id: string, props: ClusterIdentityProps) {
    super(scope, id);
    new ConfigMap(this, 'identity', {
      metadata: metadata('meshfleet-cluster', props.namespace),
      data: { fleet: props.fleet, cluster: props.cluster, id: String(props.id), endpoint: props.endpoint },
    });
  }
}
