import { ConfigError, parseConfig, type AppConfig } from '../core/config';

/** Boot-time config: parse once, and stop the process with a clear message if it is wrong. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): AppConfig {
  try {
    return parseConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
}
