import { decideForStatus, PartnerError, type RetryDecision } from '../../core/partner-error';

export const PARTNER = 'peoplesoft';
const RAW_LIMIT = 64 * 1024;

export interface Recognized {
  code: string;
  hint?: string;
  decision: RetryDecision;
  /** The IB message text (DefaultMessage or page text), safe to show: it never contains our credentials. */
  detail?: string;
}

export interface FailureContext {
  /** The service operation we called, e.g. MLC_VOUCHER_SYNC_GET or CI_VNDR_ID_C. */
  serviceOperation: string;
  node: string;
  oprid?: string;
}

const permanent = (reason: string): RetryDecision => ({ retry: false, reason });

/** The IBResponse DefaultMessage of a SOAP Fault (partner-apis.md §1.2), or the text of an HTML error page. */
export function extractMessage(body: string): string | undefined {
  const ib = /<DefaultMessage>\s*(?:<!\[CDATA\[)?([\s\S]*?)(?:\]\]>)?\s*<\/DefaultMessage>/i.exec(body)?.[1];
  if (ib) return ib.trim();
  const html = /<BODY[^>]*>([\s\S]*?)<\/BODY>/i.exec(body)?.[1];
  return html?.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim() || undefined;
}

/**
 * Turns an Integration Broker answer into a code, an action for a human and a retry decision. The body decides
 * before the status: IB answers 500 for permanent set-up problems (missing routing, wrong node), which the
 * status alone would call transient. Message set 158: https://peoplesoftwiki.com/books/integration-broker/export/html
 */
export function recognize(status: number | undefined, body: string, ctx: FailureContext): Recognized {
  const detail = extractMessage(body);
  const text = detail ?? body;
  const op = ctx.serviceOperation;
  if (/Unable to find a Routing corresponding to the incoming request message/i.test(body)) {
    return {
      code: 'PS_ROUTING_NOT_FOUND',
      detail,
      decision: permanent('service operation inactive or without routing'),
      hint: `Ask your PeopleSoft administrator to activate service operation ${op} and its any-to-local routing (PeopleTools > Integration Broker > Integration Setup > Service Operations); delivered and imported operations start inactive.`,
    };
  }
  if (/\(158,\s*505\)/.test(text)) {
    return {
      code: 'PS_158_505',
      detail,
      decision: permanent('unknown node'),
      hint: `The node "${ctx.node}" is not known to this PeopleSoft database. Use the default local node from PeopleTools > Integration Broker > Integration Setup > Nodes (FSCM ships PSFT_EP) in the connection's node setting.`,
    };
  }
  if (/\(158,\s*45\)/.test(text)) {
    return {
      code: 'PS_158_45',
      detail,
      decision: permanent('password rejected'),
      hint: `PeopleSoft rejected the password${ctx.oprid ? ` of user ${ctx.oprid}` : ''} (158,45). Check the connection's OPRID and password, and that the account is not locked.`,
    };
  }
  if (/\(158,\s*536\)/.test(text)) {
    return {
      code: 'PS_158_536',
      detail,
      decision: permanent('operation not in the user permission lists'),
      hint: `User ${ctx.oprid ?? '(connection user)'} may not invoke ${op}. Ask your PeopleSoft administrator to add service operation ${op} (and, for Component Interfaces, the CI methods) to a permission list of that user.`,
    };
  }
  if (/\(158,\s*5\)/.test(text)) {
    return { code: 'PS_158_5', detail, decision: permanent('request XML rejected'), hint: `PeopleSoft could not parse the request for ${op}; the CI's WSDL and our client disagree. Re-publish the service and reconnect.` };
  }
  if (/\(91,\s*49\)/.test(text)) return { code: 'PS_DUPLICATE_KEY', detail, decision: permanent('row already exists') };
  if (/\(91,\s*50\)/.test(text)) return { code: 'PS_NO_ROWS', detail, decision: permanent('no row for the keys') };
  if (status === 401) {
    return {
      code: 'PS_UNAUTHORIZED',
      detail,
      decision: permanent('credentials rejected (401)'),
      hint: `PeopleSoft answered 401 for ${op}: the user/password or the OAuth2 token was rejected (expired tokens too), or the user's permission lists do not grant ${op}. Fix the connection's credentials or ask your administrator to grant the operation.`,
    };
  }
  if (/\(15,\s*11\)/.test(text)) {
    // The prompt-table edit: https://docs.oracle.com/cd/F44947_01/pt858pbr3/eng/pt/tcpi/task_ReceivingResponses-076b29.html
    return {
      code: 'PS_15_11',
      detail,
      decision: permanent('value not in the prompt table'),
      hint: `PeopleSoft refused a value that is not in its list of valid values for ${op} (15,11): usually a vendor, purchase order or ChartField that does not exist in PeopleSoft yet. The field is named in the message; create or correct it in PeopleSoft (or fix the mapping), then replay.`,
    };
  }
  if (/<IBResponse[^>]*type="error"/i.test(body) && status !== undefined && status < 500) {
    // Errors from the CI's own PeopleCode (edits, prompts) arrive as HTTP 200: retrying will not change them.
    return { code: 'PS_CI_ERROR', detail, decision: permanent('rejected by the Component Interface') };
  }
  if (status === undefined) return { code: 'PS_NO_RESPONSE', detail, decision: decideForStatus(undefined) };
  return { code: status >= 500 ? 'PS_SERVER_ERROR' : `PS_HTTP_${status}`, detail, decision: decideForStatus(status) };
}

export function peopleSoftError(status: number | undefined, body: string, ctx: FailureContext, decisionOverride?: RetryDecision): PartnerError {
  const r = recognize(status, body, ctx);
  const decision = decisionOverride ?? r.decision;
  const what = r.detail ? `: ${r.detail.slice(0, 300)}` : status !== undefined ? `: HTTP ${status}` : '';
  return new PartnerError(`PeopleSoft ${ctx.serviceOperation} failed (${r.code})${what}`, {
    partner: PARTNER,
    operation: ctx.serviceOperation,
    status,
    rawBody: body.slice(0, RAW_LIMIT),
    decision,
    code: r.code,
    hint: r.hint,
  });
}

/** Re-reads a failure from the shared HTTP layer with IB's knowledge; generic failures keep its decision (Retry-After). */
export function fromHttpFailure(err: PartnerError, ctx: FailureContext): PartnerError {
  const body = err.rawBody ?? '';
  const r = recognize(err.status, body, ctx);
  const generic = r.code === 'PS_SERVER_ERROR' || r.code === 'PS_NO_RESPONSE' || r.code.startsWith('PS_HTTP_');
  const mapped = peopleSoftError(err.status, body, ctx, generic ? err.decision : undefined);
  if (err.status === undefined && err.code) return new PartnerError(`${mapped.message} (${err.code})`, { ...mapped, code: err.code.replace(/^NETWORK_/, 'PS_NETWORK_') });
  return mapped;
}
