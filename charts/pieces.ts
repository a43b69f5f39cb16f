import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';

/** A construct class whose objects are written from its props alone, as every construct of meshfleet's charts is. */
export type PieceConstruct<P> = new (scope: Construct, id: string, props: P) => Construct;

/**
 * One construct of a cluster's layer and its props: a layer is the list of its pieces (infrastructurePieces,
 * configPieces), and its chart builds them. meshfleet's constructs write nothing but what their props say (the
 * charts set no namespace or labels of their own, and every object is named in its props), so pieces of the same
 * class with equal props write the same objects, wherever they are built: a render builds each such piece once
 * for all the clusters that have it (src/synth/synth.ts), as most of them are the same in every cluster of a fleet.
 */
export interface Piece {
  /** The construct's id in its layer chart. */
  readonly id: string;
  /** Built with `props`, which `piece` checked it takes. */
  readonly construct: PieceConstruct<never>;
  readonly props: unknown;
  /** Whether its props are the cluster's own (its name, its Vault role): no other cluster's piece is the same. */
  readonly perCluster: boolean;
  /**
   * The peer it is for, when the cluster has one such piece per peer: its objects, named `<base>-<peer>`, then share
   * a file with the other peers' (src/synth/layout.ts). @default undefined
   */
  readonly peer?: string;
}

export function piece<P>(id: string, construct: PieceConstruct<P>, props: P, perCluster = false): Piece {
  return { id, construct, props, perCluster, peer: undefined };
}

/** A piece of a set the cluster has one of per peer (`Piece.peer`). */
export function peerPiece<P>(peer: string, id: string, construct: PieceConstruct<P>, props: P): Piece {
  return { id, construct, props, perCluster: false, peer };
}

/** A chart of the given pieces: a layer's chart, or any part of its pieces. */
export class PiecesChart extends Chart {
  constructor(scope: Construct, id: string, pieces: readonly Piece[]) {
    super(scope, id, { disableResourceNameHashes: true });
    for (const p of pieces) new p.construct(this, p.id, p.props as never);
  }
}
