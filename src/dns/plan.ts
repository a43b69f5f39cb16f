/**
 * planChanges: the pure heart of `meshfleet dns`. Given the fleet's wish, the resolved load balancer targets
 * and the zone as it is, it returns every row of the plan: create / update / delete / skip, each with a reason
 * and (except skips) the Route 53 change to send.
 *
 * Safety rules, by construction:
 * - Only owned names (see ownership.ts) are ever changed; conflicts at a wanted name are skipped with a reason.
 * - An owned record that is still wanted is changed with UPSERT, never DELETE + CREATE.
 * - A record and its ownership TXT share a group, so they travel in one (atomic) ChangeBatch.
 * - Deletions (records of clusters that left the fleet, record types the IP family dropped) are phase 2.
 */
import { normalizeAliasDnsName, normalizeName, normalizeZoneId, toRoute53Name } from './names.ts';
import { ownershipValue, parseOwnershipValue, type Owner } from './ownership.ts';
import type {
  AliasType,
  Change,
  DnsSpec,
  PlanSummary,
  ResolvedTarget,
  Route53Change,
  Targets,
  ZoneRecord,
} from './types.ts';

/** TTL of the ownership TXT records. */
export const OWNERSHIP_TTL = 300;

export function typesFor(ipFamily: DnsSpec['ipFamily']): AliasType[] {
  switch (ipFamily) {
    case 'ipv4':
      return ['A'];
    case 'ipv6':
      return ['AAAA'];
    case 'dual':
      return ['A', 'AAAA'];
  }
}

const ALIAS_TYPES: readonly AliasType[] = ['A', 'AAAA'];
const TYPE_ORDER: Record<string, number> = { A: 0, AAAA: 1, TXT: 2 };

type Ownership =
  | { kind: 'none' }
  | { kind: 'ours'; owner: Owner; record: ZoneRecord }
  | { kind: 'other-fleet'; owner: Owner }
  | { kind: 'foreign'; detail: string };

function classifyOwnership(txt: ZoneRecord | undefined, fleet: string): Ownership {
  if (!txt) return { kind: 'none' };
  const values = txt.ResourceRecords ?? [];
  if (txt.SetIdentifier !== undefined) return { kind: 'foreign', detail: 'the TXT record at this name uses a routing policy' };
  if (values.length !== 1) {
    const ours = values.some((v) => parseOwnershipValue(v.Value));
    return {
      kind: 'foreign',
      detail: ours
        ? 'the TXT record at this name holds other values beside a meshfleet ownership value'
        : 'a TXT record at this name is not a meshfleet ownership record',
    };
  }
  const owner = parseOwnershipValue(values[0]!.Value);
  if (!owner) return { kind: 'foreign', detail: 'a TXT record at this name is not a meshfleet ownership record' };
  if (owner.fleet !== fleet) return { kind: 'other-fleet', owner };
  return { kind: 'ours', owner, record: txt };
}

function aliasRecord(name: string, type: AliasType, target: ResolvedTarget): ZoneRecord {
  return {
    Name: toRoute53Name(name),
    Type: type,
    AliasTarget: {
      HostedZoneId: normalizeZoneId(target.hostedZoneId),
      DNSName: toRoute53Name(target.dnsName),
      EvaluateTargetHealth: false,
    },
  };
}

function txtRecord(name: string, fleet: string, resource: string): ZoneRecord {
  return {
    Name: toRoute53Name(name),
    Type: 'TXT',
    TTL: OWNERSHIP_TTL,
    ResourceRecords: [{ Value: ownershipValue(fleet, resource) }],
  };
}

/** What a record points at, for the TARGET column. */
export function describeTarget(r: ZoneRecord): string {
  if (r.AliasTarget) return normalizeName(r.AliasTarget.DNSName);
  return (r.ResourceRecords ?? []).map((v) => v.Value).join(' ');
}

function sameAlias(existing: ZoneRecord, target: ResolvedTarget): boolean {
  const a = existing.AliasTarget;
  if (!a || existing.ResourceRecords?.length) return false;
  return (
    normalizeAliasDnsName(a.DNSName) === normalizeAliasDnsName(target.dnsName) &&
    normalizeZoneId(a.HostedZoneId) === normalizeZoneId(target.hostedZoneId)
  );
}

