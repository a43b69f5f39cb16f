// A model of a fresh fleet coming up under Flux or Argo CD, to find what waits on something applied later.
//
// What it models, and from where:
// - Flux (fluxcd.io/flux/components/kustomize/kustomizations): a Kustomization applies once every `dependsOn` is
//   Ready; its server-side dry run fails as a whole while a custom resource's CRD is missing; with `wait: true` it is
//   Ready only once every object it applied is. A HelmRelease installs once its `dependsOn` releases are Ready;
//   Helm creates the chart's objects (failing while a custom resource's CRD is missing) and, unless `disableWait`,
//   the release is Ready only once they all are (helm-controller waits with kstatus on every object).
// - Argo CD (argo-cd.readthedocs.io user-guide/sync-waves): the Applications of a cluster's entry sync wave by wave,
//   the next wave once every resource of the waves before is Healthy (Applications count as resources once the
//   Application health check is on, which app-of-apps waves need); an Application's sync dry-runs all its resources
//   unless `SkipDryRunOnMissingResource=true`, then applies each as it can, retrying. It is Healthy once all are.
// - What objects need (cert-manager, External Secrets, Kubernetes): a custom resource needs its CRD (and the
//   controller's webhook) to be applied; an Issuer on a CA Secret needs that Secret; a Certificate needs its Issuer
//   Ready and then makes its Secret; a store needs its controller; an ExternalSecret needs its store and every
//   Vault key it reads, then makes its Secret; a PushSecret needs its store and its source Secret, then writes its
//   Vault keys (which peers' ExternalSecrets read: the model runs the whole fleet at once); a Pod template needs
//   every Secret and ConfigMap it mounts or reads without `optional: true`. The Cilium chart's objects are read from
//   `helm template` of its pinned chart with the rendered values; the other charts are controllers whose CRDs this
//   model knows by chart name (CONTROLLERS), whose pods are assumed to start (Flux or Argo CD runs already, and with
//   `cni: aws-cni` pods have networking before Cilium).
// - Files: a kustomization's resource file may hold several objects, one per `---` document
//   (kubectl.docs.kubernetes.io references/kustomize/kustomization/resource), each built as an object of its own: the
//   walk reads objects, whichever file holds them (a cluster's per-peer ExternalSecrets share one).
// What nothing supplies (not in the output, not made by any object) is not an ordering fault: it is listed as
// missing and assumed present, so that the walk still judges the order of the rest.
import type { Obj } from './output.ts';

/** The CRDs and webhooks a controller chart brings, by chart name. */
const CONTROLLERS: Record<string, { readonly crds: readonly string[]; readonly webhook?: string }> = {
  'cert-manager': {
    crds: [
      'cert-manager.io/Issuer',
      'cert-manager.io/ClusterIssuer',
      'cert-manager.io/Certificate',
      'cert-manager.io/CertificateRequest',
    ],
    webhook: 'cert-manager.io',
  },
  'external-secrets': {
    crds: [
      'external-secrets.io/ExternalSecret',
      'external-secrets.io/ClusterSecretStore',
      'external-secrets.io/SecretStore',
      'external-secrets.io/PushSecret',
    ],
    webhook: 'external-secrets.io',
  },
  operator: { crds: ['minio.min.io/Tenant'] },
};

/** API groups the API server serves without a CRD. */
const BUILTIN_GROUP =
  /^(apps|batch|policy|autoscaling|rbac\.authorization\.k8s\.io|networking\.k8s\.io|storage\.k8s\.io|scheduling\.k8s\.io|coordination\.k8s\.io|discovery\.k8s\.io|admissionregistration\.k8s\.io|apiextensions\.k8s\.io|apiregistration\.k8s\.io|certificates\.k8s\.io)$/;

const WORKLOADS = new Set(['Deployment', 'DaemonSet', 'StatefulSet', 'Job', 'Pod']);

/** One cluster's rendered output, as the engine reads it. */
export interface ClusterInput {
  readonly name: string;
  /** The objects of clusters/<cluster>/: Flux Kustomizations or Argo CD Applications. */
  readonly entry: readonly Obj[];
  /** The objects of a Git folder by its path in the repository (`dist/<cluster>/<layer>`). */
  readonly folder: (path: string) => readonly Obj[];
  /** The objects a Helm chart renders with the given values, or undefined for a controller chart (CONTROLLERS). */
  readonly chart: (
    chart: string,
    version: string,
    values: Record<string, unknown>,
    namespace: string,
  ) => readonly Obj[] | undefined;
}

