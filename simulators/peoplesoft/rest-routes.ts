import { type Request, type Response, Router } from 'express';
import { parseAuthorization } from './auth';
import { ROUTING_NOT_FOUND_HTML, ROUTING_NOT_FOUND_STATUS, wrongNodeHtml } from './errors';
import { countRequest, isActive, type PsSimState } from './state';
import { type TableName, tableNames, tables } from './tables';

const DAY_MS = 86_400_000;

function tableForOperation(operation: string): TableName | undefined {
  return tableNames.find((t) => tables[t].restOperation.toUpperCase() === operation.toUpperCase());
}

function parseInstant(value: unknown, fallback: number): number | undefined {
  if (value === undefined) return fallback;
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * RESTListeningConnector: `/PSIGW/RESTListeningConnector/{NODE}/{OPERATION}.v{n}/{template}`. No node security and
 * only the Authorization header is read: https://ib.books.cedarhillsgroup.com/listeningconnectors/restlisteningconnector/
 */
export function restRouter(state: PsSimState): Router {
  const router = Router();

  router.get('/PSIGW/RESTListeningConnector/:node/:operation{/*template}', async (req: Request, res: Response) => {
    const { node, operation: segment } = req.params as { node: string; operation: string };
    if (node.toUpperCase() !== state.config.node.toUpperCase()) {
      res.status(500).type('text/html').send(wrongNodeHtml(node));
      return;
    }
    // The routing is found before authentication because the operation decides how its caller authenticates
    // (REST "Req Verification" is per operation):
    // https://docs.oracle.com/cd/F44947_01/pt858pbr3/eng/pt/tibr/task_DefiningGeneralRESTServiceOperationInformation.html
    const m = /^(.+)\.v(\d+)$/i.exec(segment);
    const operation = m?.[1] ?? segment;
    countRequest(state, operation);
    const table = m?.[2] === '1' ? tableForOperation(operation) : undefined;
    if (!table || !isActive(state, operation)) {
      res.status(ROUTING_NOT_FOUND_STATUS).type('text/html').send(ROUTING_NOT_FOUND_HTML);
      return;
    }
    // Bad credentials and missing permission lists both answer 401: https://ib.books.cedarhillsgroup.com/rest/rest-security/
    const who = state.auth.authenticate(parseAuthorization(req.get('authorization')));
    if (!who.ok || !state.auth.mayInvoke(who.oprid, tables[table].restOperation)) {
      res.status(401).type('text/html').send('<HTML><HEAD><TITLE>401 Unauthorized</TITLE></HEAD><BODY>Unauthorized</BODY></HTML>');
      return;
    }

    const now = state.clock.nowMs();
    const from = parseInstant(req.query.LASTUPDDTTM_FROM, 0);
    const to = parseInstant(req.query.LASTUPDDTTM_TO, now + 1);
    if (from === undefined || to === undefined || from > to) {
      // A handler can only pick 4xx through OnErrorHttpResponseCode: https://ib.books.cedarhillsgroup.com/handlers/onerror/
      res.status(400).json({ errorMessage: 'LASTUPDDTTM_FROM and LASTUPDDTTM_TO must be datetimes with FROM <= TO', errorCode: 'MLC_BAD_RANGE' });
      return;
    }
    const delay = Math.min(state.config.slowQuery.maxMs, ((to - from) / DAY_MS) * state.config.slowQuery.msPerDay);
    if (delay >= 1) await new Promise((resolve) => setTimeout(resolve, delay));

    const rows = state.store.changedBetween(table, new Date(from).toISOString(), new Date(to).toISOString());
    const def = tables[table];
    // A Document-based response: root named after the operation, rows in a collection named after the record. Rows stop
    // at the cap silently, with no flag or total, as a handler's rowset does: its rows are the fewest of the MaxRows it
    // asks for, the user's Query Profile "Max Rows Fetched" and the app server's Max Fetch Size, whatever the client
    // declared: https://docs.oracle.com/en/applications/peoplesoft/peopletools/8.63/peoplecode-api-reference/runtorowset.html
    res.status(200).json({ [`${def.restOperation}_RESP`]: { [def.collection]: rows.slice(0, state.config.rowCap) } });
  });

  return router;
}
