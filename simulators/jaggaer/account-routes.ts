import { Router, type Response } from 'express';
import { RETURN_CODES, sendOk, sendReturnCode } from './envelope';
import { simResources } from './resources';
import type { SimContext } from './context';

type Doc = Record<string, unknown>;
const isObject = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : typeof v === 'number' ? String(v) : undefined);
export const ACCOUNT_STATUSES = ['ACTIVE', 'INACTIVE'];

/**
 * POST accountcodes `{ operationCode, accountCode: {...} }`. JAGGAER publishes no account API (partner-apis.md part 2
 * §4): this copies the companyprofiles write contract (operationCode CREATE / UPDATE, Network-Rail-Business-Systems/
 * bravo-api src/Enums/OperationCode.php; `{returnCode, returnMessage, <id>}` under HTTP 200, bravo-api `postProject`),
 * with the one rule any chart of accounts has: a code names one account. A second CREATE of a code is a returnCode
 * error under HTTP 200, not a second account; an account is deactivated (status INACTIVE), there is no delete.
 */
export function accountRoutes(ctx: SimContext): Router {
  const r = Router();
  r.post(simResources.accounts.path, (req, res) => writeAccount(ctx, req.body, res));
  return r;
}

function writeAccount(ctx: SimContext, body: unknown, res: Response): void {
  const account = isObject(body) && isObject(body.accountCode) ? body.accountCode : undefined;
  const op = isObject(body) ? body.operationCode : undefined;
  if (!account) return sendReturnCode(res, RETURN_CODES.invalidRequest, 'Mandatory element missing: accountCode');
  if (op !== 'CREATE' && op !== 'UPDATE') return sendReturnCode(res, RETURN_CODES.invalidRequest, `Invalid operationCode: ${String(op)}`);
  const code = text(account.code);
  const status = account.status ?? 'ACTIVE';
  if (!ACCOUNT_STATUSES.includes(String(status))) return sendReturnCode(res, RETURN_CODES.validation, `Validation failed: status must be one of ${ACCOUNT_STATUSES.join(', ')}`);
  const byCode = code ? ctx.store.findBy('accounts', 'code', code) : undefined;
  const { accountCodeId, lastUpdate: _t, ...fields } = account;
  if (op === 'UPDATE') {
    const existing = accountCodeId === undefined ? undefined : ctx.store.get('accounts', Number(accountCodeId));
    if (!existing) return sendReturnCode(res, RETURN_CODES.notFound, `Account code not found: accountCodeId ${String(accountCodeId)}`);
    if (byCode && byCode.id !== existing.id) return sendReturnCode(res, RETURN_CODES.duplicate, `Account code ${code!} already exists (accountCodeId ${byCode.id})`);
    Object.assign(existing.doc, fields);
    ctx.store.touch('accounts', existing);
    return sendOk(res, { accountCodeId: existing.id });
  }
  if (!code) return sendReturnCode(res, RETURN_CODES.validation, 'Validation failed: code is mandatory');
  if (!text(account.description)) return sendReturnCode(res, RETURN_CODES.validation, 'Validation failed: description is mandatory');
  if (byCode) return sendReturnCode(res, RETURN_CODES.duplicate, `Account code ${code} already exists (accountCodeId ${byCode.id})`);
  const stored = ctx.store.insert('accounts', { ...fields, code, status });
  sendOk(res, { accountCodeId: stored.id });
}
