import type { ClusterPlan } from '../plan/types.ts';
import { HEADER } from '../synth/header.ts';
import { vaultGrants } from './grants.ts';

/**
 * The first characters of every JSON file meshfleet writes: JSON has no comments, so the writer's mark of ownership
 * is a first key `//`, which Vault ignores (with a warning) when the file is given to `vault write`.
 */
export const JSON_HEADER = `{\n  "//": ${JSON.stringify(HEADER.replace(/^# /, '').trimEnd())},\n`;

/** The name of the cluster's Vault policy: that of its role, which is the only thing that uses it. */
export function policyName(plan: ClusterPlan): string {
  return plan.vault.role;
}

/**
 * A cluster's files under `vault/<cluster>/`: what an operator applies to Vault for that cluster, never synced to it.
 * `policy.hcl` (its role's policy), `role.json` (the Kubernetes auth role, as `vault write` takes it), `readme.md` (how to apply them; lowercase, as every path meshfleet writes).
 */
export function vaultFiles(plan: ClusterPlan): Map<string, string> {
  return new Map([
    ['readme.md', readme(plan)],
    ['policy.hcl', policyHcl(plan)],
    ['role.json', roleJson(plan)],
  ]);
}

export function policyHcl(plan: ClusterPlan): string {
  const blocks = vaultGrants(plan).map((g) => `# ${g.reason}\npath ${JSON.stringify(g.path)} {\n  capabilities = [${g.capabilities.map((c) => JSON.stringify(c)).join(', ')}]\n}\n`);
  return `${HEADER}# Vault policy ${policyName(plan)}: what the ClusterSecretStore ${JSON.stringify(plan.vault.store)} of cluster ${plan.name} reads and writes, and nothing else.\n\n${blocks.join('\n')}`;
}

/** The fields of `auth/<mount>/role/<role>`; token_policies is the current name of the deprecated `policies`. */
export function roleJson(plan: ClusterPlan): string {
  const { serviceAccount } = plan.vault;
  const body = JSON.stringify({
    bound_service_account_names: [serviceAccount.name],
    bound_service_account_namespaces: [serviceAccount.namespace],
    token_policies: [policyName(plan)],
  }, null, 2);
  return `${JSON_HEADER}${body.slice(2)}\n`;
}

function readme(plan: ClusterPlan): string {
  const { authMountPath, role } = plan.vault;
  return `${HEADER}
# Vault access of cluster ${plan.name}

Not synced to the cluster: apply these to Vault (with a token allowed to manage policies and auth roles) whenever a
render changes them, before the cluster needs the new access.

\`\`\`console
vault policy write ${policyName(plan)} policy.hcl
vault write auth/${authMountPath}/role/${role} @role.json
\`\`\`

The Kubernetes auth mount \`${authMountPath}\` must exist and point at the cluster's API server
(\`vault auth enable -path=${authMountPath} kubernetes\`, then \`vault write auth/${authMountPath}/config kubernetes_host=...\`).
Vault warns that it ignored the parameter \`//\` of role.json: that key only marks the file as meshfleet's.
A cluster that leaves the fleet loses this folder; delete its role and policy from Vault then
(\`vault delete auth/${authMountPath}/role/${role}\`, \`vault policy delete ${policyName(plan)}\`).
`;
}
