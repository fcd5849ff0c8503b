import { Router, type Response } from 'express';
import { RETURN_CODES, sendOk, sendReturnCode } from './envelope';
import { getAt, simResources } from './resources';
import type { SimContext } from './context';

type Doc = Record<string, unknown>;
const isObject = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);

/**
 * Writes answer in the list envelope's terms: HTTP 200 `{returnCode: 0, returnMessage, <id>}` on success, HTTP 200
 * with a non-zero returnCode and the reason on a validation error (Network-Rail-Business-Systems/bravo-api `postProject`
 * reads `returnCode`, `returnMessage` and the new id from the same answer). JAGGAER takes no idempotency key: the same
 * requisition sent twice is two requisitions, as on the real system.
 */
export function writeRoutes(ctx: SimContext): Router {
  const r = Router();
  r.post(simResources.requisitions.path, (req, res) => (isObject(req.body) && req.body.operationCode === 'UPDATE' ? updateRequisition(ctx, req.body, res) : createRequisition(ctx, req.body, res)));
  r.post(simResources.suppliers.path, (req, res) => writeSupplier(ctx, req.body, res));
  return r;
}

function requisitionProblem(ctx: SimContext, requisition: Doc): string | undefined {
  const header = isObject(requisition.header) ? requisition.header : undefined;
  if (!header) return 'Mandatory element missing: header';
  if (!text(header.businessUnit)) return 'Validation failed: businessUnit is mandatory';
  if (!text(header.requisitionName)) return 'Validation failed: requisitionName is mandatory';
  const supplierNumber = getAt(header, 'suggestedSupplier.supplierNumber');
  if (supplierNumber !== undefined && !ctx.store.findBy('suppliers', 'companyInfo.extCode', String(supplierNumber))) {
    return `Validation failed: supplier ${String(supplierNumber)} does not exist`;
  }
  const lines = getAt(requisition, 'lineList.line');
  if (!Array.isArray(lines) || lines.length === 0) return 'Validation failed: at least one line is required';
  for (const [i, line] of lines.entries()) {
    const qty = getAt(line, 'quantity');
    const price = getAt(line, 'unitPrice.value');
    if (typeof qty !== 'number' || !(qty > 0)) return `Validation failed: line ${i + 1} quantity must be greater than 0`;
    if (typeof price !== 'number' || price < 0) return `Validation failed: line ${i + 1} unitPrice.value must be a number of at least 0`;
    // A line may only be charged to an active account code of this instance's chart of accounts.
    const code = getAt(line, 'accountCode');
    if (code !== undefined) {
      const account = ctx.store.findBy('accounts', 'code', String(code));
      if (!account) return `Validation failed: line ${i + 1} account code ${String(code)} does not exist`;
      if (getAt(account.doc, 'status') !== 'ACTIVE') return `Validation failed: line ${i + 1} account code ${String(code)} is inactive`;
    }
  }
  return undefined;
}

function createRequisition(ctx: SimContext, body: unknown, res: Response): void {
  const requisition = isObject(body) && isObject(body.requisition) ? body.requisition : undefined;
  if (!requisition) return sendReturnCode(res, RETURN_CODES.invalidRequest, 'Mandatory element missing: requisition');
  const problem = requisitionProblem(ctx, requisition);
  if (problem) return sendReturnCode(res, RETURN_CODES.validation, problem);
  const stored = ctx.store.insert('requisitions', structuredClone(requisition));
  const header = stored.doc.header as Doc;
  header.requisitionNumber = `REQ${stored.id}`;
  header.status = 'Pending';
  sendOk(res, { requisitionId: stored.id, requisitionNumber: header.requisitionNumber });
}

/** Statuses in which a requisition may still be changed: once a buyer has taken it into sourcing it is the buyer's. */
const EDITABLE_REQUISITION = new Set(['Pending', 'Draft']);

