/**
 * Types shared by the `meshfleet dns` stages.
 *
 * The core computes a {@link DnsSpec} from fleet.yaml and hands it to {@link dnsCommand}; everything else
 * in this folder works on these shapes. Stage layout:
 *   resolveTargets (fleet.yaml, else ELBv2)  ->  readZone (Route 53)  ->  planChanges (pure)  ->  applyChanges (Route 53)
 */
import type { RetryPolicy } from './retry.ts';

/** One cluster's mesh endpoint: the private name peers dial, and (optionally) where it points. */
export interface DnsEndpoint {
  /** Cilium cluster name, e.g. 'airflow-production-1'. */
  readonly cluster: string;
  /** e.g. 'production-1.airflow.cluster-mesh.sneaksanddata.internal' (no trailing dot). */
  readonly fqdn: string;
  /** From fleet.yaml (`dns.target` under the cluster); wins over the load balancer lookup. */
  readonly target?: { readonly dnsName: string; readonly hostedZoneId: string };
  /**
   * Value of the `elbv2.k8s.aws/cluster` tag to look for, when the EKS cluster name (the AWS Load Balancer
   * Controller's `clusterName`) differs from the Cilium cluster name. Defaults to `cluster`.
   */
  readonly lbClusterTag?: string;
}

export interface DnsSpec {
  /** Fleet name, written into the ownership TXT record. */
  readonly fleet: string;
  /** Private hosted zone id ('Z0123...' or '/hostedzone/Z0123...'). */
  readonly hostedZoneId: string;
  /** Zone apex, e.g. 'cluster-mesh.sneaksanddata.internal'. */
  readonly zone: string;
  /** ipv4 -> A, ipv6 -> AAAA, dual -> both. */
  readonly ipFamily: 'ipv4' | 'ipv6' | 'dual';
  readonly endpoints: readonly DnsEndpoint[];
}

/** Record types meshfleet manages as alias records. */
export type AliasType = 'A' | 'AAAA';

/** Where a cluster's records point: a load balancer's DNS name and canonical hosted zone id. */
export interface ResolvedTarget {
  readonly dnsName: string;
  readonly hostedZoneId: string;
  /** 'fleet' when given in fleet.yaml, 'lookup' when found through ELBv2 tags. */
  readonly source: 'fleet' | 'lookup';
  readonly loadBalancerArn?: string;
  /** ELBv2 IpAddressType of a looked-up load balancer ('ipv4', 'dualstack', ...). */
  readonly ipAddressType?: string;
}

/** Targets by Cilium cluster name. */
export type Targets = ReadonlyMap<string, ResolvedTarget>;

/**
 * A resource record set as Route 53 returns it (structurally compatible with the SDK's ResourceRecordSet,
 * restricted to the fields meshfleet reads). Names carry Route 53's trailing dot.
 */
export interface ZoneRecord {
  readonly Name: string;
  readonly Type: string;
  readonly TTL?: number;
  readonly SetIdentifier?: string;
  readonly ResourceRecords?: readonly { readonly Value: string }[];
  readonly AliasTarget?: {
    readonly HostedZoneId: string;
    readonly DNSName: string;
    readonly EvaluateTargetHealth: boolean;
  };
}

export type ChangeAction = 'create' | 'update' | 'delete' | 'skip';

/** The Route 53 change to send for a planned row (absent for skips). */
export interface Route53Change {
  readonly Action: 'CREATE' | 'UPSERT' | 'DELETE';
  readonly ResourceRecordSet: ZoneRecord;
}

/** One row of a plan. */
export interface Change {
  readonly action: ChangeAction;
  /** Record name, lower case, no trailing dot. */
  readonly name: string;
  readonly type: string;
  /** Alias target DNS name, or the TXT value. */
  readonly target: string;
  /** Why this row is here (always set; for skips it says why meshfleet will not touch the record). */
  readonly reason: string;
  /** Cilium cluster the row belongs to, when known. */
  readonly cluster?: string;
  /**
   * Changes sharing a group (the record name) are sent in the same ChangeBatch, so a record and its
   * ownership TXT change atomically.
   */
  readonly group: string;
  /** 1: creates and upserts; 2: deletions, sent only after every phase-1 batch is INSYNC. */
  readonly phase: 1 | 2;
  readonly request?: Route53Change;
}

export interface PlanSummary {
  readonly create: number;
  readonly update: number;
  readonly delete: number;
  readonly skip: number;
}

/** Route 53 request limits for one ChangeBatch (UPSERT counts twice for records and characters). */
export interface BatchLimits {
  /** Change elements per request (meshfleet's own ceiling, per the issue: 1,000). */
  readonly maxChanges: number;
  /** ResourceRecord elements per request; an UPSERT counts twice. Route 53: 1,000. */
  readonly maxRecords: number;
  /** Characters in all Value elements per request; an UPSERT counts twice. Route 53: 32,000. */
  readonly maxValueChars: number;
}

/** Knobs for tests and unusual environments; the defaults suit real AWS. */
export interface DnsTuning {
  /** Attempts per AWS call, first included (default 8). */
  readonly maxAttempts?: number;
  /** First backoff delay in ms; doubles per attempt, with jitter (default 250). */
  readonly baseDelayMs?: number;
  /** Backoff ceiling in ms (default 20,000). */
  readonly maxDelayMs?: number;
  /** GetChange polling interval in ms (default 5,000). */
  readonly pollIntervalMs?: number;
  /** Give up waiting for INSYNC after this many ms (default 600,000). */
  readonly maxWaitMs?: number;
  /** ChangeBatch limits (default Route 53's). */
  readonly limits?: Partial<BatchLimits>;
  /** MaxItems for ListResourceRecordSets (default 300, Route 53's maximum). */
  readonly listPageSize?: number;
  /** PageSize for DescribeLoadBalancers (default 400, the API's maximum). */
  readonly elbPageSize?: number;
  /** Milliseconds to wait for a connection to AWS (default 5,000). */
  readonly connectTimeoutMs?: number;
  /** Milliseconds a request may go without an answer before it fails and is retried (default 30,000). */
  readonly requestTimeoutMs?: number;
  /** How many read-plan-apply rounds `apply` runs when the zone changes under it (default 3). */
  readonly maxRounds?: number;
}

export interface DnsCommandOptions {
  /** A Route 53 / ELBv2 compatible endpoint (e.g. http://127.0.0.1:4566); both clients use it. */
  readonly endpoint?: string;
  /** AWS region for ELBv2 and for signing; otherwise the standard AWS chain. */
  readonly region?: string;
  readonly json?: boolean;
  readonly detailedExitcode?: boolean;
  /** The whole command gives up after this many milliseconds (default 600,000), wherever it is. */
  readonly timeoutMs?: number;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly tuning?: DnsTuning;
}

/**
 * What every step of one `dns` command shares: the spec, the options, the retry policy (carrying the deadline's
 * signal) and where lines go. Progress and warnings go to stderr: stdout carries only the plan or the result.
 */
export interface DnsRun {
  readonly spec: DnsSpec;
  readonly opts: DnsCommandOptions;
  readonly tuning: DnsTuning;
  readonly retry: RetryPolicy;
  /** Retries, batches sent, waits for INSYNC. */
  readonly progress: (line: string) => void;
  readonly warn: (line: string) => void;
  /** An error line; silent once the deadline has passed, since the deadline's own line has said why. */
  readonly fail: (line: string) => void;
}
