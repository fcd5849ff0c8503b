/** What every simulator's start function returns; `npm run sim -- <partner>` prints the first three as one JSON line. */
export interface RunningSimulator {
  partner: string;
  baseUrl: string;
  /** Credentials a client can use against this simulator (demo values, never real secrets). */
  credentials: Record<string, unknown>;
  close(): Promise<void>;
}

export interface SimulatorOptions {
  port?: number;
  /** Seed demo data (N records per object) on start. */
  demoRecords?: number;
}
