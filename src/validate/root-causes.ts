import { formatPath, type Problem } from '../diagnostics.ts';
import { obj, list, str } from './raw.ts';

/**
 * Leaves out what follows from another problem, so that the cause is what a person reads: a missing field's
 * messages when a misspelt key meant it is reported, and the JSON Schema's message about a field a rule also
 * reports (the rule says why); of several schema messages about one field, the first.
 */
export function withoutKnockOns(problems: readonly Problem[]): Problem[] {
  const meant = new Set(problems.flatMap((p) => (p.meant ? [formatPath(p.meant)] : [])));
  const ruled = new Set(
    problems.filter((p) => !p.fromSchema && p.severity !== 'warning').map((p) => formatPath(p.path)),
  );
  const schemaSeen = new Set<string>();
  return problems.filter((p) => {
    if (p.missing?.some((m) => meant.has(formatPath(m)))) return false;
    if (!p.fromSchema || p.meant || p.atKey) return true;
    const field = formatPath(p.path);
    // The document and a whole cluster are not one field: what is said about them is said about different things.
    if (p.path.length < 3) return true;
    if (ruled.has(field) || schemaSeen.has(field)) return false;
    schemaSeen.add(field);
    return true;
  });
}

/** `clusters[5] (trino-adhoc).id`: a cluster named in a message by its index is also named by its name. */
export function namingClusters(data: unknown): (message: string) => string {
  const names = list(obj(data).clusters).map((c) => str(obj(c).name));
  return (message) =>
    message.replace(/(?<!\.)\bclusters\[(\d+)\](?! \()/g, (whole, i: string, offset: number) => {
      const name = names[Number(i)];
      return name !== undefined &&
        /^[\w.-]{1,64}$/.test(name) &&
        !message.startsWith(` "${name}"`, offset + whole.length)
        ? `${whole} (${name})`
        : whole;
    });
}
