import { dnsNameProblem } from '../validate/dns-name.ts';
import { isInZone, normalizeName, normalizeZoneId } from './names.ts';
import { FORBIDDEN_OWNER_CHARS } from './ownership.ts';
import type { DnsEndpoint, DnsSpec } from './types.ts';

/**
 * Problems with the spec itself, one message each (empty when fine). A name is held to the same rule `validate`
 * holds a rendered mesh endpoint to (src/validate/dns-name.ts), so a fleet that validates is one `dns` accepts.
 */
export function validateSpec(spec: DnsSpec): string[] {
  const problems: string[] = [];
  if (!spec.fleet) problems.push('the fleet has no name');
  else if (FORBIDDEN_OWNER_CHARS.test(spec.fleet)) {
    problems.push(`fleet name '${spec.fleet}' may not contain quotes, commas, '=', backslashes or spaces`);
  }
  if (!normalizeZoneId(spec.hostedZoneId ?? '')) problems.push('dns.hostedZoneId is empty');
  if (!spec.zone) problems.push('dns zone is empty');
  const byName = new Map<string, string>();
  for (const ep of spec.endpoints) {
    problems.push(...endpointProblems(spec, ep));
    const name = normalizeName(ep.fqdn);
    const other = byName.get(name);
    if (other !== undefined) problems.push(`clusters ${other} and ${ep.cluster} both use the DNS name ${name}`);
    else byName.set(name, ep.cluster);
  }
  return problems;
}

function endpointProblems(spec: DnsSpec, ep: DnsEndpoint): string[] {
  const problems: string[] = [];
  if (FORBIDDEN_OWNER_CHARS.test(ep.cluster))
    problems.push(`cluster name '${ep.cluster}' is not usable in an ownership record`);
  const invalid = dnsNameProblem(ep.fqdn);
  if (invalid !== undefined) {
    problems.push(`cluster ${ep.cluster}: '${ep.fqdn}' is not a valid DNS name: ${invalid}`);
  } else if (spec.zone && !isInZone(ep.fqdn, spec.zone)) {
    problems.push(`cluster ${ep.cluster}: '${ep.fqdn}' is not inside the zone '${normalizeName(spec.zone)}'`);
  }
  if (ep.target && (!ep.target.dnsName || !ep.target.hostedZoneId)) {
    problems.push(`cluster ${ep.cluster}: dns.target needs both dnsName and hostedZoneId`);
  }
  return problems;
}
