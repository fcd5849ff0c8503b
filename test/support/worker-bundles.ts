/**
 * The test worker processes' entry scripts, built once per run into plain CommonJS (esbuild; packages stay in
 * node_modules). Started through tsx, each process compiled our TypeScript again: loading the pair worker up to reading
 * its settings took 4.2-4.7 s of CPU, against 2.0-2.1 s built (idle machine), and R1 alone starts more than a hundred
 * of them (20 kills per pair) while the fault suite keeps both cores busy. Where no built file exists (a test run
 * without global-setup's services), startWorkerProcess falls back to tsx.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { build, type Plugin } from 'esbuild';

/** The worker entry scripts startWorkerProcess is given, as paths under the repository root. */
export const WORKER_SCRIPTS = ['test/fixtures/pair-worker.ts', 'test/fixtures/engine-worker.ts'] as const;

/**
 * Our modules find files beside them with __dirname (workers/create-worker.ts's workflows, runtime/payload-codec.ts's
 * failure converter); in one bundled file __dirname would be the bundle's directory, so each of our modules gets its
 * own directory written in.
 */
function keepSourceDirname(root: string): Plugin {
  return {
    name: 'keep-source-dirname',
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, async (args) => {
        if (!args.path.startsWith(root) || args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
        const source = await readFile(args.path, 'utf8');
        if (!/\b__(dirname|filename)\b/.test(source)) return undefined;
        const contents = source
          .replace(/\b__dirname\b/g, JSON.stringify(path.dirname(args.path)))
          .replace(/\b__filename\b/g, JSON.stringify(args.path));
        return { contents, loader: 'ts' };
      });
    },
  };
}

function outFileFor(outDir: string, script: string): string {
  return path.join(outDir, `${path.basename(script, '.ts')}.cjs`);
}

/**
 * Builds every WORKER_SCRIPTS entry into outDir (which must sit inside the repository, so `require` of a package
 * finds node_modules by walking up). Returns script path (relative to root) to built file.
 */
export async function bundleWorkerScripts(root: string, outDir: string): Promise<Record<string, string>> {
  const built: Record<string, string> = {};
  await Promise.all(
    WORKER_SCRIPTS.map(async (script) => {
      const outfile = outFileFor(outDir, script);
      await build({
        entryPoints: [path.join(root, script)],
        outfile,
        bundle: true,
        platform: 'node',
        format: 'cjs',
        target: 'node20',
        packages: 'external',
        sourcemap: true,
        logLevel: 'error',
        plugins: [keepSourceDirname(root)],
      });
      built[script] = outfile;
    }),
  );
  return built;
}

/** The built file for a script started by startWorkerProcess, if this run built one. */
export function builtWorkerScript(root: string, script: string, builtScripts: Record<string, string> | undefined): string | undefined {
  if (!builtScripts) return undefined;
  return builtScripts[path.relative(root, script).split(path.sep).join('/')];
}
