/**
 * A fake Route 53 + ELBv2 endpoint on 127.0.0.1 for end-to-end tests of `meshfleet dns` with the real SDK
 * clients (pass its url as `--endpoint`). It keeps hosted zones in memory and speaks the wire formats of the
 * calls meshfleet uses, shaped on the AWS API reference:
 *
 * Route 53 (REST-XML, namespace https://route53.amazonaws.com/doc/2013-04-01/)
 *   GET  /2013-04-01/hostedzone/{Id}/rrset?name=&type=&identifier=&maxitems=   ListResourceRecordSets
 *        (records sorted by name with labels reversed, then type; at most 300 a page; IsTruncated,
 *         NextRecordName, NextRecordType, NextRecordIdentifier, MaxItems)
 *   POST /2013-04-01/hostedzone/{Id}/rrset   ChangeResourceRecordSets (all-or-nothing batches;
 *        InvalidChangeBatch for CREATE of an existing record, DELETE of a missing one or with other values,
 *        CNAME conflicts, names outside the zone, and batches over the request limits)
 *   GET  /2013-04-01/change/{Id}             GetChange (PENDING for `pendingPolls` polls, then INSYNC)
 * ELBv2 (query protocol, form-encoded POST /, namespace http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/)
 *   DescribeLoadBalancers (PageSize, Marker / NextMarker), DescribeTags (ResourceArns.member.N, at most 20)
 *
 * Faults can be injected by call number or by operation: Throttling (400), 500, PriorRequestNotComplete (400),
 * a dropped connection before the request is handled ('drop'), or after it was handled and its effect kept
 * but the answer lost ('drop-after').
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const R53_NS = 'https://route53.amazonaws.com/doc/2013-04-01/';
const ELB_NS = 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/';

export interface FakeRecord {
  Name: string;
  Type: string;
  TTL?: number;
  SetIdentifier?: string;
  ResourceRecords?: { Value: string }[];
  AliasTarget?: { HostedZoneId: string; DNSName: string; EvaluateTargetHealth: boolean };
}

export interface FakeLoadBalancer {
  arn: string;
  name: string;
  dnsName: string;
  canonicalHostedZoneId: string;
  ipAddressType?: string;
  state?: string;
  type?: string;
  scheme?: string;
  tags: Record<string, string>;
}

export type Operation =
  'ListResourceRecordSets' | 'ChangeResourceRecordSets' | 'GetChange' | 'DescribeLoadBalancers' | 'DescribeTags';

export type FaultKind = 'throttle' | 'server-error' | 'prior-request' | 'drop' | 'drop-after';

interface FaultRule {
  kind: FaultKind;
  op?: Operation;
  atCall?: number;
  fromCall?: number;
  remaining: number;
}

export interface CallLog {
  readonly n: number;
  readonly op: Operation | 'unknown';
  readonly fault?: FaultKind;
  readonly status: number | 'dropped';
}

export interface CommittedBatch {
  readonly id: string;
  readonly comment?: string;
  readonly changes: { action: string; record: FakeRecord }[];
}

interface Zone {
  name: string; // with trailing dot
  records: FakeRecord[];
}

interface XNode {
  name: string;
  children: XNode[];
  text: string;
}

// ---------------------------------------------------------------------------------------------- XML helpers

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeXml(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (m, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(parseInt(e.slice(1), 10));
    return ENTITIES[e] ?? m;
  });
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A small XML reader, enough for the SDK's request bodies (elements and text, no mixed content). */
function parseXml(src: string): XNode {
  const root: XNode = { name: '#root', children: [], text: '' };
  const stack: XNode[] = [root];
  const re = /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<\/([^\s>]+)\s*>|<([^\s>/]+)([^>]*?)(\/?)>|([^<]+)/g;
  for (let m = re.exec(src); m; m = re.exec(src)) {
    const top = stack[stack.length - 1]!;
    if (m[1] !== undefined) {
      if (stack.length === 1 || top.name !== m[1]) throw new Error(`malformed XML: unexpected </${m[1]}>`);
      stack.pop();
    } else if (m[2] !== undefined) {
      const node: XNode = { name: m[2], children: [], text: '' };
      top.children.push(node);
      if (m[4] !== '/') stack.push(node);
    } else if (m[5] !== undefined) {
      top.text += decodeXml(m[5]);
    }
  }
  if (stack.length !== 1) throw new Error('malformed XML: unclosed element');
  return root.children[0] ?? root;
}

