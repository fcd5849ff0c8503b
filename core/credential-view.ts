/**
 * What an API response may say about stored credentials: which secrets are set, never their values. A whitelist,
 * not a blacklist: a field is shown only when it is named here as non-secret (the auth method and the user name);
 * every other field, including ones added later, shows as 'set'.
 */
const NON_SECRET_FIELDS = new Set(['method', 'oprid', 'username', 'email', 'clientId']);

export type CredentialView = Record<string, Record<string, string>>;

export function credentialView(credentials: Record<string, unknown>): CredentialView {
  const out: CredentialView = {};
  for (const [side, value] of Object.entries(credentials)) {
    const fields: Record<string, string> = {};
    if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        fields[k] = NON_SECRET_FIELDS.has(k) && typeof v === 'string' ? v : 'set';
      }
    }
    out[side] = fields;
  }
  return out;
}
