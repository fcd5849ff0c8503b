import express, { type Request, type Response, Router } from 'express';
import { WSDL } from 'soap';
import { parseAuthorization, type Presented } from './auth';
import { type CiDef, type CiOperation, ciOperations, findCiService, responseRoot, requestRoot, schemaNamespace } from './ci-definitions';
import { CiError, runCi } from './ci-handlers';
import { escapeXml, ibFaultEnvelope, notAuthorized, PASSWORD_FAILED, wrongNodeMessage, xmlParseError } from './errors';
import { countRequest, isActive, type PsSimState } from './state';
import { type FieldValue } from './tables';
import { buildWsdl } from './wsdl';

const BASE = '/PSIGW/PeopleSoftServiceListeningConnector';

/** Gateway-level faults (auth, routing, node, parse) are sent with 500, as SOAP 1.1 requires for a Fault. */
function gatewayFault(res: Response, message: string, messageId: number, params: string[] = []): void {
  res.status(500).type('text/xml; charset=UTF-8').send(ibFaultEnvelope(message, messageId, params));
}

/**
 * Errors raised by the CI itself come back with HTTP 200 and an IBResponse type="error", as the handler's OnError
 * does for non-REST operations: https://ib.books.cedarhillsgroup.com/handlers/onerror/
 */
function handlerFault(res: Response, message: string): void {
  res.status(200).type('text/xml; charset=UTF-8').send(ibFaultEnvelope(message, 10001, [message]));
}

function toXml(name: string, value: Record<string, FieldValue>): string {
  const inner = Object.entries(value)
    .map(([k, v]) => (Array.isArray(v) ? v.map((child) => toXml(k, child)).join('') : `<${k}>${escapeXml(String(v))}</${k}>`))
    .join('');
  return `<${name}>${inner}</${name}>`;
}

