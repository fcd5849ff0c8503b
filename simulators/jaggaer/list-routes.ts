import { Router } from 'express';
import { RETURN_CODES, sendReturnCode } from './envelope';
import { FilterError, matches, parseFilter } from './filters';
import { setAt, simResourceNames, simResources, type SimResource } from './resources';
import type { SimContext } from './context';

/**
 * GET <resource>?start=N&flt=...: `start` is 1-based (ccs-scale-cat-service; bravo-api `startAt = 1`), the page size
 * is the server's (JAGGAER's is UNCONFIRMED; `settings.pageSize` here), and `totRecords` counts every match so a
 * client knows when to stop (partner-apis.md part 2 §4). A bad start or filter is HTTP 200 with a non-zero returnCode.
 */
export function listRoutes(ctx: SimContext): Router {
  const r = Router();
  for (const resource of simResourceNames) {
    r.get(simResources[resource].path, (req, res) => {
      const startRaw = req.query.start ?? '1';
      const start = typeof startRaw === 'string' && /^\d+$/.test(startRaw) ? Number(startRaw) : NaN;
      if (!Number.isInteger(start) || start < 1) return sendReturnCode(res, RETURN_CODES.invalidRequest, `Invalid parameter start: ${String(startRaw)}`);
      let terms;
      try {
        terms = parseFilter(resource, req.query.flt);
      } catch (err) {
        if (err instanceof FilterError) return sendReturnCode(res, RETURN_CODES.invalidRequest, err.message);
        throw err;
      }
      const all = ctx.store.sorted(resource).filter((d) => matches(resource, d, terms));
      const page = all.slice(start - 1, start - 1 + ctx.settings.pageSize);
      res.json(listAnswer(resource, all.length, start, page.map((d) => d.doc)));
    });
  }
  return r;
}

export function listAnswer(resource: SimResource, total: number, start: number, docs: unknown[]): Record<string, unknown> {
  const answer: Record<string, unknown> = { returnCode: RETURN_CODES.ok, returnMessage: '', totRecords: total, returnedRecords: docs.length, startAt: start };
  // An empty page still names its list (UCLA's sample shows the wrapper; an empty one is UNCONFIRMED).
  setAt(answer, simResources[resource].listPath, docs);
  return answer;
}
