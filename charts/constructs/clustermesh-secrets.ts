import { Construct } from 'constructs';
import type { PeerPlan } from '../../src/plan/types.ts';
import { localKvstoremeshConfig, peerDialConfig, type PeerCredentials } from './clustermesh-templates.ts';
import { Secret } from './core-v1.ts';
import { metadata } from './metadata.ts';

/** The Secret the kvstoremesh sidecar (or, without it, the agents) reads its peers from. */
export function peerSecretName(kvstoremesh: boolean): string {
  return kvstoremesh ? 'cilium-kvstoremesh' : 'cilium-clustermesh';
}

export interface ClustermeshSecretsProps {
  /** Cilium's namespace: where the agents and the clustermesh-apiserver mount these Secrets. */
  readonly namespace: string;
  /** The clusters this one dials. */
  readonly peers: readonly PeerPlan[];
  /** Whether the kvstoremesh sidecar dials the peers (the agents then dial it). */
  readonly kvstoremesh: boolean;
  /** Which client certificate each peer's config names (clustermesh-templates.ts). */
  readonly credentials: PeerCredentials;
}

/**
 * What the chart's `clustermesh.config.enabled: true` would render (templates/clustermesh-config/), rendered by
 * meshfleet in both TLS modes so that these objects keep one owner when the mode changes. Only endpoints and file
 * paths: with per-cluster CAs, one ExternalSecret per peer merges that peer's certificate files into the per-peer
 * Secret (clustermesh-peer-cert.ts).
 */
export class ClustermeshSecrets extends Construct {
  constructor(scope: Construct, id: string, props: ClustermeshSecretsProps) {
    super(scope, id);
    new Secret(this, 'peers', {
      metadata: metadata(peerSecretName(props.kvstoremesh), props.namespace),
      type: 'Opaque',
      stringData: peerDialConfig(props.peers, props.credentials),
    });
    if (props.kvstoremesh) {
      new Secret(this, 'agents', {
        metadata: metadata('cilium-clustermesh', props.namespace),
        type: 'Opaque',
        stringData: localKvstoremeshConfig(props.peers, props.namespace),
      });
    }
  }
}
