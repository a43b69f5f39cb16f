/**
 * With `--dns`: what the fleet's mesh endpoint names alias in Route 53, read the way `meshfleet dns plan` reads the
 * zone (src/dns/zone.ts), so that status can tell whether each name points at its cluster's load balancer.
 */
import { Route53Client } from '@aws-sdk/client-route-53';
import { formatAwsError } from '../dns/retry.ts';
import { normalizeAliasDnsName, normalizeName } from '../dns/names.ts';
import { readZone } from '../dns/zone.ts';

/** Endpoint name (normalized) → the alias targets of its A/AAAA records (normalized); or why the zone was not read. */
export type EndpointRecords = { readonly aliases: ReadonlyMap<string, readonly string[]> } | { readonly error: string };

export interface DnsLookupOptions {
  readonly hostedZoneId: string;
  readonly endpoint?: string;
  readonly region?: string;
}

export async function readEndpointRecords(o: DnsLookupOptions): Promise<EndpointRecords> {
  const route53 = new Route53Client({ maxAttempts: 1, ...(o.region ? { region: o.region } : {}), ...(o.endpoint ? { endpoint: o.endpoint } : {}) });
  try {
    const aliases = new Map<string, string[]>();
    for (const r of await readZone(route53, o.hostedZoneId)) {
      if ((r.Type !== 'A' && r.Type !== 'AAAA') || !r.AliasTarget) continue;
      const name = normalizeName(r.Name);
      const target = normalizeAliasDnsName(r.AliasTarget.DNSName);
      const list = aliases.get(name) ?? [];
      if (!list.includes(target)) list.push(target);
      aliases.set(name, list);
    }
    return { aliases };
  } catch (e) {
    return { error: `Route 53 zone ${o.hostedZoneId}: ${formatAwsError(e)}` };
  } finally {
    route53.destroy();
  }
}

/** The endpoint column's verdict on one name, given the load balancer's address. */
export function compareEndpoint(records: EndpointRecords, fqdn: string, address: string): { ok: boolean; detail: string } {
  if ('error' in records) return { ok: false, detail: records.error };
  const targets = records.aliases.get(normalizeName(fqdn)) ?? [];
  if (targets.length === 0) return { ok: false, detail: `${fqdn} has no alias record in the zone (meshfleet dns apply writes it)` };
  const lb = normalizeAliasDnsName(address);
  if (!targets.includes(lb)) return { ok: false, detail: `${fqdn} aliases ${targets.join(', ')}, not the load balancer ${address}` };
  return { ok: true, detail: `${fqdn} aliases the load balancer ${address}` };
}
