/** An OAuth access token and when the partner said it expires. */
export interface AccessToken {
  accessToken: string;
  expiresAt: Date;
}

/**
 * Where one connection side's current OAuth access token lives between activities, workers and restarts. Injected
 * into connectors (like telemetry), so connectors never see the database; db/oauth-tokens.ts keeps it encrypted in
 * PostgreSQL, memoryTokenStore() keeps it for one connector's lifetime.
 */
export interface OAuthTokenStore {
  /** What is stored now, without waiting for a refresh in progress elsewhere. */
  load(): Promise<AccessToken | undefined>;
  /**
   * Runs `renew` while no other caller of this store (in any worker) is inside `exclusive`, so at most one refresh
   * runs at a time. `renew` gets what is stored now and returns either that same object (nothing is written) or a
   * new token, which is stored before the lock is released: callers that waited then find it and refresh nothing.
   */
  exclusive(renew: (stored: AccessToken | undefined) => Promise<AccessToken>): Promise<AccessToken>;
}

/** A store that forgets on exit: for connectors used without a database (tests, benchmarks, the demo). */
export function memoryTokenStore(): OAuthTokenStore {
  let stored: AccessToken | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  return {
    load: () => Promise.resolve(stored),
    exclusive(renew) {
      const run = queue.then(async () => {
        const next = await renew(stored);
        stored = next;
        return next;
      });
      queue = run.catch(() => undefined);
      return run;
    },
  };
}
