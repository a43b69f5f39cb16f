/** readZone: every resource record set of a hosted zone, through ListResourceRecordSets pages. */
import { ListResourceRecordSetsCommand, type Route53Client, type RRType } from '@aws-sdk/client-route-53';
import { normalizeZoneId } from './names.ts';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from './retry.ts';
import type { ZoneRecord } from './types.ts';

export interface ReadZoneOptions {
  /** MaxItems per page (Route 53 returns at most 300). */
  readonly pageSize?: number;
  readonly retry?: RetryPolicy;
  readonly onRetry?: (line: string) => void;
}

type SdkRecordSet = {
  Name?: string;
  Type?: string;
  TTL?: number;
  SetIdentifier?: string;
  ResourceRecords?: { Value?: string }[];
  AliasTarget?: { HostedZoneId?: string; DNSName?: string; EvaluateTargetHealth?: boolean };
};

/** Keeps the fields meshfleet reads, in the shape it sends back for a DELETE. */
export function toZoneRecord(r: SdkRecordSet): ZoneRecord {
  return {
    Name: r.Name ?? '',
    Type: r.Type ?? '',
    ...(r.TTL !== undefined ? { TTL: r.TTL } : {}),
    ...(r.SetIdentifier !== undefined ? { SetIdentifier: r.SetIdentifier } : {}),
    ...(r.ResourceRecords ? { ResourceRecords: r.ResourceRecords.map((v) => ({ Value: v.Value ?? '' })) } : {}),
    ...(r.AliasTarget
      ? {
          AliasTarget: {
            HostedZoneId: r.AliasTarget.HostedZoneId ?? '',
            DNSName: r.AliasTarget.DNSName ?? '',
            EvaluateTargetHealth: r.AliasTarget.EvaluateTargetHealth ?? false,
          },
        }
      : {}),
  };
}

export async function readZone(
  route53: Route53Client,
  hostedZoneId: string,
  opts: ReadZoneOptions = {},
): Promise<ZoneRecord[]> {
  const zoneId = normalizeZoneId(hostedZoneId);
  const records: ZoneRecord[] = [];
  let start: { name?: string; type?: string; id?: string } = {};
  const seen = new Set<string>();
  for (;;) {
    const page = await withRetry(
      'Route 53 ListResourceRecordSets',
      () =>
        route53.send(
          new ListResourceRecordSetsCommand({
            HostedZoneId: zoneId,
            MaxItems: opts.pageSize ?? 300,
            ...(start.name !== undefined ? { StartRecordName: start.name } : {}),
            ...(start.type !== undefined ? { StartRecordType: start.type as RRType } : {}),
            ...(start.id !== undefined ? { StartRecordIdentifier: start.id } : {}),
          }),
          { abortSignal: opts.retry?.signal },
        ),
      opts.retry ?? DEFAULT_RETRY,
      opts.onRetry,
    );
    for (const r of page.ResourceRecordSets ?? []) records.push(toZoneRecord(r));
    if (!page.IsTruncated) return records;
    if (page.NextRecordName === undefined)
      throw new Error('Route 53 ListResourceRecordSets: truncated page without NextRecordName');
    start = { name: page.NextRecordName, type: page.NextRecordType, id: page.NextRecordIdentifier };
    const key = `${start.name}\u0000${start.type}\u0000${start.id}`;
    if (seen.has(key))
      throw new Error(`Route 53 ListResourceRecordSets: pagination did not advance (${start.name} ${start.type})`);
    seen.add(key);
  }
}