const child = (n: XNode | undefined, name: string) => n?.children.find((c) => c.name === name);
const children = (n: XNode | undefined, name: string) => n?.children.filter((c) => c.name === name) ?? [];
const text = (n: XNode | undefined, name: string) => child(n, name)?.text;

function recordXml(r: FakeRecord): string {
  let x = `<ResourceRecordSet><Name>${esc(r.Name)}</Name><Type>${r.Type}</Type>`;
  if (r.SetIdentifier !== undefined) x += `<SetIdentifier>${esc(r.SetIdentifier)}</SetIdentifier>`;
  if (r.TTL !== undefined) x += `<TTL>${r.TTL}</TTL>`;
  if (r.ResourceRecords) {
    x += `<ResourceRecords>${r.ResourceRecords.map((v) => `<ResourceRecord><Value>${esc(v.Value)}</Value></ResourceRecord>`).join('')}</ResourceRecords>`;
  }
  if (r.AliasTarget) {
    x +=
      `<AliasTarget><HostedZoneId>${esc(r.AliasTarget.HostedZoneId)}</HostedZoneId>` +
      `<DNSName>${esc(r.AliasTarget.DNSName)}</DNSName>` +
      `<EvaluateTargetHealth>${r.AliasTarget.EvaluateTargetHealth}</EvaluateTargetHealth></AliasTarget>`;
  }
  return `${x}</ResourceRecordSet>`;
}

function readRecord(n: XNode | undefined): FakeRecord {
  const r: FakeRecord = { Name: fqdn(text(n, 'Name') ?? ''), Type: text(n, 'Type') ?? '' };
  const ttl = text(n, 'TTL');
  if (ttl !== undefined) r.TTL = Number(ttl);
  const sid = text(n, 'SetIdentifier');
  if (sid !== undefined) r.SetIdentifier = sid;
  const rrs = child(n, 'ResourceRecords');
  if (rrs) r.ResourceRecords = children(rrs, 'ResourceRecord').map((v) => ({ Value: text(v, 'Value') ?? '' }));
  const at = child(n, 'AliasTarget');
  if (at) {
    r.AliasTarget = {
      HostedZoneId: text(at, 'HostedZoneId') ?? '',
      DNSName: fqdn(text(at, 'DNSName') ?? ''),
      EvaluateTargetHealth: text(at, 'EvaluateTargetHealth') === 'true',
    };
  }
  return r;
}

// ------------------------------------------------------------------------------------------- Route 53 model

/** Route 53 keeps names in lower case with a trailing dot. */
export function fqdn(name: string): string {
  const n = name.toLowerCase();
  return n.endsWith('.') ? n : `${n}.`;
}

/** Sort key: labels reversed ('www.example.com.' -> 'com.example.www.'), as ListResourceRecordSets orders. */
function sortKey(name: string): string {
  return `${fqdn(name).slice(0, -1).split('.').reverse().join('.')}.`;
}

function compareRecords(a: { Name: string; Type: string; SetIdentifier?: string }, b: typeof a): number {
  const ka = sortKey(a.Name);
  const kb = sortKey(b.Name);
  if (ka !== kb) return ka < kb ? -1 : 1;
  if (a.Type !== b.Type) return a.Type < b.Type ? -1 : 1;
  const sa = a.SetIdentifier ?? '';
  const sb = b.SetIdentifier ?? '';
  return sa === sb ? 0 : sa < sb ? -1 : 1;
}

const rrKey = (r: FakeRecord) => `${fqdn(r.Name)}|${r.Type}|${r.SetIdentifier ?? ''}`;

