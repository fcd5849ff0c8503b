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
  r.post(simResources.requisitions.path, (req, res) => createRequisition(ctx, req.body, res));
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