interface NameIndex {
  /** Records without SetIdentifier, by type. */
  readonly simple: Map<string, ZoneRecord>;
  /** True when any record at the name has a SetIdentifier (weighted, latency, ... routing). */
  routed: boolean;
}

function indexZone(existing: readonly ZoneRecord[]): Map<string, NameIndex> {
  const byName = new Map<string, NameIndex>();
  for (const r of existing) {
    const name = normalizeName(r.Name);
    let entry = byName.get(name);
    if (!entry) {
      entry = { simple: new Map(), routed: false };
      byName.set(name, entry);
    }
    if (r.SetIdentifier !== undefined) entry.routed = true;
    else entry.simple.set(r.Type, r);
  }
  return byName;
}

/**
 * Plans the changes that make the zone match the fleet. `targets` maps Cilium cluster names to their load
 * balancer; a cluster without one is skipped (the command refuses to run in that case before planning).
 */
export function planChanges(spec: DnsSpec, targets: Targets, existing: readonly ZoneRecord[]): Change[] {
  const zone = indexZone(existing);
  const wanted = typesFor(spec.ipFamily);
  const rows: Change[] = [];
  const desiredNames = new Set<string>();

  const row = (r: Omit<Change, 'phase' | 'group'> & { phase?: 1 | 2; request?: Route53Change }): void => {
    rows.push({ phase: 1, group: r.name, ...r });
  };

  for (const ep of spec.endpoints) {
    const name = normalizeName(ep.fqdn);
    desiredNames.add(name);
    const cluster = ep.cluster;
    const target = targets.get(cluster);
    const at = zone.get(name);
    const skipAll = (reason: string, show: string) => {
      for (const type of wanted) row({ action: 'skip', name, type, target: show, reason, cluster });
    };

    if (!target) {
      skipAll('no load balancer target for this cluster (set dns.target in fleet.yaml)', '-');
      continue;
    }
    const show = normalizeName(target.dnsName);
    if (at?.routed) {
      skipAll('a record at this name uses a routing policy (SetIdentifier); meshfleet manages simple records only', show);
      continue;
    }
    const cname = at?.simple.get('CNAME');
    if (cname) {
      skipAll(`a CNAME record exists at this name (-> ${describeTarget(cname)}); not owned by meshfleet`, show);
      continue;
    }

    const ownership = classifyOwnership(at?.simple.get('TXT'), spec.fleet);
    const presentAlias = ALIAS_TYPES.filter((t) => at?.simple.has(t));

    if (ownership.kind !== 'ours') {
      if (ownership.kind === 'none' && presentAlias.length === 0) {
        for (const type of wanted) {
          row({
            action: 'create',
            name,
            type,
            target: show,
            reason: `new endpoint for cluster ${cluster}`,
            cluster,
            request: { Action: 'CREATE', ResourceRecordSet: aliasRecord(name, type, target) },
          });
        }
        const txt = txtRecord(name, spec.fleet, cluster);
        row({
          action: 'create',
          name,
          type: 'TXT',
          target: describeTarget(txt),
          reason: 'ownership record',
          cluster,
          request: { Action: 'CREATE', ResourceRecordSet: txt },
        });
        continue;
      }
      let reason: string;
      if (ownership.kind === 'other-fleet') {
        reason = `owned by another fleet (${ownership.owner.fleet}/${ownership.owner.resource})`;
      } else if (ownership.kind === 'foreign') {
        reason = `not owned: ${ownership.detail}`;
      } else {
        const existingDesc = presentAlias
          .map((t) => `${t} -> ${describeTarget(at!.simple.get(t)!)}`)
          .join(', ');
        reason = `not owned: ${existingDesc} exists without a meshfleet ownership TXT record`;
      }
      skipAll(reason, show);
      continue;
    }

    // Owned by this fleet.
    for (const type of wanted) {
      const current = at?.simple.get(type);
      if (!current) {
        row({
          action: 'create',
          name,
          type,
          target: show,
          reason: `missing ${type} record for cluster ${cluster}`,
          cluster,
          request: { Action: 'CREATE', ResourceRecordSet: aliasRecord(name, type, target) },
        });
      } else if (!sameAlias(current, target)) {
        row({
          action: 'update',
          name,
          type,
          target: show,
          reason: `target changed (was ${describeTarget(current) || 'not an alias'})`,
          cluster,
          request: { Action: 'UPSERT', ResourceRecordSet: aliasRecord(name, type, target) },
        });
      }
    }
    if (ownership.owner.resource !== cluster) {
      const txt = txtRecord(name, spec.fleet, cluster);
      row({
        action: 'update',
        name,
        type: 'TXT',
        target: describeTarget(txt),
        reason: `ownership moves from cluster ${ownership.owner.resource} to ${cluster}`,
        cluster,
        request: { Action: 'UPSERT', ResourceRecordSet: txt },
      });
    }
    for (const type of presentAlias) {
      if (wanted.includes(type)) continue;
      const current = at!.simple.get(type)!;
      row({
        action: 'delete',
        name,
        type,
        target: describeTarget(current),
        reason: `IP family ${spec.ipFamily} no longer includes ${type}`,
        cluster,
        phase: 2,
        request: { Action: 'DELETE', ResourceRecordSet: current },
      });
    }
  }

  // Owned names whose endpoint left the fleet: delete their records and, in the same batch, the TXT.
  for (const [name, at] of zone) {
    if (desiredNames.has(name) || at.routed) continue;
    const ownership = classifyOwnership(at.simple.get('TXT'), spec.fleet);
    if (ownership.kind !== 'ours') continue;
    const cluster = ownership.owner.resource;
    for (const type of ALIAS_TYPES) {
      const current = at.simple.get(type);
      if (!current) continue;
      row({
        action: 'delete',
        name,
        type,
        target: describeTarget(current),
        reason: `cluster ${cluster} is no longer in the fleet`,
        cluster,
        phase: 2,
        request: { Action: 'DELETE', ResourceRecordSet: current },
      });
    }
    row({
      action: 'delete',
      name,
      type: 'TXT',
      target: describeTarget(ownership.record),
      reason: 'ownership record of a removed endpoint',
      cluster,
      phase: 2,
      request: { Action: 'DELETE', ResourceRecordSet: ownership.record },
    });
  }

  return sortChanges(rows);
}

