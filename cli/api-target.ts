import { readLocalAdminKey, type LocalAdminKey } from '../runtime/local-admin-key-file';
import { CliError } from './api-client';

const DEFAULT_URL = 'http://127.0.0.1:3000';

const originOf = (url: string): string | undefined => {
  try {
    return new URL(url).origin.replace('//localhost', '//127.0.0.1');
  } catch {
    return undefined;
  }
};

/**
 * Which API `mlc` calls and with which key: --api-url/--api-key, else MLC_API_URL/MLC_API_KEY. Outside production,
 * with no key given, the local admin key `npm start` stored in the data dir (`.data/local-admin-key.json`) is used for
 * the API it belongs to, and only for that one: a key is never sent to another server by default.
 */
export function resolveApiTarget(
  flags: { apiUrl?: string; apiKey?: string },
  env: Record<string, string | undefined>,
  readLocal: () => LocalAdminKey | undefined = () => readLocalAdminKey(env.MLC_DATA_DIR ?? '.data'),
): { url: string; key: string } {
  const url = flags.apiUrl ?? env.MLC_API_URL;
  const key = flags.apiKey ?? env.MLC_API_KEY;
  if (key) return { url: url ?? DEFAULT_URL, key };
  if (env.NODE_ENV !== 'production') {
    const local = readLocal();
    if (local && (!url || originOf(url) === originOf(local.apiUrl))) return { url: url ?? local.apiUrl, key: local.key };
  }
  throw new CliError(
    env.NODE_ENV === 'production'
      ? 'no API key: set MLC_API_KEY or pass --api-key'
      : 'no API key: start the stack with `npm start` (it stores a local admin key in .data/), or set MLC_API_KEY / pass --api-key (create one with `npm run api-key -- create --admin`)',
  );
}
