import { formatPath, type FieldPath, type Problem } from '../diagnostics.ts';
import { DEFAULTS } from '../model/fleet.ts';
import { inspectTemplate, renderTemplate, type TemplateContext, type TemplateVariable } from '../model/template.ts';
import { dnsNameProblem } from './dns-name.ts';
import { int, obj, str, type Raw } from './raw.ts';

/** A template as one cluster uses it: the field it is written in, its text and its variables (undefined: unusable). */
interface UsedTemplate {
  readonly field: string;
  readonly source: string;
  readonly vars: readonly TemplateVariable[] | undefined;
}

type Inspect = (path: FieldPath, source: string) => readonly TemplateVariable[] | undefined;

/**
 * Every template is checked where it is written; every cluster's names are rendered to find gaps and clashes: a
 * template variable the cluster lacks, a mesh endpoint that is not a DNS name, two clusters with one endpoint.
 */
export function checkTemplatesAndEndpoints(root: Raw, clusters: Raw[], problems: Problem[]): void {
  const inspect = inspector(problems);
  const fleet = fleetTemplates(root).map((t) => ({
    field: formatPath(t.path),
    source: t.source,
    vars: inspect(t.path, t.source),
  }));
  // The shared CA path is only rendered, and so only needs its variables, in shared-CA mode.
  const sharedCa = (str(obj(root.tls).mode) ?? DEFAULTS.tlsMode) === 'shared-ca';
  const others = fleet.slice(1).filter((t) => sharedCa || t.field !== 'vault.sharedCaPath');
  const endpoints = new Map<string, number>();
  clusters.forEach((c, i) => {
    const own = str(obj(c.dns).endpoint);
    const ownPath = ['clusters', i, 'dns', 'endpoint'];
    const endpoint: UsedTemplate =
      own !== undefined ? { field: formatPath(ownPath), source: own, vars: inspect(ownPath, own) } : fleet[0]!;
    const context = templateContext(root, c);
    if (!hasEveryVariable([endpoint, ...others], context, i, problems) || !endpoint.vars) return;
    const name = renderTemplate(endpoint.source, context);
    const at = { index: i, path: own !== undefined ? ownPath : ['clusters', i], field: endpoint.field };
    checkEndpointName(name, at, endpoints, problems);
  });
}

/** The fleet-wide templates, the mesh endpoint first, with their defaults where fleet.yaml does not set them. */
function fleetTemplates(root: Raw): { path: FieldPath; source: string }[] {
  const vault = obj(root.vault);
  const auth = obj(vault.auth);
  return [
    { path: ['dns', 'endpoint'], source: str(obj(root.dns).endpoint) ?? DEFAULTS.endpointTemplate },
    { path: ['vault', 'path'], source: str(vault.path) ?? DEFAULTS.vaultPathTemplate },
    { path: ['vault', 'sharedCaPath'], source: str(vault.sharedCaPath) ?? DEFAULTS.sharedCaPathTemplate },
    { path: ['vault', 'auth', 'mountPath'], source: str(auth.mountPath) ?? DEFAULTS.authMountPathTemplate },
    { path: ['vault', 'auth', 'role'], source: str(auth.role) ?? DEFAULTS.authRoleTemplate },
  ];
}

/** A template's variables, or a problem at the field it is written in when it does not parse. */
function inspector(problems: Problem[]): Inspect {
  return (path, source) => {
    const result = inspectTemplate(source);
    if ('error' in result) {
      problems.push({ path, message: `${formatPath(path)} template ${JSON.stringify(source)} ${result.error}` });
      return undefined;
    }
    return result.variables;
  };
}

/** The template variables of a cluster of a raw (not yet validated) fleet. */
export function templateContext(root: Raw, c: Raw): TemplateContext {
  return {
    cluster: str(c.name),
    id: int(c.id),
    role: str(c.role),
    application: str(c.application),
    environment: str(c.environment),
    zone: str(obj(root.dns).zone),
    fleet: str(root.fleet),
  };
}

/** True when every template parses and the cluster has every variable they use; a problem for each it lacks. */
function hasEveryVariable(
  used: readonly UsedTemplate[],
  context: TemplateContext,
  i: number,
  problems: Problem[],
): boolean {
  let complete = true;
  for (const t of used) {
    if (!t.vars) {
      complete = false;
      continue;
    }
    if (t.vars.some((v) => context[v] === undefined)) complete = false;
    // A missing zone or fleet name is the schema's to report, once, not once per cluster.
    const missing = t.vars.filter((v) => context[v] === undefined && v !== 'zone' && v !== 'fleet');
    if (missing.length === 0) continue;
    problems.push({
      path: ['clusters', i],
      missing: missing.map((v) => ['clusters', i, v === 'cluster' ? 'name' : v]),
      message:
        `clusters[${i}] has no ${missing.join(' or ')}, which ${t.field} ${JSON.stringify(t.source)} uses; ` +
        'add it to the cluster or change the template',
    });
  }
  return complete;
}

/** The rendered endpoint must be a DNS name (the rule `meshfleet dns` applies too) and no other cluster's. */
function checkEndpointName(
  name: string,
  at: { index: number; path: FieldPath; field: string },
  endpoints: Map<string, number>,
  problems: Problem[],
): void {
  const cluster = formatPath(['clusters', at.index]);
  const invalid = dnsNameProblem(name);
  if (invalid !== undefined) {
    problems.push({
      path: at.path,
      message: `${cluster} mesh endpoint "${name}" (from ${at.field}) is not a valid DNS name: ${invalid}`,
    });
    return;
  }
  const seen = endpoints.get(name);
  if (seen !== undefined) {
    problems.push({
      path: at.path,
      message: `${cluster} mesh endpoint "${name}" is already the endpoint of clusters[${seen}]; each cluster needs its own DNS name`,
    });
  } else endpoints.set(name, at.index);
}
