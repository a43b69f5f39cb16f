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
import { byteOrder } from '../model/byte-order.ts';
import { normalizeAliasDnsName, normalizeName, normalizeZoneId, toRoute53Name } from './names.ts';
import { ownershipValue, parseOwnershipValue, type Owner } from './ownership.ts';
import type { AliasType, Change, DnsSpec, PlanSummary, ResolvedTarget, Targets, ZoneRecord } from './types.ts';

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
  if (txt.SetIdentifier !== undefined)
    return { kind: 'foreign', detail: 'the TXT record at this name uses a routing policy' };
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
  const rows: Change[] = [];
  for (const ep of spec.endpoints) {
    const name = normalizeName(ep.fqdn);
    rows.push(...planEndpoint(spec, { name, cluster: ep.cluster, target: targets.get(ep.cluster) }, zone.get(name)));
  }
  const wanted = new Set(spec.endpoints.map((ep) => normalizeName(ep.fqdn)));
  for (const [name, at] of zone) {
    if (!wanted.has(name) && !at.routed) rows.push(...planRemoval(spec, name, at));
  }
  return sortChanges(rows);
}

/** One endpoint: its name, its cluster and, when known, the load balancer its records point at. */
interface Endpoint {
  readonly name: string;
  readonly cluster: string;
  readonly target: ResolvedTarget | undefined;
}

/** A row of the plan; records and their ownership TXT share a group (the name), so they travel in one batch. */
function row(r: Omit<Change, 'phase' | 'group'> & { phase?: 1 | 2 }): Change {
  return { phase: 1, group: r.name, ...r };
}

function planEndpoint(spec: DnsSpec, ep: Endpoint, at: NameIndex | undefined): Change[] {
  const wanted = typesFor(spec.ipFamily);
  const skipAll = (reason: string, show: string) =>
    wanted.map((type) => row({ action: 'skip', name: ep.name, type, target: show, reason, cluster: ep.cluster }));
  const { target } = ep;
  if (!target) return skipAll('no load balancer target for this cluster (set dns.target in fleet.yaml)', '-');
  const show = normalizeName(target.dnsName);
  const blocked = blockedReason(at);
  if (blocked) return skipAll(blocked, show);
  const ownership = classifyOwnership(at?.simple.get('TXT'), spec.fleet);
  const present = ALIAS_TYPES.filter((t) => at?.simple.has(t));
  if (ownership.kind === 'ours') return planOwned(spec, { ...ep, target }, ownership.owner, at!);
  if (ownership.kind === 'none' && present.length === 0) return planNew(spec, { ...ep, target });
  return skipAll(notOwnedReason(ownership, present, at), show);
}

/** Records meshfleet manages only as simple records: none at a name with routing policies or a CNAME. */
function blockedReason(at: NameIndex | undefined): string | undefined {
  if (at?.routed)
    return 'a record at this name uses a routing policy (SetIdentifier); meshfleet manages simple records only';
  const cname = at?.simple.get('CNAME');
  if (cname) return `a CNAME record exists at this name (-> ${describeTarget(cname)}); not owned by meshfleet`;
  return undefined;
}

function notOwnedReason(
  ownership: Exclude<Ownership, { kind: 'ours' }>,
  present: readonly AliasType[],
  at: NameIndex | undefined,
): string {
  if (ownership.kind === 'other-fleet')
    return `owned by another fleet (${ownership.owner.fleet}/${ownership.owner.resource})`;
  if (ownership.kind === 'foreign') return `not owned: ${ownership.detail}`;
  const existing = present.map((t) => `${t} -> ${describeTarget(at!.simple.get(t)!)}`).join(', ');
  return `not owned: ${existing} exists without a meshfleet ownership TXT record`;
}

type Targeted = Endpoint & { readonly target: ResolvedTarget };