function sameValues(a: FakeRecord, b: FakeRecord): boolean {
  const norm = (r: FakeRecord) =>
    JSON.stringify({
      TTL: r.TTL ?? null,
      RR: (r.ResourceRecords ?? []).map((v) => v.Value).sort(),
      AT: r.AliasTarget
        ? [r.AliasTarget.HostedZoneId, fqdn(r.AliasTarget.DNSName), r.AliasTarget.EvaluateTargetHealth]
        : null,
    });
  return norm(a) === norm(b);
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly type: 'Sender' | 'Receiver' = 'Sender',
  ) {
    super(message);
  }
}

// ------------------------------------------------------------------------------------------------ the fake

export class FakeAws {
  /** GetChange answers PENDING this many times for a change before INSYNC. */
  pendingPolls = 1;
  /** Largest page ListResourceRecordSets returns (Route 53: 300). */
  maxListItems = 300;
  /** Largest page DescribeLoadBalancers returns (API maximum: 400). */
  elbPageSize = 400;
  /** Request limits enforced on ChangeResourceRecordSets. */
  limits = { maxChanges: 1000, maxRecords: 1000, maxValueChars: 32_000 };
  loadBalancers: FakeLoadBalancer[] = [];
  readonly calls: CallLog[] = [];
  readonly committed: CommittedBatch[] = [];

  private readonly zones = new Map<string, Zone>();
  private readonly changes = new Map<string, { polls: number; submittedAt: string; comment?: string }>();
  private faults: FaultRule[] = [];
  private server: http.Server | undefined;
  private changeCounter = 0;
  private requestCounter = 0;

  addZone(id: string, name: string, records: FakeRecord[] = []): void {
    this.zones.set(id, {
      name: fqdn(name),
      records: records.map((r) => this.normalizeRecord(r)).sort(compareRecords),
    });
  }

  /** The zone's records, sorted as ListResourceRecordSets returns them (copies). */
  records(id: string): FakeRecord[] {
    return structuredClone(this.zone(id).records);
  }

  /** Puts a record straight into the zone, as another tool would have. */
  putRecord(id: string, r: FakeRecord): void {
    const z = this.zone(id);
    const rec = this.normalizeRecord(r);
    z.records = z.records.filter((x) => rrKey(x) !== rrKey(rec));
    z.records.push(rec);
    z.records.sort(compareRecords);
  }

  /** Injects a fault on the n-th request (1-based, counted over all requests), optionally only if it is `op`. */
  failAt(n: number, kind: FaultKind, op?: Operation): void {
    this.faults.push({ kind, atCall: n, remaining: 1, ...(op ? { op } : {}) });
  }

  /** Injects a fault on the next `times` requests of `op` (any operation when omitted). */
  failNext(kind: FaultKind, times = 1, op?: Operation): void {
    this.faults.push({ kind, remaining: times, ...(op ? { op } : {}) });
  }

  /** Every request from the n-th on fails with `kind` (e.g. 'drop': the network goes away mid-run). */
  failFrom(n: number, kind: FaultKind): void {
    this.faults.push({ kind, fromCall: n, remaining: Number.POSITIVE_INFINITY });
  }

  clearFaults(): void {
    this.faults = [];
  }