/**
 * operationCode UPDATE on the requisition path (provisional, like the create: JAGGAER Advanced's operation codes,
 * bravo-api src/Enums/OperationCode.php): the requisition named by header.requisitionId gets the header fields and
 * lines sent; its number and status stay JAGGAER's. Refused under HTTP 200 once sourcing has started.
 */
function updateRequisition(ctx: SimContext, body: Doc, res: Response): void {
  const requisition = isObject(body.requisition) ? body.requisition : undefined;
  if (!requisition) return sendReturnCode(res, RETURN_CODES.invalidRequest, 'Mandatory element missing: requisition');
  const id = getAt(requisition, 'header.requisitionId');
  const existing = id === undefined ? undefined : ctx.store.get('requisitions', Number(id));
  if (!existing) return sendReturnCode(res, RETURN_CODES.notFound, `Requisition not found: requisitionId ${String(id)}`);
  const header = existing.doc.header as Doc;
  if (!EDITABLE_REQUISITION.has(String(header.status))) {
    return sendReturnCode(res, RETURN_CODES.validation, `Requisition ${String(header.requisitionNumber)} is in status ${String(header.status)} and can no longer be changed`);
  }
  const problem = requisitionProblem(ctx, requisition);
  if (problem) return sendReturnCode(res, RETURN_CODES.validation, problem);
  const { requisitionId: _id, requisitionNumber: _n, status: _s, lastUpdate: _t, ...changes } = requisition.header as Doc;
  Object.assign(header, changes);
  if (requisition.lineList !== undefined) existing.doc.lineList = structuredClone(requisition.lineList);
  ctx.store.touch('requisitions', existing);
  sendOk(res, { requisitionId: existing.id, requisitionNumber: header.requisitionNumber });
}

/** operationCode CREATE / UPDATE / CREATEUPDATE (bravo-api src/Enums/OperationCode.php). */
function writeSupplier(ctx: SimContext, body: unknown, res: Response): void {
  const info = isObject(body) && isObject(body.companyInfo) ? body.companyInfo : undefined;
  const op = isObject(body) ? body.operationCode : undefined;
  if (!info) return sendReturnCode(res, RETURN_CODES.invalidRequest, 'Mandatory element missing: companyInfo');
  if (op !== 'CREATE' && op !== 'UPDATE' && op !== 'CREATEUPDATE') return sendReturnCode(res, RETURN_CODES.invalidRequest, `Invalid operationCode: ${String(op)}`);
  const byId = info.bravoId === undefined ? undefined : ctx.store.get('suppliers', Number(info.bravoId));
  const byCode = text(info.extCode) ? ctx.store.findBy('suppliers', 'companyInfo.extCode', info.extCode as string) : undefined;
  const existing = byId ?? (op === 'CREATEUPDATE' ? byCode : undefined);
  if (op === 'UPDATE' && !byId) return sendReturnCode(res, RETURN_CODES.notFound, `Company not found: bravoId ${String(info.bravoId)}`);
  if (existing) {
    if (byCode && byCode.id !== existing.id) return sendReturnCode(res, RETURN_CODES.duplicate, `extCode ${String(info.extCode)} already belongs to company ${byCode.id}`);
    const { bravoId: _id, lastModTime: _t, ...changes } = info;
    Object.assign(existing.doc.companyInfo as Doc, changes);
    ctx.store.touch('suppliers', existing);
    return sendOk(res, { bravoId: existing.id });
  }
  if (!text(info.companyName)) return sendReturnCode(res, RETURN_CODES.validation, 'Validation failed: companyName is mandatory');
  if (byCode) return sendReturnCode(res, RETURN_CODES.duplicate, `extCode ${String(info.extCode)} already belongs to company ${byCode.id}`);
  const { bravoId: _id, lastModTime: _t, ...fields } = info;
  const stored = ctx.store.insert('suppliers', { companyInfo: { type: 'SELLER', status: 'ACTIVE', ...fields } });
  sendOk(res, { bravoId: stored.id });
}