export interface Walk {
  /** Objects that never become ready because what they wait on is applied by a step that waits on them. */
  readonly deadlocks: readonly string[];
  /** What objects need that nothing in the output supplies (assumed present for the walk). */
  readonly missing: readonly string[];
  /** The order in which steps were applied, for messages. */
  readonly steps: readonly string[];
}

/** An object of the cluster with what it needs to be applied and to be ready, and what it makes once ready. */
interface Node {
  readonly id: string;
  readonly obj: Obj;
  /** The step that applies it, as the engine names it. */
  readonly step: string;
  readonly applyNeeds: string[];
  readonly readyNeeds: string[];
  readonly makes: string[];
  applied: boolean;
  ready: boolean;
}

/** How a step applies its objects and when it counts as done. */
interface Step {
  readonly name: string;
  readonly cluster: string;
  /** Facts (`ready:<step>`) that must hold before it applies. */
  readonly after: () => readonly string[];
  readonly nodes: Node[];
  /** All objects or none (a dry run that fails as a whole), else each as soon as it can. */
  readonly atomic: boolean;
  /** Whether the step is done only once every object is ready. */
  readonly wait: boolean;
  applied: boolean;
}

const keyOf = (cluster: string, kind: string, ns: string | undefined, name: string) =>
  `${cluster}/${kind}/${ns ?? ''}/${name}`;

/** Where Flux or Argo CD already runs, their own CRDs are there. */
const ENGINE_GROUP = /^(source|kustomize|helm|notification|image)\.toolkit\.fluxcd\.io$|^argoproj\.io$/;

/** Walks every cluster's apply order together (peers exchange through Vault) to a fixpoint. */
export function walkFleet(clusters: readonly ClusterInput[], engine: 'flux' | 'argocd'): Walk {
  const steps: Step[] = [];
  for (const c of clusters) steps.push(...(engine === 'flux' ? fluxSteps(c) : argoSteps(c)));
  const nodes = steps.flatMap((s) => s.nodes);
  const facts = new Set<string>();
  const made = new Set(nodes.flatMap((n) => n.makes));
  const needed = new Set(nodes.flatMap((n) => [...n.applyNeeds, ...n.readyNeeds]));
  // Vault keys nobody pushes are written by people (the shared CA, MinIO's root credentials): present from the start.
  const missing = [...needed].filter((f) => !made.has(f) && !f.startsWith('ready:') && !f.startsWith('vault:')).sort();
  for (const f of needed) if (!made.has(f) && !f.startsWith('ready:')) facts.add(f);
  const order: string[] = [];
  const holds = (list: readonly string[]) => list.every((f) => facts.has(f));
  for (let changed = true; changed;) {
    changed = false;
    for (const s of steps) {
      if (!holds(s.after())) continue;
      const pending = s.nodes.filter((n) => !n.applied);
      const ready = pending.filter((n) => holds(n.applyNeeds));
      if (pending.length > 0 && ready.length > 0 && (!s.atomic || ready.length === pending.length)) {
        for (const n of ready) {
          n.applied = true;
          facts.add(`applied:${n.id}`);
        }
        changed = true;
      }
      if (!s.applied && (pending.length === 0 || ready.length > 0) && (!s.atomic || ready.length === pending.length)) {
        s.applied = true;
        order.push(s.name);
        changed = true;
      }
      for (const n of s.nodes) {
        if (n.applied && !n.ready && holds(n.readyNeeds)) {
          n.ready = true;
          for (const f of n.makes) facts.add(f);
          changed = true;
        }
      }
      const done = `ready:${s.cluster}/${s.name}`;
      if (s.applied && !facts.has(done) && (!s.wait || s.nodes.every((n) => n.ready))) {
        facts.add(done);
        changed = true;
      }
    }
  }
  const stepOf = new Map<string, Step>();
  for (const s of steps) for (const n of s.nodes) for (const f of n.makes) stepOf.set(f, s);
  const deadlocks = nodes
    .filter((n) => !n.ready)
    .map((n) => {
      const need = [...n.applyNeeds, ...n.readyNeeds].find((f) => !facts.has(f));
      const own = steps.find((s) => s.nodes.includes(n))!;
      if (!n.applied && !need)
        return `${n.id} (${n.step}) is never applied: ${own
          .after()
          .filter((f) => !facts.has(f))
          .join(', ')} never holds`;
      const by = need ? stepOf.get(need) : undefined;
      return `${n.id} (${n.step}) waits on ${need}${by ? `, made in ${by.cluster}/${by.name}, which ${by.applied ? 'never gets there' : 'is never applied'}` : ''}`;
    });
  return { deadlocks, missing, steps: order };
}