function aliasRow(ep: Targeted, type: AliasType, action: 'create' | 'update', reason: string): Change {
  const Action = action === 'create' ? 'CREATE' : 'UPSERT';
  const request = { Action, ResourceRecordSet: aliasRecord(ep.name, type, ep.target) } as const;
  return row({
    action,
    name: ep.name,
    type,
    target: normalizeName(ep.target.dnsName),
    reason,
    cluster: ep.cluster,
    request,
  });
}

function ownershipRow(spec: DnsSpec, ep: Endpoint, action: 'create' | 'update', reason: string): Change {
  const txt = txtRecord(ep.name, spec.fleet, ep.cluster);
  const request = { Action: action === 'create' ? 'CREATE' : 'UPSERT', ResourceRecordSet: txt } as const;
  return row({ action, name: ep.name, type: 'TXT', target: describeTarget(txt), reason, cluster: ep.cluster, request });
}

/** Deletions are phase 2: sent only once every create and update is INSYNC. */
function deletionRow(name: string, type: string, current: ZoneRecord, reason: string, cluster: string): Change {
  const request = { Action: 'DELETE', ResourceRecordSet: current } as const;
  return row({ action: 'delete', name, type, target: describeTarget(current), reason, cluster, phase: 2, request });
}

/** A name nobody holds: its alias records and, in the same batch, the TXT that makes it this fleet's. */
function planNew(spec: DnsSpec, ep: Targeted): Change[] {
  return [
    ...typesFor(spec.ipFamily).map((type) => aliasRow(ep, type, 'create', `new endpoint for cluster ${ep.cluster}`)),
    ownershipRow(spec, ep, 'create', 'ownership record'),
  ];
}

/** A name this fleet owns: missing records made, changed targets updated with UPSERT, dropped types deleted. */
function planOwned(spec: DnsSpec, ep: Targeted, owner: Owner, at: NameIndex): Change[] {
  const wanted = typesFor(spec.ipFamily);
  const rows: Change[] = [];
  for (const type of wanted) {
    const current = at.simple.get(type);
    if (!current) rows.push(aliasRow(ep, type, 'create', `missing ${type} record for cluster ${ep.cluster}`));
    else if (!sameAlias(current, ep.target)) {
      rows.push(aliasRow(ep, type, 'update', `target changed (was ${describeTarget(current) || 'not an alias'})`));
    }
  }
  if (owner.resource !== ep.cluster) {
    rows.push(ownershipRow(spec, ep, 'update', `ownership moves from cluster ${owner.resource} to ${ep.cluster}`));
  }
  for (const type of ALIAS_TYPES) {
    const current = at.simple.get(type);
    if (current && !wanted.includes(type)) {
      rows.push(
        deletionRow(ep.name, type, current, `IP family ${spec.ipFamily} no longer includes ${type}`, ep.cluster),
      );
    }
  }
  return rows;
}

/** An owned name whose endpoint left the fleet: its records and, in the same batch, its TXT are deleted. */
function planRemoval(spec: DnsSpec, name: string, at: NameIndex): Change[] {
  const ownership = classifyOwnership(at.simple.get('TXT'), spec.fleet);
  if (ownership.kind !== 'ours') return [];
  const cluster = ownership.owner.resource;
  const rows: Change[] = [];
  for (const type of ALIAS_TYPES) {
    const current = at.simple.get(type);
    if (current) rows.push(deletionRow(name, type, current, `cluster ${cluster} is no longer in the fleet`, cluster));
  }
  rows.push(deletionRow(name, 'TXT', ownership.record, 'ownership record of a removed endpoint', cluster));
  return rows;
}

/** Stable order: by name, then A, AAAA, TXT, then any other type, names and types in byte order. */
export function sortChanges(rows: readonly Change[]): Change[] {
  return rows
    .map((r, i) => ({ r, i }))
    .sort((x, y) => {
      if (x.r.name !== y.r.name) return byteOrder(x.r.name, y.r.name);
      const tx = TYPE_ORDER[x.r.type] ?? 9;
      const ty = TYPE_ORDER[y.r.type] ?? 9;
      if (tx !== ty) return tx - ty;
      if (x.r.type !== y.r.type) return byteOrder(x.r.type, y.r.type);
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
