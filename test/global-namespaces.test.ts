// Cilium 1.20 with clustermesh.defaultGlobalNamespace false: cross-cluster traffic needs BOTH the source and the
// destination namespace global (the chart's values.yaml), so the clients' namespaces on a consuming cluster are
// annotated too, and validate warns about a consumed service whose clients it does not know (defect 8).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { run, workspace } from './support/cli.ts';
import { objects, REGIONAL, render, type Manifest } from './support/regional-fleet.ts';
import { validateManifest } from './support/upstream.ts';

const LOCAL_BY_DEFAULT =
  'cilium:\n  version: 1.20.0\n  values:\n    clustermesh:\n      defaultGlobalNamespace: false\ndns:\n';
// The metastore's clients run in namespace trino; s3-internal's in spark (on every cluster that consumes it).
const WITH_CLIENTS = REGIONAL.replace('dns:\n', LOCAL_BY_DEFAULT).replace(
  '    affinity: local\n',
  '    affinity: local\n    clientNamespaces: [trino]\n' +
    '  - name: s3-internal\n    namespace: minio-tenant\n    ports: [{name: http-minio, port: 80, targetPort: 9000}]\n' +
    '    selector: {v1.min.io/tenant: minio}\n    clientNamespaces: [spark]\n',
);

const namespace = (fleet: ReturnType<typeof render>, cluster: string, name: string) =>
  objects(fleet.clusters.get(cluster)!, 'config').get(`namespace-${name}.yaml`) as Manifest | undefined;

test("the namespaces of a service's clients are annotated global on the clusters that consume it, and never pruned", () => {
  const fleet = render(WITH_CLIENTS);
  const trino = namespace(fleet, 'trino-us', 'trino')!;
  assert.equal(trino.metadata.annotations, {
    'argocd.argoproj.io/sync-options': 'Prune=false',
    'clustermesh.cilium.io/global': 'true',
    'kustomize.toolkit.fluxcd.io/prune': 'disabled',
  });
  assert.equal(validateManifest(trino), []);
  for (const cluster of ['spark-eu', 'trino-us'])
    assert.is(namespace(fleet, cluster, 'spark')?.metadata.annotations?.['clustermesh.cilium.io/global'], 'true');
  // The destination's namespace, as before, and no client namespace where the service is served, not consumed.
  assert.is(namespace(fleet, 'trino-us', 'hive')?.metadata.annotations?.['clustermesh.cilium.io/global'], 'true');
  assert.is(namespace(fleet, 'spark-eu', 'trino'), undefined);
  assert.is(namespace(fleet, 'minio-eu', 'spark'), undefined);
});

test('where namespaces are global by default, client namespaces are not rendered', () => {
  const fleet = render(
    WITH_CLIENTS.replace('      defaultGlobalNamespace: false\n', '      defaultGlobalNamespace: true\n'),
  );
  assert.is(namespace(fleet, 'trino-us', 'trino'), undefined);
  const v119 = render(
    WITH_CLIENTS.replace('version: 1.20.0', 'version: 1.19.6').replace(
      '  values:\n    clustermesh:\n      defaultGlobalNamespace: false\n',
      '',
    ),
  );
  assert.is(namespace(v119, 'trino-us', 'trino'), undefined);
});

test('a consumed service without clientNamespaces on such a fleet is a warning at the service; --strict refuses it', async () => {
  const text = REGIONAL.replace('dns:\n', LOCAL_BY_DEFAULT);
  const result = await run(workspace(text), 'validate');
  assert.is(result.code, 0, result.err.join('\n'));
  assert.equal(result.err, [
    'fleet.yaml:6:31: warning: cilium.values.clustermesh.defaultGlobalNamespace: the default service "s3-internal" is consumed by spark-eu, trino-us, where on Cilium 1.20 with clustermesh.defaultGlobalNamespace false a client\'s namespace must be global too ("BOTH the source and destination namespaces must be global"); declare s3-internal under services with the namespaces of the pods that use it in clientNamespaces',
    'fleet.yaml:12:5: warning: services[0] "metastore" is consumed by trino-us, where on Cilium 1.20 with clustermesh.defaultGlobalNamespace false a client\'s namespace must be global too ("BOTH the source and destination namespaces must be global"); list the namespaces of the pods that use it in services[0].clientNamespaces',
    '2 warnings in fleet.yaml',
  ]);
  assert.is((await run(workspace(text), 'validate', '--strict')).code, 1);
  const listed = await run(workspace(WITH_CLIENTS), 'validate', '--strict');
  assert.is(listed.code, 0, listed.err.join('\n'));
});

test.run();