/** Flux: one step per Kustomization of the entry, and one per HelmRelease in it (Helm's install of its chart). */
function fluxSteps(c: ClusterInput): Step[] {
  const steps: Step[] = [];
  for (const k of c.entry.filter((o) => o.kind === 'Kustomization')) {
    const path = String(k.spec.path).replace(/^\.\//, '');
    const objects = c.folder(path);
    const nodes = objects.map((o) => node(c.name, o, k.metadata.name));
    const step: Step = {
      name: k.metadata.name,
      cluster: c.name,
      nodes,
      atomic: true,
      wait: k.spec.wait === true,
      applied: false,
      after: () => (k.spec.dependsOn ?? []).map((d: { name: string }) => `ready:${c.name}/${d.name}`),
    };
    steps.push(step);
    for (const hr of objects.filter((o) => o.kind === 'HelmRelease')) {
      const release = `helmrelease/${hr.metadata.name}`;
      const ns = hr.spec.targetNamespace ?? hr.metadata.namespace;
      const chart = chartNodes(
        c,
        hr.spec.chart.spec.chart,
        hr.spec.chart.spec.version,
        hr.spec.values ?? {},
        ns,
        release,
      );
      const noWait = hr.spec.install?.disableWait === true;
      // The HelmRelease object is ready once its release is: installed, and (unless disableWait) every object ready.
      const hrNode = nodes.find((n) => n.obj === hr)!;
      hrNode.readyNeeds.push(`ready:${c.name}/${release}`);
      hrNode.makes.push(`release:${c.name}/${hr.metadata.name}`);
      steps.push({
        name: release,
        cluster: c.name,
        nodes: chart,
        atomic: true,
        wait: !noWait,
        applied: false,
        after: () => [
          `applied:${hrNode.id}`,
          ...(hr.spec.dependsOn ?? []).map((d: { name: string }) => `release:${c.name}/${d.name}`),
        ],
      });
    }
  }
  return steps;
}

/** Argo CD: the entry's Applications by wave; each Application a step applying its chart or its folder. */
function argoSteps(c: ClusterInput): Step[] {
  const apps = c.entry.filter((o) => o.kind === 'Application');
  const wave = (o: Obj) => Number(o.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0);
  return apps.map((app) => {
    const src = app.spec.source;
    const ns = app.spec.destination.namespace;
    const objects = src.chart
      ? chartNodes(c, src.chart, src.targetRevision, src.helm?.valuesObject ?? {}, ns, app.metadata.name)
      : c.folder(String(src.path)).map((o) => node(c.name, o, app.metadata.name));
    const options: string[] = app.spec.syncPolicy?.syncOptions ?? [];
    return {
      name: app.metadata.name,
      cluster: c.name,
      nodes: objects,
      wait: true,
      applied: false,
      atomic: !options.includes('SkipDryRunOnMissingResource=true'),
      after: () => apps.filter((a) => wave(a) < wave(app)).map((a) => `ready:${c.name}/${a.metadata.name}`),
    };
  });
}

/** The objects a chart installs: the Cilium chart's from `helm template`, a controller's CRDs as one object. */
function chartNodes(
  c: ClusterInput,
  chart: string,
  version: string,
  values: Record<string, unknown>,
  namespace: string,
  step: string,
): Node[] {
  const rendered = c.chart(chart, version, values, namespace);
  if (rendered)
    return rendered.map((o) =>
      node(
        c.name,
        { ...o, metadata: { ...o.metadata, namespace: o.metadata?.namespace ?? namespaceFor(o, namespace) } },
        step,
      ),
    );
  const controller = CONTROLLERS[chart];
  if (!controller) throw new Error(`the convergence model does not know chart ${chart}: add it to CONTROLLERS`);
  const id = keyOf(c.name, 'Controller', namespace, chart);
  return [
    {
      id,
      obj: { kind: 'Controller' },
      step,
      applyNeeds: [],
      readyNeeds: [],
      applied: false,
      ready: false,
      makes: [
        ...controller.crds.map((k) => `crd:${c.name}/${k}`),
        ...(controller.webhook ? [`webhook:${c.name}/${controller.webhook}`] : []),
      ],
    },
  ];
}

const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'ClusterIssuer',
  'ClusterSecretStore',
]);
const namespaceFor = (o: Obj, ns: string) => (CLUSTER_SCOPED.has(o.kind) ? undefined : ns);

