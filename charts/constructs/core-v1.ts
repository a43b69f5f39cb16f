import { ApiObject, type ApiObjectMetadata } from 'cdk8s';
import type { Construct } from 'constructs';
import { plainManifest } from './plain-manifest.ts';

/*
 * The core/v1 kinds meshfleet writes, typed by the fields it sets, named as in the Kubernetes API. The upstream tests
 * check every rendered object against the Kubernetes schemas (test/support/upstream.ts).
 * Why not cdk8s-plus: docs/performance.md, "cdk8s-plus for the core kinds".
 */

/** A port of a Service. */
export interface ServicePort {
  readonly name: string;
  readonly port: number;
  /** @default 'TCP' (the API's) */
  readonly protocol?: 'TCP' | 'UDP' | 'SCTP';
  /** A port number or the name of a container port. @default port (the API's) */
  readonly targetPort?: number | string;
}

export interface ServiceProps {
  readonly metadata: ApiObjectMetadata;
  readonly spec: {
    readonly type: 'ClusterIP';
    readonly ports: readonly ServicePort[];
    /** @default none: the Service has no endpoints of its own (e.g. a global Service's client side) */
    readonly selector?: Readonly<Record<string, string>>;
  };
}

export interface NamespaceProps {
  readonly metadata: ApiObjectMetadata;
}

export interface SecretProps {
  readonly metadata: ApiObjectMetadata;
  /** @default 'Opaque' (the API's) */
  readonly type?: string;
  /** Plain-text values; never a secret value here, only what may be read in the repository (paths, endpoints). */
  readonly stringData: Readonly<Record<string, string>>;
}

export interface ConfigMapProps {
  readonly metadata: ApiObjectMetadata;
  readonly data: Readonly<Record<string, string>>;
}

/** A core/v1 object whose props are its manifest's body, serialized as given (plain-manifest.ts). */
abstract class CoreObject<Props extends { readonly metadata: ApiObjectMetadata }> extends ApiObject {
  readonly #metadata: ApiObjectMetadata;
  readonly #body: Omit<Props, 'metadata'>;

  constructor(scope: Construct, id: string, kind: string, props: Props) {
    super(scope, id, { apiVersion: 'v1', kind, metadata: props.metadata });
    const { metadata, ...body } = props;
    this.#metadata = metadata;
    this.#body = body;
  }

  override toJson(): unknown {
    return plainManifest(this, this.#metadata, this.#body);
  }
}

export class Service extends CoreObject<ServiceProps> {
  constructor(scope: Construct, id: string, props: ServiceProps) {
    super(scope, id, 'Service', props);
  }
}

export class Namespace extends CoreObject<NamespaceProps> {
  constructor(scope: Construct, id: string, props: NamespaceProps) {
    super(scope, id, 'Namespace', props);
  }
}

export class Secret extends CoreObject<SecretProps> {
  constructor(scope: Construct, id: string, props: SecretProps) {
    super(scope, id, 'Secret', props);
  }
}

export class ConfigMap extends CoreObject<ConfigMapProps> {
  constructor(scope: Construct, id: string, props: ConfigMapProps) {
    super(scope, id, 'ConfigMap', props);
  }
}
