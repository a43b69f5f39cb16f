/** `meshfleet status --help`: kept apart from the command so that help loads nothing else. */
export const STATUS_HELP = `meshfleet status: the running clusters held against the fleet file

Usage:
  meshfleet status [FILE] [--context TEMPLATE] [--kubeconfig PATH] [--json] [--wait DURATION] [--cluster NAME]...

Checks every cluster of FILE (default fleet.yaml) through its kubeconfig context, read-only:
  delivery  Flux Kustomizations and HelmReleases Ready (or Argo CD Applications Synced and Healthy), with the revision
  identity  Cilium's cluster-name, cluster-id and max-connected-clusters (ConfigMap cilium-config) equal the fleet's
  tls       Certificates Ready and not expired (warning under 30 days); ExternalSecrets and PushSecrets Ready
  mesh      every expected peer connected and no other, as KVStoreMesh and the agents report it (their metrics)
  services  each global Service present with the fleet's annotations and port names
  endpoint  the clustermesh-apiserver load balancer has an address (and is the fleet's dns.target, when set);
            with --dns, the endpoint name's Route 53 alias points at it

Options:
  --context TEMPLATE   kubeconfig context per cluster (default {{cluster}}; also {{application}}, {{environment}},
                       {{id}}, {{role}}, {{zone}}, {{fleet}}); a cluster's kubeContext in the fleet file wins
  --kubeconfig PATH    default: $KUBECONFIG, else ~/.kube/config
  --json               one JSON document on stdout
  --wait DURATION      look again until everything matches or DURATION (30s, 10m, 1h) has passed
  --interval DURATION  between --wait rounds (default 10s)
  --cluster NAME       only this cluster (repeat, or separate names with commas)
  --concurrency N      clusters queried at once (default 16)
  --timeout DURATION   per request to an API server (default 10s)
  --dns                read the endpoint names' records from dns.hostedZoneId, as \`meshfleet dns plan\` does
                       (AWS credentials from the usual chain; names kept by ExternalDNS are not compared)
  --endpoint URL       Route 53 endpoint for --dns; --region REGION its region

Exit codes: 0 everything matches, 1 something does not (or could not be checked), 2 wrong usage.
The read-only ClusterRole it needs: docs/status.md.`;
