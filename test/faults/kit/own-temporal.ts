import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { encryptedDataConverter } from '../../../runtime/payload-codec';
import { startTemporalDevServer, type TemporalDevServer } from '../../../runtime/temporal-dev-server';
import { testMasterKey, testServices } from '../../support/env';

const TEST_DATA_DIR = path.resolve(__dirname, '..', '..', '..', '.data', 'test');

/**
 * A Temporal dev server a fault scenario owns (R2, issue 18's outage test): its own process, port and SQLite file, so
 * it can be killed (-9) and restarted on the same file without touching the jest run's shared server, which other
 * tests use. Open runs, activity timers and task queues survive in the file; workers and clients reconnect by
 * themselves to the same address.
 */
export class OwnTemporal {
  client!: Client;
  private server!: TemporalDevServer;
  private readonly dir = path.join(TEST_DATA_DIR, `faults-${process.pid}-${randomUUID().slice(0, 8)}`);

  get address(): string {
    return this.server.address;
  }

  get namespace(): string {
    return this.server.namespace;
  }

  /** The server on a free port and a fresh SQLite file, and a client with the product's payload encryption. */
  async start(): Promise<void> {
    mkdirSync(this.dir, { recursive: true });
    await this.startServer(0);
    const connection = await Connection.connect({ address: this.server.address });
    this.client = new Client({ connection, namespace: this.server.namespace, dataConverter: encryptedDataConverter(testMasterKey()) });
  }

  /** Temporal gone for everyone: the server process group is killed (-9); its state stays in the SQLite file. */
  async crash(): Promise<void> {
    process.kill(-this.server.pid, 'SIGKILL');
    await this.server.exited;
    // Releases the lock on the SQLite file, so the same file can be opened again.
    await this.server.stop();
  }

  /** The same server again: same port, same SQLite file; open runs and activity timers carry on from there. */
  async restart(): Promise<void> {
    await this.startServer(Number(this.server.address.split(':').pop()));
  }

  async stop(): Promise<void> {
    await this.client?.connection.close().catch(() => undefined);
    await this.server?.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async startServer(port: number): Promise<void> {
    this.server = await startTemporalDevServer({
      cli: { path: testServices().temporalCli, source: 'env' },
      log: () => undefined,
      overrides: { port, headless: true, dbFile: path.join(this.dir, 'temporal.db') },
    });
  }
}
