import { Construct } from 'constructs';
import { shareEach } from '../../src/sharing/index.ts';
import type { PeerPlan } from '../../src/plan/types.ts';
import { ConfigMap } from './core-v1.ts';
import { metadata } from './metadata.ts';

export interface ClustermeshRemoteUsersProps {
  /** Cilium's namespace. */
  readonly namespace: string;
  /** The clusters that dial this one (the mesh's connections go both ways). */
  readonly peers: readonly PeerPlan[];
}

/** A peer's line, made once per peer: every cluster the peer dials lists it. */
const userLine = shareEach((peer: PeerPlan) => `- name: remote-${peer.name}\n  role: remote\n`);

/**
 * The etcd users of the clustermesh-apiserver, one per remote cluster, as the chart's
 * templates/clustermesh-apiserver/users-configmap.yaml writes them; the apiserver mounts this ConfigMap (not
 * optional) whenever `authMode` is not `legacy`, and charts 1.19 and 1.20 render it only with `config.enabled`.
 */
export class ClustermeshRemoteUsers extends Construct {
  constructor(scope: Construct, id: string, props: ClustermeshRemoteUsersProps) {
    super(scope, id);
    new ConfigMap(this, 'users', {
      metadata: metadata('clustermesh-remote-users', props.namespace),
      data: { 'users.yaml': `users:\n${userLine.list(props.peers).join('')}` },
    });
  }
}