/** Stable order: by name, then A, AAAA, TXT, then anything else alphabetically. */
export function sortChanges(rows: readonly Change[]): Change[] {
  return rows
    .map((r, i) => ({ r, i }))
    .sort((x, y) => {
      if (x.r.name !== y.r.name) return x.r.name < y.r.name ? -1 : 1;
      const tx = TYPE_ORDER[x.r.type] ?? 9;
      const ty = TYPE_ORDER[y.r.type] ?? 9;
      if (tx !== ty) return tx - ty;
      if (x.r.type !== y.r.type) return x.r.type < y.r.type ? -1 : 1;
      return x.i - y.i;
    })
    .map((x) => x.r);
}

export function summarize(rows: readonly Change[]): PlanSummary {
  const s = { create: 0, update: 0, delete: 0, skip: 0 };
  for (const r of rows) s[r.action]++;
  return s;
}

/** True when applying would change nothing (skips do not count: apply never touches them). */
export function inSync(rows: readonly Change[]): boolean {
  return rows.every((r) => r.action === 'skip');
}

export function summaryLine(s: PlanSummary): string {
  return `Plan: ${s.create} to create, ${s.update} to update, ${s.delete} to delete, ${s.skip} skipped.`;
}

/** The plan as a text table: ACTION, NAME, TYPE, TARGET, REASON. */
export function formatTable(rows: readonly Change[]): string[] {
  const header = ['ACTION', 'NAME', 'TYPE', 'TARGET', 'REASON'];
  const cells = rows.map((r) => [r.action, r.name, r.type, r.target, r.reason]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) =>
    c
      .map((v, i) => (i === c.length - 1 ? v : v.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...cells.map(line)];
}
