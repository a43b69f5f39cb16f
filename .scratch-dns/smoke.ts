import { FakeAws, clustermeshLoadBalancer, useFakeCredentials } from '/work/main/test/support/fake-aws.ts';
import { dnsCommand } from '/work/main/src/dns/index.ts';
useFakeCredentials();
const fake = new FakeAws();
fake.addZone('Z0MESH', 'cluster-mesh.example.internal', [
  { Name: 'cluster-mesh.example.internal', Type: 'SOA', TTL: 900, ResourceRecords: [{ Value: 'ns-1.awsdns-00.org. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400' }] },
  { Name: 'manual.cluster-mesh.example.internal', Type: 'AAAA', AliasTarget: { HostedZoneId: 'Z1', DNSName: 'x.elb.amazonaws.com', EvaluateTargetHealth: false } },
]);
fake.loadBalancers = [clustermeshLoadBalancer('airflow-production-1', 1), clustermeshLoadBalancer('trino-production-0', 2)];
const url = await fake.start();
const spec = {
  fleet: 'sneaks', hostedZoneId: '/hostedzone/Z0MESH', zone: 'cluster-mesh.example.internal', ipFamily: 'ipv6' as const,
  endpoints: [
    { cluster: 'airflow-production-1', fqdn: 'production-1.airflow.cluster-mesh.example.internal' },
    { cluster: 'trino-production-0', fqdn: 'production-0.trino.cluster-mesh.example.internal' },
    { cluster: 'data-bolt', fqdn: 'manual.cluster-mesh.example.internal', target: { dnsName: 'y.elb.amazonaws.com', hostedZoneId: 'Z2' } },
  ],
};
const o = { endpoint: url, region: 'eu-central-1', out: (l: string) => console.log(l), err: (l: string) => console.error('ERR ' + l), tuning: { baseDelayMs: 1, pollIntervalMs: 1 } };
console.log('exit', await dnsCommand('plan', spec, { ...o, detailedExitcode: true }));
console.log('exit', await dnsCommand('apply', spec, o));
console.log('exit', await dnsCommand('apply', spec, o));
console.log('exit', await dnsCommand('plan', spec, { ...o, json: true }));
console.log(fake.calls.map(c => c.op).join(' '));
await fake.stop();
