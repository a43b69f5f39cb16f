import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ciliumVersions, validateCiliumValues } from '../src/validate/cilium-schema.ts';
import {
  ciliumValuesKeysUnknown,
  minioCrdAvailable,
  validateManifest,
  validateManifestsInDir,
} from './support/upstream.ts';
import { tempDir } from './support/temp.ts';

const helmRelease = () => ({
  apiVersion: 'helm.toolkit.fluxcd.io/v2',
  kind: 'HelmRelease',
  metadata: { name: 'cilium', namespace: 'kube-system' },
  spec: {
    interval: '1h',
    chart: { spec: { chart: 'cilium', version: '1.19.6', sourceRef: { kind: 'HelmRepository', name: 'cilium' } } },
    values: { cluster: { name: 'a', id: 1 } },
  },
});

const service = () => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 's3-internal', namespace: 'minio-tenant', annotations: { 'service.cilium.io/global': 'true' } },
  spec: { ports: [{ name: 'http-minio', port: 80, targetPort: 9000 }], selector: { 'v1.min.io/tenant': 's3' } },
});

const includesAll = (errors: string[], ...parts: string[]) => errors.some((e) => parts.every((p) => e.includes(p)));

test('a minimal Flux HelmRelease is valid', () => {
  assert.equal(validateManifest(helmRelease()), []);
});

test('a HelmRelease with a wrong field type fails, naming the field', () => {
  const hr: any = helmRelease();
  hr.spec.chart.spec.chart = 42;
  const errors = validateManifest(hr);
  assert.ok(includesAll(errors, 'spec.chart.spec.chart', 'must be string'), errors.join('\n'));
});

test('an unknown field and a wrong enum value are reported', () => {
  const hr: any = helmRelease();
  hr.spec.chart.spec.sourceRef.kind = 'HelmRepo';
  hr.spec.intervall = '5m';
  const errors = validateManifest(hr);
  assert.ok(
    includesAll(errors, 'spec.chart.spec.sourceRef.kind', 'must be one of', 'HelmRepository'),
    errors.join('\n'),
  );
  assert.ok(includesAll(errors, 'spec.intervall', 'unknown field'), errors.join('\n'));
});

test('metadata of a custom resource is checked against ObjectMeta', () => {
  const hr: any = helmRelease();
  hr.metadata.labels = { app: 1 };
  const errors = validateManifest(hr);
  assert.ok(includesAll(errors, 'metadata.labels.app', 'must be string'), errors.join('\n'));
});

test('x-kubernetes-preserve-unknown-fields keeps HelmRelease values open', () => {
  const hr: any = helmRelease();
  hr.spec.values = { anything: { goes: [1, 'two'] } };
  assert.equal(validateManifest(hr), []);
});

test('a core Service is valid; int-or-string targetPort accepts a port name', () => {
  assert.equal(validateManifest(service()), []);
  const named: any = service();
  named.spec.ports[0].targetPort = 'http';
  assert.equal(validateManifest(named), []);
});

test('a Service with a string port fails', () => {
  const s: any = service();
  s.spec.ports[0].port = '80';
  const errors = validateManifest(s);
  assert.ok(includesAll(errors, 'spec.ports[0].port', 'must be integer'), errors.join('\n'));
});

test('a Service targetPort of the wrong shape fails', () => {
  const s: any = service();
  s.spec.ports[0].targetPort = { port: 9000 };
  const errors = validateManifest(s);
  assert.ok(includesAll(errors, 'spec.ports[0].targetPort', 'must be string or integer'), errors.join('\n'));
});

test('core Namespace, ConfigMap and Secret are found; Secret data must be base64', () => {
  assert.equal(validateManifest({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'minio-tenant' } }), []);
  assert.equal(
    validateManifest({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c' },
      data: { 'users.yaml': 'users: []\n' },
    }),
    [],
  );
  assert.equal(
    validateManifest({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { k: 'aGVsbG8=' } }),
    [],
  );
  const errors = validateManifest({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 's' },
    data: { k: 'not base64!' },
  });
  assert.ok(includesAll(errors, 'data.k', 'byte'), errors.join('\n'));
});

