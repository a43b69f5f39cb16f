/**
 * The one rule for a mesh endpoint's DNS name, used by `validate` (on the rendered template) and by `meshfleet dns`
 * (on the names it is asked to publish), so that what one accepts the other does too.
 *
 * The name is a host name peers dial and the clustermesh-apiserver's certificate names: dot-separated labels of
 * lowercase letters, digits and "-", each starting and ending with a letter or digit, at most 63 characters a label
 * and 253 in all (RFC 1123). Underscores are not allowed: they are not valid in a host name or a certificate's DNS SAN.
 */

const MAX_NAME = 253;
const MAX_LABEL = 63;
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Why `name` is not a valid endpoint name, as a phrase to follow "is not a valid DNS name: "; undefined when it is. */
export function dnsNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'it is empty';
  if (name.length > MAX_NAME) return `it is ${name.length} characters; at most ${MAX_NAME} are allowed`;
  for (const label of name.split('.')) {
    if (label.length === 0) return 'it has an empty label (two dots in a row, or a dot at an end)';
    if (label.length > MAX_LABEL)
      return `label "${label}" is ${label.length} characters; at most ${MAX_LABEL} are allowed`;
    if (!LABEL.test(label)) {
      return `label "${label}" must be lowercase letters, digits and "-", starting and ending with a letter or digit`;
    }
  }
  return undefined;
}
