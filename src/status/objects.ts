/** Reading the custom objects status looks for: listed by kind, found by reference, judged by their Ready condition. */
import type { ObjectRef } from './expect.ts';
import { KubeError, type CustomObject, type KubeReader } from './kube.ts';

/**
 * Every object of the kinds the refs need, by refKey: one request per kind instead of one per object. `inNamespaces`
 * lists each kind only in the refs' namespaces (a Role there suffices), else across all namespaces.
 */
export async function listed(
  reader: KubeReader,
  refs: readonly ObjectRef[],
  inNamespaces = false,
): Promise<Map<string, CustomObject>> {
  const kinds = new Map<string, ObjectRef>();
  for (const r of refs)
    kinds.set(`${r.plural}.${r.group}/${r.version}${inNamespaces ? ` ${r.namespace ?? ''}` : ''}`, r);
  const found = new Map<string, CustomObject>();
  await Promise.all(
    [...kinds.values()].map(async (k) => {
      let items: readonly CustomObject[];
      try {
        items = await reader.listCustom(k.group, k.version, k.plural, inNamespaces ? k.namespace : undefined);
      } catch (e) {
        // The whole API missing means its CRD (and so its controller) is not installed.
        if (e instanceof KubeError && e.message.startsWith('not found')) {
          throw new KubeError(`${k.plural}.${k.group} is not served: ${k.kind}'s CRD is not installed`, false);
        }
        throw e;
      }
      for (const o of items) found.set(refKey(k.plural, k.group, o.metadata?.namespace, o.metadata?.name ?? ''), o);
    }),
  );
  return found;
}

export function refKey(plural: string, group: string, namespace: string | undefined, name: string): string {
  return `${plural}.${group} ${namespace ?? ''}/${name}`;
}

export const label = (r: ObjectRef) => `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;

interface Condition {
  readonly type?: string;
  readonly status?: string;
  readonly reason?: string;
  readonly message?: string;
}

export function readyCondition(o: CustomObject): Condition | undefined {
  return ((o.status?.conditions as Condition[] | undefined) ?? []).find((c) => c.type === 'Ready');
}

export function notReady(r: ObjectRef, c: Condition | undefined): string {
  if (!c) return `${label(r)} has no Ready condition yet`;
  const why = [c.reason, c.message?.split('\n')[0]].filter(Boolean).join(': ');
  return `${label(r)} not Ready${why ? ` (${why})` : ''}`;
}