test('cert-manager, External Secrets and Argo CD kinds are found', () => {
  assert.equal(
    validateManifest({
      apiVersion: 'cert-manager.io/v1',
      kind: 'Issuer',
      metadata: { name: 'ss', namespace: 'kube-system' },
      spec: { selfSigned: {} },
    }),
    [],
  );
  assert.equal(
    validateManifest({
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: 'ca', namespace: 'kube-system' },
      spec: { isCA: true, commonName: 'ca', secretName: 'ca', issuerRef: { name: 'ss', kind: 'Issuer' } },
    }),
    [],
  );
  assert.equal(
    validateManifest({
      apiVersion: 'external-secrets.io/v1alpha1',
      kind: 'PushSecret',
      metadata: { name: 'p', namespace: 'kube-system' },
      spec: {
        secretStoreRefs: [{ name: 'vault', kind: 'ClusterSecretStore' }],
        selector: { secret: { name: 'clustermesh-apiserver-remote-cert' } },
        data: [{ match: { remoteRef: { remoteKey: 'clusters/airflow/tls/production-1/infrastructure/clustermesh' } } }],
      },
    }),
    [],
  );
  assert.equal(
    validateManifest({ apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'p' }, spec: {} }),
    [],
  );
});

test('an unserved CRD version is an error; an unknown apiVersion or kind throws', () => {
  const errors = validateManifest({
    apiVersion: 'external-secrets.io/v1beta1',
    kind: 'ExternalSecret',
    metadata: { name: 'x' },
    spec: {},
  });
  assert.ok(includesAll(errors, 'not served'), errors.join('\n'));
  assert.throws(
    () => validateManifest({ apiVersion: 'helm.toolkit.fluxcd.io/v9', kind: 'HelmRelease', metadata: { name: 'x' } }),
    /unknown apiVersion/,
  );
  assert.throws(
    () => validateManifest({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'x' } }),
    /no schema/,
  );
  assert.throws(() => validateManifest({ kind: 'Service' }), /apiVersion/);
});

test('MinIO Tenant is validated from ../shared when available, and throws otherwise', () => {
  const tenant = {
    apiVersion: 'minio.min.io/v2',
    kind: 'Tenant',
    metadata: { name: 's3', namespace: 'minio-tenant' },
    spec: {
      pools: [
        {
          name: 'pool-0',
          servers: 4,
          volumesPerServer: 4,
          volumeClaimTemplate: {
            metadata: { name: 'data' },
            spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Ti' } } },
          },
        },
      ],
      configuration: { name: 's3-env' },
    },
  };
  if (!minioCrdAvailable) {
    assert.throws(() => validateManifest(tenant), /minioCrdAvailable/);
    return;
  }
  assert.equal(validateManifest(tenant), []);
  const bad: any = structuredClone(tenant);
  bad.spec.pools[0].servers = 'four';
  assert.ok(includesAll(validateManifest(bad), 'spec.pools[0].servers', 'must be integer'));
});

