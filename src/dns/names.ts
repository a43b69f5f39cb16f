/** Name normalisation for comparing what fleet.yaml says with what Route 53 and ELBv2 return. */

/** Lower case, Route 53 octal escapes decoded, no trailing dot. */
export function normalizeName(name: string): string {
  return name
    .replace(/\\(\d{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)))
    .toLowerCase()
    .replace(/\.$/, '');
}

/** The form Route 53 stores: lower case with a trailing dot. */
export function toRoute53Name(name: string): string {
  return `${normalizeName(name)}.`;
}

/**
 * Alias DNS names compare case-insensitively, without the trailing dot and without the `dualstack.` prefix
 * Route 53 adds for some load balancers.
 */
export function normalizeAliasDnsName(name: string): string {
  return normalizeName(name).replace(/^dualstack\./, '');
}

/** Hosted zone ids may come as '/hostedzone/Z123' or 'Z123'. */
export function normalizeZoneId(id: string): string {
  return id.trim().replace(/^\/?hostedzone\//, '');
}

/** True when `name` is the zone apex or below it. */
export function isInZone(name: string, zone: string): boolean {
  const n = normalizeName(name);
  const z = normalizeName(zone);
  return n === z || n.endsWith(`.${z}`);
}
