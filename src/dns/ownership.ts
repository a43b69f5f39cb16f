/**
 * Ownership records, in the manner of ExternalDNS's TXT registry.
 *
 * Beside every name meshfleet manages it keeps one TXT record set at the same name holding exactly one value:
 *
 *     "heritage=meshfleet,meshfleet/fleet=<fleet>,meshfleet/resource=<cluster>"
 *
 * A name whose TXT record set is exactly that value (for this fleet) is owned: meshfleet may create, update
 * and delete the A and AAAA alias records at that name, and the TXT itself. Anything else (no TXT, a TXT
 * with other or additional values, a TXT naming another fleet) is not owned and is never changed.
 */

export const HERITAGE = 'meshfleet';

export interface Owner {
  readonly fleet: string;
  readonly resource: string;
}

/** The TXT value (with the surrounding quotes Route 53 stores) that marks a name as owned. */
export function ownershipValue(fleet: string, resource: string): string {
  return `"heritage=${HERITAGE},${HERITAGE}/fleet=${fleet},${HERITAGE}/resource=${resource}"`;
}

/** Parses a TXT value written by {@link ownershipValue}; undefined for anything else. */
export function parseOwnershipValue(value: string): Owner | undefined {
  const m = /^"(.*)"$/s.exec(value.trim());
  if (!m) return undefined;
  const body = m[1]!;
  if (body.includes('"')) return undefined; // several character-strings: not ours
  const fields = new Map<string, string>();
  for (const part of body.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) return undefined;
    fields.set(part.slice(0, eq), part.slice(eq + 1));
  }
  if (fields.get('heritage') !== HERITAGE) return undefined;
  const fleet = fields.get(`${HERITAGE}/fleet`);
  const resource = fields.get(`${HERITAGE}/resource`);
  if (!fleet || resource === undefined) return undefined;
  return { fleet, resource };
}

/** Characters a fleet or cluster name may not contain, since they would break the TXT value's syntax. */
export const FORBIDDEN_OWNER_CHARS = /[",=\\\s]/;