test('validateManifestsInDir validates multi-document files and skips kustomization.yaml', () => {
  const dir = tempDir('meshfleet-upstream-');
  try {
    mkdirSync(join(dir, 'infra'));
    writeFileSync(
      join(dir, 'kustomization.yaml'),
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [infra]\n',
    );
    writeFileSync(
      join(dir, 'infra', 'all.yaml'),
      '---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports:\n  - port: "80"\n',
    );
    writeFileSync(join(dir, 'hr.yaml'), JSON.stringify(helmRelease()));
    const result = validateManifestsInDir(dir);
    assert.equal(
      result.map((r) => r.file),
      ['hr.yaml', 'infra/all.yaml'],
    );
    assert.equal(result[0].errors, []);
    assert.equal(result[1].errors.length, 1, result[1].errors.join('\n'));
    assert.ok(
      includesAll(result[1].errors, 'document 2', 'Service s', 'spec.ports[0].port'),
      result[1].errors.join('\n'),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('ciliumVersions lists the vendored chart versions', () => {
  assert.equal([...ciliumVersions], ['1.18.12', '1.19.6', '1.20.0']);
});

test('validateCiliumValues accepts good values and points at a wrong type', () => {
  for (const v of ciliumVersions) {
    assert.equal(validateCiliumValues(v, { cluster: { name: 'a', id: 1 } }), [], v);
    const errors = validateCiliumValues(v, { cluster: { id: 'x' } });
    assert.equal(errors.length, 1, JSON.stringify(errors));
    assert.equal(errors[0].path, ['cluster', 'id']);
    assert.equal(errors[0].message, 'must be integer');
  }
  assert.throws(() => validateCiliumValues('0.0.1', {}), /no values schema/);
});

test('ciliumValuesKeysUnknown finds misspelt keys, not real ones or keys under open maps', () => {
  for (const v of ciliumVersions) {
    const unknown = ciliumValuesKeysUnknown(v, {
      cluster: { name: 'a', id: 1 },
      clustermesh: {
        useApiServer: true,
        useAPIServer: true,
        maxConnectedClusters: 255,
        config: { enabled: true, clusters: [{ name: 'b', address: 'b.example', port: 2379 }] },
        apiserver: {
          service: {
            type: 'LoadBalancer',
            annotations: { 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal' },
          },
          // 1.20 moved tls.server.extraDnsNames to tls.auto.server.extraDnsNames (see the next test).
          tls:
            v === '1.20.0'
              ? {
                  auto: {
                    enabled: true,
                    method: 'certmanager',
                    certManagerIssuerRef: { group: 'cert-manager.io', kind: 'Issuer', name: 'ca' },
                    server: { extraDnsNames: ['a.example'] },
                  },
                }
              : {
                  server: { extraDnsNames: ['a.example'] },
                  auto: {
                    enabled: true,
                    method: 'certmanager',
                    certManagerIssuerRef: { group: 'cert-manager.io', kind: 'Issuer', name: 'ca' },
                  },
                },
          kvstoremesh: { enabled: true },
        },
      },
      nodeSelector: { 'kubernetes.io/arch': 'amd64' },
    });
    assert.equal(unknown, ['clustermesh.useApiServer'], v);
  }
});

test('Cilium 1.20 no longer has clustermesh.apiserver.tls.server (moved under tls.auto.server)', () => {
  const values = { clustermesh: { apiserver: { tls: { server: { extraDnsNames: ['a.example'] } } } } };
  assert.equal(ciliumValuesKeysUnknown('1.19.6', values), []);
  assert.equal(ciliumValuesKeysUnknown('1.20.0', values), ['clustermesh.apiserver.tls.server']);
  assert.equal(
    ciliumValuesKeysUnknown('1.20.0', {
      clustermesh: { apiserver: { tls: { auto: { server: { extraDnsNames: ['a.example'] } } } } },
    }),
    [],
  );
});

test('ciliumValuesKeysUnknown treats empty upstream maps as open and throws for an unknown version', () => {
  assert.equal(
    ciliumValuesKeysUnknown('1.19.6', {
      clustermesh: { apiserver: { tls: { auto: { certManagerIssuerRef: { anything: 'x' } } } } },
    }),
    [],
  );
  assert.equal(ciliumValuesKeysUnknown('1.19.6', { clusterr: { name: 'a' }, cluster: { nmae: 'a' } }), [
    'clusterr',
    'cluster.nmae',
  ]);
  assert.throws(() => ciliumValuesKeysUnknown('0.0.1', {}), /no Cilium values/);
});

test.run();
