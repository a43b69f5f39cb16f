import { UserError } from '../../diagnostics.ts';
import { dnsCommand, type DnsSpec, type DnsSubcommand } from '../../dns/index.ts';
import { planFleet } from '../../plan/plan.ts';
import type { Io } from '../io.ts';
import { readValidFleet } from '../read-fleet.ts';

export interface DnsArgs {
  readonly sub: DnsSubcommand;
  readonly file: string;
  readonly endpoint?: string;
  readonly region?: string;
  readonly json: boolean;
  readonly detailedExitcode: boolean;
  /** The whole command gives up after this long. */
  readonly timeoutMs: number;
}

/** `meshfleet dns plan|apply`: the fleet's mesh endpoint names, minus those ExternalDNS keeps in-cluster. */
export async function dnsCliCommand(io: Io, args: DnsArgs): Promise<number> {
  const read = readValidFleet(io, args.file);
  if (!read) return 1;
  const { file, fleet } = read;
  const { dns } = planFleet(fleet);
  if (!dns.hostedZoneId)
    throw new UserError(
      `${file}: dns.hostedZoneId is not set; \`meshfleet dns\` needs the id of the private hosted zone`,
    );
  const spec: DnsSpec = {
    fleet: fleet.name,
    hostedZoneId: dns.hostedZoneId,
    zone: dns.zone,
    ipFamily: dns.ipFamily,
    endpoints: dns.endpoints
      .filter((e) => !e.externalDns)
      .map((e) => ({ cluster: e.cluster, fqdn: e.fqdn, target: e.target })),
  };
  return dnsCommand(args.sub, spec, {
    endpoint: args.endpoint,
    region: args.region ?? io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION,
    json: args.json,
    detailedExitcode: args.detailedExitcode,
    timeoutMs: args.timeoutMs,
    out: io.out,
    err: io.err,
  });
}