function locationFor(req: Request, node: string): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}${BASE}/${node}`;
}

/**
 * Which operation a request names. Precedence as the author of https://ib.books.cedarhillsgroup.com/listeningconnectors/peoplesoftservicelisteningconnector/
 * observed: SOAPAction header, then the SOAP 1.2 action parameter, then the query string (?Operation=).
 */
function requestedOperation(req: Request): string | undefined {
  const action = req.get('soapaction')?.replace(/^"|"$/g, '').trim();
  if (action) return action;
  const fromType = /action="?([^";]+)"?/i.exec(req.get('content-type') ?? '')?.[1];
  if (fromType) return fromType;
  return typeof req.query.Operation === 'string' ? req.query.Operation : undefined;
}

function findOperation(alias: string): CiOperation | undefined {
  const m = /^(.+)\.v(\d+)$/i.exec(alias);
  if (!m || m[2] !== '1') return undefined;
  return ciOperations.find((o) => o.operation.toUpperCase() === m[1]?.toUpperCase());
}

function wsSecurity(header: unknown): Presented | undefined {
  const token = (header as { Security?: { UsernameToken?: { Username?: unknown; Password?: unknown } } } | undefined)?.Security?.UsernameToken;
  if (!token) return undefined;
  const text = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'object' && v !== null && '$value' in v ? String((v as { $value: unknown }).$value) : '');
  return { kind: 'basic', oprid: text(token.Username), password: text(token.Password) };
}

export function soapRouter(state: PsSimState): Router {
  const router = Router();
  // Parsing with node-soap's WSDL model gives typed values (decimals as numbers) the way the real schema does.
  const parsers = new Map<string, Promise<WSDL>>();
  const parserFor = (def: CiDef): Promise<WSDL> => {
    let p = parsers.get(def.ci);
    if (!p) {
      p = new Promise<WSDL>((resolve, reject) => {
        const wsdl = new WSDL(buildWsdl(def, 'http://localhost/'), 'http://localhost/parser.wsdl', {});
        wsdl.onReady((err) => (err ? reject(err) : resolve(wsdl)));
      });
      parsers.set(def.ci, p);
    }
    return p;
  };

  // WSDL retrieval, path and query forms:
  // https://docs.oracle.com/en/applications/peoplesoft/peopletools/8.63/integration-broker-administration/passing-parameters-get-xml-schema-wsdl-wsil.html
  const serveWsdl = (req: Request, res: Response, node: string, file: string | undefined) => {
    if (node.toUpperCase() !== state.config.node.toUpperCase()) return gatewayFault(res, wrongNodeMessage(node), 505, [node]);
    const m = /^(.+)\.(\d+)(?:\.wsdl)?$/i.exec(file ?? '');
    const def = m?.[1] ? findCiService(m[1]) : undefined;
    if (!def || m?.[2] !== '1') return res.status(404).type('text/html').send(`<HTML><BODY>WSDL ${escapeXml(file ?? '')} not found.</BODY></HTML>`);
    res.type('text/xml; charset=UTF-8').send(buildWsdl(def, locationFor(req, node)));
  };
  router.get([BASE, `${BASE}/:first`, `${BASE}/:first/:second`], (req, res) => {
    const { first, second } = req.params as { first?: string; second?: string };
    if (req.query.Operation === 'GetWSDL') return serveWsdl(req, res, first ?? state.config.node, String(req.query.wsdl ?? ''));
    if (second) return serveWsdl(req, res, first ?? '', second);
    if (first?.toLowerCase().endsWith('.wsdl')) return serveWsdl(req, res, state.config.node, first);
    res.status(405).type('text/html').send('<HTML><BODY>PeopleSoftServiceListeningConnector expects a SOAP POST.</BODY></HTML>');
  });

  router.post([BASE, `${BASE}/:node`], express.text({ type: () => true, limit: '2mb' }), async (req, res) => {
    const node = (req.params as { node?: string }).node ?? state.config.node;
    if (node.toUpperCase() !== state.config.node.toUpperCase()) return gatewayFault(res, wrongNodeMessage(node), 505, [node]);
    const alias = requestedOperation(req) ?? '';
    const op = findOperation(alias);
    countRequest(state, op?.operation ?? alias);
    if (!op || !isActive(state, op.operation)) {
      return gatewayFault(res, 'Unable to find a Routing corresponding to the incoming request message.', 10400, [alias]);
    }
    let envelope: { Header?: unknown; Body?: Record<string, unknown> };
    try {
      const parser = await parserFor(op.def);
      envelope = parser.xmlToObject(typeof req.body === 'string' ? req.body : '') as typeof envelope;
    } catch (err) {
      return gatewayFault(res, xmlParseError(err instanceof Error && err.message ? err.message : 'malformed document'), 5);
    }
    // WS-Security UsernameToken is the documented way; HTTP Basic and bearer are also accepted. OAuth2 is documented
    // for REST only, so a gateway taking bearer tokens on SOAP is an assumption (partner-apis.md §1.3, UNCONFIRMED).
    const presented = wsSecurity(envelope.Header) ?? parseAuthorization(req.get('authorization'));
    const who = state.auth.authenticate(presented);
    if (!who.ok) return gatewayFault(res, PASSWORD_FAILED, 45);
    if (!state.auth.mayInvoke(who.oprid, op.operation)) return gatewayFault(res, notAuthorized(who.oprid, op.operation), 536, [who.oprid, op.operation]);

    const payload = envelope.Body?.[requestRoot(op.def, op.method)];
    if (!payload || typeof payload !== 'object') {
      return gatewayFault(res, xmlParseError(`expected root element ${requestRoot(op.def, op.method)}`), 5);
    }
    try {
      const result = runCi(state.store, op.def, op.method, payload as Record<string, unknown>);
      if (result.effect) state.store.logEffect({ operation: op.operation, oprid: who.oprid, ci: op.def.ci, ...result.effect });
      const body = toXml(responseRoot(op.def, op.method), result.response).replace(/^<([^>]+)>/, `<$1 xmlns="${schemaNamespace(op.def)}">`);
      res
        .status(200)
        .type('text/xml; charset=UTF-8')
        .send(`<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`);
    } catch (err) {
      if (err instanceof CiError) return handlerFault(res, err.message);
      throw err;
    }
  });

  return router;
}