/** What an object needs to be applied and to be ready, and what it makes, by its kind. */
function node(cluster: string, o: Obj, step: string): Node {
  const ns: string | undefined = o.metadata?.namespace;
  const id = keyOf(cluster, o.kind, ns, o.metadata.name);
  const k = (kind: string, name: string, namespace: string | null = ns ?? null) =>
    `${kind}:${keyOf(cluster, '', namespace ?? undefined, name)}`;
  const applyNeeds: string[] = [];
  const readyNeeds: string[] = [];
  const makes: string[] = [];
  const group = String(o.apiVersion).includes('/') ? String(o.apiVersion).split('/')[0] : '';
  if (group.includes('.') && !BUILTIN_GROUP.test(group) && !ENGINE_GROUP.test(group)) {
    applyNeeds.push(`crd:${cluster}/${group}/${o.kind}`);
    if (CONTROLLERS['cert-manager'].webhook === group || CONTROLLERS['external-secrets'].webhook === group)
      applyNeeds.push(`webhook:${cluster}/${group}`);
  }
  const spec = o.spec ?? {};
  switch (o.kind) {
    case 'Secret':
      makes.push(k('secret', o.metadata.name));
      break;
    case 'ConfigMap':
      makes.push(k('configmap', o.metadata.name));
      break;
    case 'Issuer':
    case 'ClusterIssuer':
      if (spec.ca?.secretName) readyNeeds.push(k('secret', spec.ca.secretName));
      makes.push(k(o.kind.toLowerCase(), o.metadata.name));
      break;
    case 'Certificate': {
      const ref = spec.issuerRef ?? {};
      readyNeeds.push(ref.kind === 'ClusterIssuer' ? k('clusterissuer', ref.name, null) : k('issuer', ref.name));
      makes.push(k('secret', spec.secretName));
      break;
    }
    case 'ClusterSecretStore':
      makes.push(k('store', o.metadata.name, null));
      break;
    case 'ExternalSecret':
      readyNeeds.push(
        k('store', spec.secretStoreRef.name, spec.secretStoreRef.kind === 'ClusterSecretStore' ? null : ns),
      );
      for (const d of spec.data ?? []) readyNeeds.push(`vault:${d.remoteRef.key}`);
      for (const d of spec.dataFrom ?? []) if (d.extract?.key) readyNeeds.push(`vault:${d.extract.key}`);
      makes.push(k('secret', spec.target?.name ?? o.metadata.name));
      break;
    case 'PushSecret':
      for (const ref of spec.secretStoreRefs ?? [])
        readyNeeds.push(k('store', ref.name, ref.kind === 'ClusterSecretStore' ? null : ns));
      readyNeeds.push(k('secret', spec.selector.secret.name));
      for (const d of spec.data ?? []) makes.push(`vault:${d.match.remoteRef.remoteKey}`);
      break;
    case 'Tenant':
      if (spec.configuration?.name) readyNeeds.push(k('secret', spec.configuration.name));
      break;
    default:
      if (WORKLOADS.has(o.kind)) readyNeeds.push(...podNeeds(o, (kind, name) => k(kind, name)));
      // The chart ships no policy CRDs: the Cilium operator registers them when it starts (unless skipCRDCreation).
      if (o.kind === 'Deployment' && o.metadata.name === 'cilium-operator') {
        makes.push(
          ...['CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy'].map(
            (kind) => `crd:${cluster}/cilium.io/${kind}`,
          ),
        );
      }
  }
  return { id, obj: o, step, applyNeeds, readyNeeds, makes, applied: false, ready: false };
}

/** The Secrets and ConfigMaps a workload's pods mount or read without `optional: true`. */
export function podNeeds(o: Obj, k: (kind: 'secret' | 'configmap', name: string) => string): string[] {
  const pod = o.kind === 'Pod' ? o.spec : (o.spec?.template?.spec ?? o.spec?.jobTemplate?.spec?.template?.spec ?? {});
  const needs = new Set<string>();
  const add = (
    kind: 'secret' | 'configmap',
    ref: { name?: string; secretName?: string; optional?: boolean } | undefined,
  ) => {
    const name = ref?.secretName ?? ref?.name;
    if (ref && name && ref.optional !== true) needs.add(k(kind, name));
  };
  for (const v of pod.volumes ?? []) {
    add('secret', v.secret);
    add('configmap', v.configMap);
    for (const s of v.projected?.sources ?? []) {
      add('secret', s.secret);
      add('configmap', s.configMap);
    }
  }
  for (const c of [...(pod.containers ?? []), ...(pod.initContainers ?? [])]) {
    for (const e of c.env ?? []) {
      add('secret', e.valueFrom?.secretKeyRef);
      add('configmap', e.valueFrom?.configMapKeyRef);
    }
    for (const e of c.envFrom ?? []) {
      add('secret', e.secretRef);
      add('configmap', e.configMapRef);
    }
  }
  return [...needs];
}
