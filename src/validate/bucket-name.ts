/**
 * S3 bucket naming, as Amazon S3 documents it ("General purpose bucket naming rules") plus the two sequences the
 * MinIO client also refuses (`.-` and `-.`, minio-go s3utils.CheckValidBucketNameStrict). Returns why `name` is
 * refused, or undefined.
 */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return `is ${name.length} characters; bucket names are 3 to 63 characters`;
  if (!/^[a-z0-9.-]+$/.test(name)) return 'may only hold lowercase letters, digits, "." and "-"';
  if (!/^[a-z0-9].*[a-z0-9]$/.test(name)) return 'must begin and end with a letter or digit';
  for (const seq of ['..', '.-', '-.']) if (name.includes(seq)) return `must not contain "${seq}"`;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return 'must not be formatted as an IP address';
  for (const prefix of ['xn--', 'sthree-', 'amzn-s3-demo-'])
    if (name.startsWith(prefix)) return `must not start with "${prefix}"`;
  for (const suffix of ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'])
    if (name.endsWith(suffix)) return `must not end with "${suffix}"`;
  return undefined;
}