  get requestCount(): number {
    return this.requestCounter;
  }

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.handle(req, res, Buffer.concat(chunks).toString('utf8')));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = undefined;
  }

  // ---------------------------------------------------------------------------------------------- dispatch

  private zone(id: string): Zone {
    const z = this.zones.get(id.replace(/^\/?hostedzone\//, ''));
    if (!z) throw new HttpError(404, 'NoSuchHostedZone', `No hosted zone found with ID: ${id}`);
    return z;
  }

  private normalizeRecord(r: FakeRecord): FakeRecord {
    const out: FakeRecord = structuredClone(r);
    out.Name = fqdn(r.Name);
    if (out.AliasTarget) out.AliasTarget.DNSName = fqdn(out.AliasTarget.DNSName);
    return out;
  }

  private operationOf(method: string, path: string, body: string): Operation | 'unknown' {
    if (/^\/2013-04-01\/hostedzone\/[^/]+\/rrset\/?$/.test(path)) {
      return method === 'GET' ? 'ListResourceRecordSets' : 'ChangeResourceRecordSets';
    }
    if (/^\/2013-04-01\/change\/[^/]+$/.test(path)) return 'GetChange';
    if (method === 'POST' && (path === '/' || path === '')) {
      const action = new URLSearchParams(body).get('Action');
      if (action === 'DescribeLoadBalancers' || action === 'DescribeTags') return action;
    }
    return 'unknown';
  }

  private takeFault(n: number, op: Operation | 'unknown'): FaultKind | undefined {
    for (const f of this.faults) {
      if (f.remaining <= 0) continue;
      if (f.op && f.op !== op) continue;
      if (f.atCall !== undefined && f.atCall !== n) continue;
      if (f.fromCall !== undefined && n < f.fromCall) continue;
      f.remaining--;
      return f.kind;
    }
    return undefined;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse, body: string): void {
    const n = ++this.requestCounter;
    const url = new URL(req.url ?? '/', 'http://fake');
    const op = this.operationOf(req.method ?? 'GET', url.pathname, body);
    const isElb = op === 'DescribeLoadBalancers' || op === 'DescribeTags';
    const fault = this.takeFault(n, op);
    const log = (status: number | 'dropped') => this.calls.push({ n, op, status, ...(fault ? { fault } : {}) });

    if (fault === 'drop') {
      log('dropped');
      req.socket.destroy();
      return;
    }
    let status = 200;
    let xml: string;
    try {
      if (!String(req.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 ')) {
        throw new HttpError(
          403,
          isElb ? 'MissingAuthenticationToken' : 'MissingAuthenticationToken',
          'Request is not signed',
        );
      }
      if (fault === 'throttle') throw new HttpError(400, 'Throttling', 'Rate exceeded');
      if (fault === 'server-error')
        throw new HttpError(500, 'InternalFailure', 'We encountered an internal error. Please try again.', 'Receiver');
      if (fault === 'prior-request') {
        throw isElb
          ? new HttpError(400, 'Throttling', 'Rate exceeded')
          : new HttpError(
              400,
              'PriorRequestNotComplete',
              'The request was rejected because Route 53 was still processing a prior request.',
            );
      }
      xml = this.route(op, url, body);
    } catch (err) {
      const e =
        err instanceof HttpError ? err : new HttpError(500, 'InternalFailure', (err as Error).message, 'Receiver');
      status = e.status;
      xml =
        `<?xml version="1.0"?>\n<ErrorResponse xmlns="${isElb ? ELB_NS : R53_NS}"><Error><Type>${e.type}</Type>` +
        `<Code>${e.code}</Code><Message>${esc(e.message)}</Message></Error><RequestId>req-${n}</RequestId></ErrorResponse>`;
    }
    if (fault === 'drop-after') {
      log('dropped');
      req.socket.destroy();
      return;
    }
    log(status);
    res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': `req-${n}` });
    res.end(xml);
  }

  private route(op: Operation | 'unknown', url: URL, body: string): string {
    const parts = url.pathname.split('/');
    switch (op) {
      case 'ListResourceRecordSets':
        return this.listRecords(decodeURIComponent(parts[3]!), url.searchParams);
      case 'ChangeResourceRecordSets':
        return this.changeRecords(decodeURIComponent(parts[3]!), body);
      case 'GetChange':
        return this.getChange(decodeURIComponent(parts[3]!));
      case 'DescribeLoadBalancers':
        return this.describeLoadBalancers(new URLSearchParams(body));
      case 'DescribeTags':
        return this.describeTags(new URLSearchParams(body));
      default:
        throw new HttpError(400, 'InvalidAction', `fake-aws does not implement ${url.pathname}`);
    }
  }

  // ------------------------------------------------------------------------------------------- Route 53

  private listRecords(zoneId: string, q: URLSearchParams): string {
    const z = this.zone(zoneId);
    const name = q.get('name');
    const type = q.get('type');
    const identifier = q.get('identifier');
    if (type !== null && name === null)
      throw new HttpError(400, 'InvalidInput', 'The input is not valid: type without name');
    const max = Math.min(Number(q.get('maxitems') ?? 300) || 300, this.maxListItems);
    let start = 0;
    if (name !== null) {
      const from = { Name: name, Type: type ?? '', ...(identifier !== null ? { SetIdentifier: identifier } : {}) };
      start = z.records.findIndex((r) => compareRecords(r, from) >= 0);
      if (start < 0) start = z.records.length;
    }
    const page = z.records.slice(start, start + max);
    const next = z.records[start + max];
    let xml =
      `<?xml version="1.0" encoding="UTF-8"?>\n<ListResourceRecordSetsResponse xmlns="${R53_NS}">` +
      `<ResourceRecordSets>${page.map(recordXml).join('')}</ResourceRecordSets>` +
      `<IsTruncated>${next ? 'true' : 'false'}</IsTruncated>`;
    if (next) {
      xml += `<NextRecordName>${esc(next.Name)}</NextRecordName><NextRecordType>${next.Type}</NextRecordType>`;
      if (next.SetIdentifier !== undefined)
        xml += `<NextRecordIdentifier>${esc(next.SetIdentifier)}</NextRecordIdentifier>`;
    }
    return `${xml}<MaxItems>${max}</MaxItems></ListResourceRecordSetsResponse>`;
  }

  private changeRecords(zoneId: string, body: string): string {
    const z = this.zone(zoneId);
    let doc: XNode;
    try {
      doc = parseXml(body);
    } catch (e) {
      throw new HttpError(400, 'InvalidInput', (e as Error).message);
    }
    if (doc.name !== 'ChangeResourceRecordSetsRequest')
      throw new HttpError(400, 'InvalidInput', `unexpected <${doc.name}>`);
    const batch = child(doc, 'ChangeBatch');
    const comment = text(batch, 'Comment');
    const changes = children(child(batch, 'Changes'), 'Change').map((c) => ({
      action: text(c, 'Action') ?? '',
      record: readRecord(child(c, 'ResourceRecordSet')),
    }));
    if (changes.length === 0) throw new HttpError(400, 'InvalidInput', 'ChangeBatch has no changes');

    // Request limits, an UPSERT counting twice for records and characters.
    let records = 0;
    let chars = 0;
    for (const c of changes) {
      const f = c.action === 'UPSERT' ? 2 : 1;
      const rr = c.record.ResourceRecords ?? [];
      records += rr.length * f;
      chars += rr.reduce((s, v) => s + v.Value.length, 0) * f;
    }
    const limitErrors: string[] = [];
    if (changes.length > this.limits.maxChanges)
      limitErrors.push(`Number of changes limit of ${this.limits.maxChanges} exceeded.`);
    if (records > this.limits.maxRecords)
      limitErrors.push(`Number of records limit of ${this.limits.maxRecords} exceeded.`);
    if (chars > this.limits.maxValueChars)
      limitErrors.push(`Maximum characters per request limit of ${this.limits.maxValueChars} exceeded.`);
    if (limitErrors.length) throw new HttpError(400, 'InvalidChangeBatch', `[${limitErrors.join(', ')}]`);

    // Validate and apply on a copy; commit only when every change is valid.
    const state = new Map(z.records.map((r) => [rrKey(r), r]));
    const touched = new Set<string>();
    const errors: string[] = [];
    for (const { action, record } of changes) {
      const key = rrKey(record);
      const label = `[name='${record.Name}', type='${record.Type}'${record.SetIdentifier !== undefined ? `, set-identifier='${record.SetIdentifier}'` : ''}]`;
      if (touched.has(key)) {
        errors.push(`The request contains an invalid set of changes for a resource record set ${label}`);
        continue;
      }
      touched.add(key);
      if (record.Name !== z.name && !record.Name.endsWith(`.${z.name}`)) {
        errors.push(`RRSet with DNS name ${record.Name} is not permitted in zone ${z.name}`);
        continue;
      }
      if (!record.AliasTarget && !record.ResourceRecords?.length) {
        errors.push(
          `Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords]], but found none in Change with ${label}`,
        );
        continue;
      }
      const existing = state.get(key);
      if (action === 'CREATE' || action === 'UPSERT') {
        if (action === 'CREATE' && existing) {
          errors.push(`Tried to create resource record set ${label} but it already exists`);
          continue;
        }
        const sameName = [...state.values()].filter((r) => r.Name === record.Name && rrKey(r) !== key);
        if ((record.Type === 'CNAME' && sameName.length > 0) || sameName.some((r) => r.Type === 'CNAME')) {
          errors.push(
            `RRSet of type CNAME with DNS name ${record.Name} is not permitted as it conflicts with other records with the same DNS name in zone ${z.name}`,
          );
          continue;
        }
        state.set(key, record);
      } else if (action === 'DELETE') {
        if (!existing) {
          errors.push(`Tried to delete resource record set ${label} but it was not found`);
          continue;
        }
        if (!sameValues(existing, record)) {
          errors.push(
            `Tried to delete resource record set ${label} but the values provided do not match the current values`,
          );
          continue;
        }
        state.delete(key);
      } else {
        errors.push(`Invalid Action '${action}'`);
      }
    }
    if (errors.length) throw new HttpError(400, 'InvalidChangeBatch', `[${errors.join(', ')}]`);

    z.records = [...state.values()].sort(compareRecords);
    const id = `C${String(++this.changeCounter).padStart(13, '0')}`;
    const submittedAt = new Date().toISOString();
    this.changes.set(id, { polls: 0, submittedAt, ...(comment !== undefined ? { comment } : {}) });
    this.committed.push({ id, changes, ...(comment !== undefined ? { comment } : {}) });
    return (
      `<?xml version="1.0" encoding="UTF-8"?>\n<ChangeResourceRecordSetsResponse xmlns="${R53_NS}">` +
      this.changeInfoXml(id, 'PENDING') +
      `</ChangeResourceRecordSetsResponse>`
    );
  }

  private changeInfoXml(id: string, status: string): string {
    const c = this.changes.get(id)!;
    return (
      `<ChangeInfo><Id>/change/${id}</Id><Status>${status}</Status><SubmittedAt>${c.submittedAt}</SubmittedAt>` +
      (c.comment !== undefined ? `<Comment>${esc(c.comment)}</Comment>` : '') +
      `</ChangeInfo>`
    );
  }

  private getChange(rawId: string): string {
    const id = rawId.replace(/^\/?change\//, '');
    const c = this.changes.get(id);
    if (!c) throw new HttpError(404, 'NoSuchChange', `A change with the specified change ID does not exist: ${id}`);
    const status = c.polls++ < this.pendingPolls ? 'PENDING' : 'INSYNC';
    return `<?xml version="1.0" encoding="UTF-8"?>\n<GetChangeResponse xmlns="${R53_NS}">${this.changeInfoXml(id, status)}</GetChangeResponse>`;
  }

  // ---------------------------------------------------------------------------------------------- ELBv2

  private elbEnvelope(action: string, result: string, n = this.requestCounter): string {
    return (
      `<${action}Response xmlns="${ELB_NS}"><${action}Result>${result}</${action}Result>` +
      `<ResponseMetadata><RequestId>req-${n}</RequestId></ResponseMetadata></${action}Response>`
    );
  }

  private describeLoadBalancers(q: URLSearchParams): string {
    const pageSize = Math.min(Number(q.get('PageSize') ?? 400) || 400, this.elbPageSize);
    const marker = q.get('Marker');
    const start = marker
      ? Number(
          Buffer.from(marker, 'base64')
            .toString('utf8')
            .replace(/^offset:/, ''),
        )
      : 0;
    if (!Number.isInteger(start) || start < 0) throw new HttpError(400, 'ValidationError', 'Invalid Marker');
    const page = this.loadBalancers.slice(start, start + pageSize);
    const more = start + pageSize < this.loadBalancers.length;
    const members = page
      .map(
        (lb) =>
          `<member><LoadBalancerArn>${esc(lb.arn)}</LoadBalancerArn><DNSName>${esc(lb.dnsName)}</DNSName>` +
          `<CanonicalHostedZoneId>${esc(lb.canonicalHostedZoneId)}</CanonicalHostedZoneId>` +
          `<CreatedTime>2024-01-01T00:00:00.000Z</CreatedTime><LoadBalancerName>${esc(lb.name)}</LoadBalancerName>` +
          `<Scheme>${lb.scheme ?? 'internal'}</Scheme><VpcId>vpc-0123456789abcdef0</VpcId>` +
          `<State><Code>${lb.state ?? 'active'}</Code></State><Type>${lb.type ?? 'network'}</Type>` +
          `<IpAddressType>${lb.ipAddressType ?? 'dualstack'}</IpAddressType></member>`,
      )
      .join('');
    const next = more ? `<NextMarker>${Buffer.from(`offset:${start + pageSize}`).toString('base64')}</NextMarker>` : '';
    return this.elbEnvelope('DescribeLoadBalancers', `<LoadBalancers>${members}</LoadBalancers>${next}`);
  }

  private describeTags(q: URLSearchParams): string {
    const arns: string[] = [];
    for (let i = 1; q.has(`ResourceArns.member.${i}`); i++) arns.push(q.get(`ResourceArns.member.${i}`)!);
    if (arns.length === 0) throw new HttpError(400, 'ValidationError', 'ResourceArns is required');
    if (arns.length > 20) {
      throw new HttpError(
        400,
        'ValidationError',
        `1 validation error detected: Value at 'resourceArns' failed to satisfy constraint: Member must have length less than or equal to 20`,
      );
    }
    const descs = arns.map((arn) => {
      const lb = this.loadBalancers.find((l) => l.arn === arn);
      if (!lb) throw new HttpError(400, 'LoadBalancerNotFound', `Load balancers '[${arn}]' not found`);
      const tags = Object.entries(lb.tags)
        .map(([k, v]) => `<member><Key>${esc(k)}</Key><Value>${esc(v)}</Value></member>`)
        .join('');
      return `<member><ResourceArn>${esc(arn)}</ResourceArn><Tags>${tags}</Tags></member>`;
    });
    return this.elbEnvelope('DescribeTags', `<TagDescriptions>${descs.join('')}</TagDescriptions>`);
  }
}

/** A load balancer as the AWS Load Balancer Controller would make it for kube-system/clustermesh-apiserver. */
export function clustermeshLoadBalancer(
  cluster: string,
  index: number,
  extra: Partial<FakeLoadBalancer> = {},
): FakeLoadBalancer {
  const hash = index.toString(16).padStart(12, '0');
  const name = `k8s-kubesyst-clusterm-${hash.slice(0, 10)}`;
  return {
    arn: `arn:aws:elasticloadbalancing:eu-central-1:123456789012:loadbalancer/net/${name}/${hash}${hash.slice(0, 4)}`,
    name,
    dnsName: `${name}-${hash}.elb.eu-central-1.amazonaws.com`,
    canonicalHostedZoneId: 'Z3F0SRJ5LGBH90',
    ipAddressType: 'dualstack',
    tags: {
      'service.k8s.aws/stack': 'kube-system/clustermesh-apiserver',
      'service.k8s.aws/resource': 'LoadBalancer',
      'elbv2.k8s.aws/cluster': cluster,
    },
    ...extra,
  };
}

/** Fake static credentials for the SDK's standard chain; never real ones, and no network but 127.0.0.1. */
export function useFakeCredentials(): void {
  process.env.AWS_ACCESS_KEY_ID = 'AKIAFAKEFAKEFAKEFAKE';
  process.env.AWS_SECRET_ACCESS_KEY = 'fake/secret/key/for/tests/only/000000000';
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  process.env.AWS_REGION = 'eu-central-1';
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  process.env.AWS_CONFIG_FILE = '/nonexistent/meshfleet-test-aws-config';
  process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/meshfleet-test-aws-credentials';
}
