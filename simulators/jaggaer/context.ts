import type { SimClock } from '../kit/clock';
import type { JaggaerStore } from './store';
import type { TokenServer } from './token-server';

export interface SimSettings {
  /** Records per page (JAGGAER's own page size is UNCONFIRMED). */
  pageSize: number;
}

/** Injected into the next N partner-API calls: HTTP 200 with this non-zero returnCode, whatever the call. */
export interface ReturnCodeFault {
  left: number;
  returnCode: number;
  returnMessage: string;
  /** Only calls whose method is this (e.g. POST); every call when unset. */
  method?: string;
}

/** What every route needs, built once per simulator instance (no module-level state). */
export interface SimContext {
  store: JaggaerStore;
  clock: SimClock;
  tokens: TokenServer;
  settings: SimSettings;
  returnCodeFault: ReturnCodeFault | undefined;
}
