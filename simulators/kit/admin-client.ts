import type { LoggedRequest } from './request-log';

/** The HTTP side of a typed client for a simulator's `/__admin` surface (tests, the demo, the benchmarks). */
export class SimAdminClient {
  constructor(
    protected readonly rootUrl: string,
    private readonly simulator: string,
  ) {}

  /** JSON in and out; an empty answer is undefined; any non-2xx throws with the simulator's answer. */
  protected async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.rootUrl}/__admin${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${this.simulator} admin ${method} ${path}: HTTP ${res.status} ${text}`);
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }
}

/** For simulators that keep a kit RequestLog behind `/__admin/requests`. */
export class LoggingSimAdminClient extends SimAdminClient {
  /** Requests logged after `sinceSeq`, oldest first. */
  async requests(sinceSeq = 0): Promise<LoggedRequest[]> {
    return (await this.call<{ data: LoggedRequest[] }>('GET', `/requests?since=${sinceSeq}`)).data;
  }
  clearRequests(): Promise<void> {
    return this.call('DELETE', '/requests');
  }
}
