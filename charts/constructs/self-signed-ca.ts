import { Construct } from 'constructs';
import { CertificateSpecPrivateKeyAlgorithm } from '../../imports/certificate-cert-manager.io.ts';
import { Certificate, Issuer } from './crds.ts';
import { metadata } from './metadata.ts';

export interface SelfSignedCaProps {
  /** Name of the CA issuer, of its Certificate and of the Secret holding the CA. */
  readonly name: string;
  readonly namespace: string;
  /** CA lifetime. @default '87600h' (10 years) */
  readonly duration?: string;
}

/** cert-manager's three steps to a private CA: a selfSigned issuer, a CA certificate from it, a CA issuer on that. */
export class SelfSignedCa extends Construct {
  constructor(scope: Construct, id: string, props: SelfSignedCaProps) {
    super(scope, id);
    const bootstrap =
      props.name.replace(/-ca$/, '') === props.name ? `${props.name}-bootstrap` : props.name.replace(/-ca$/, '');
    new Issuer(this, 'self-signed', {
      metadata: metadata(bootstrap, props.namespace),
      spec: { selfSigned: {} },
    });
    new Certificate(this, 'ca', {
      metadata: metadata(props.name, props.namespace),
      spec: {
        isCa: true,
        commonName: props.name,
        secretName: props.name,
        duration: props.duration ?? '87600h',
        privateKey: { algorithm: CertificateSpecPrivateKeyAlgorithm.ECDSA, size: 256 },
        issuerRef: { group: 'cert-manager.io', kind: 'Issuer', name: bootstrap },
      },
    });
    new Issuer(this, 'issuer', {
      metadata: metadata(props.name, props.namespace),
      spec: { ca: { secretName: props.name } },
    });
  }
}
