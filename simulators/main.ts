/**
 * `npm run sim -- <partner> [--port N] [--demo N]`: starts one partner simulator alone and prints one JSON line
 * `{"partner","baseUrl","credentials"}` so scripts can use it.
 */
import { simulatorRegistry, type PartnerName } from './registry';

function parseArgs(argv: string[]): { partner: PartnerName; port: number; demoRecords: number } {
  const [partner, ...rest] = argv;
  const known = Object.keys(simulatorRegistry);
  if (!partner || !known.includes(partner)) {
    throw new Error(`usage: npm run sim -- <${known.join('|')}> [--port N] [--demo N]; got ${partner ?? 'nothing'}`);
  }
  let port = 0;
  let demoRecords = 50;
  for (let i = 0; i < rest.length; i += 2) {
    const flag = rest[i];
    const value = Number(rest[i + 1]);
    if (!Number.isInteger(value) || value < 0) throw new Error(`${flag} needs a whole number, got ${rest[i + 1]}`);
    if (flag === '--port') port = value;
    else if (flag === '--demo') demoRecords = value;
    else throw new Error(`unknown flag ${flag}; use --port N or --demo N`);
  }
  return { partner: partner as PartnerName, port, demoRecords };
}

async function main(): Promise<void> {
  const { partner, port, demoRecords } = parseArgs(process.argv.slice(2));
  const sim = await simulatorRegistry[partner]!({ port, demoRecords });
  process.stdout.write(JSON.stringify({ partner: sim.partner, baseUrl: sim.baseUrl, credentials: sim.credentials }) + '\n');
  const stop = () => void sim.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
