import type { NextFunction, Request, Response } from 'express';
import type { SimContext } from './context';

/** The DMSA's client id behind a request's bearer token, for the rate limiter's key (`anonymous` when unknown). */
export function clientOf(ctx: SimContext, req: Request): string {
  const token = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
  const v = token ? ctx.tokens.verify(token) : 'unknown';
  return `${typeof v === 'object' ? v.clientId : 'anonymous'}@${req.get('procore-company-id') ?? ''}`;
}

/**
 * Bearer token (401 "The access token is invalid" when unknown or expired: https://developers.procore.com/documentation/error-reference),
 * then `Procore-Company-Id` on every call, DMSAs included ("Missing Procore-Company-Id header!":
 * https://developers.procore.com/documentation/tutorial-mpz; the status code is UNCONFIRMED, 400 here), and a company
 * this app is not connected to: 403 "App is not connected to this company".
 */
export function procoreAuth(ctx: SimContext) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const token = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
    const v = token ? ctx.tokens.verify(token) : 'unknown';
    if (typeof v !== 'object') return void res.status(401).set('WWW-Authenticate', 'Bearer realm="Doorkeeper", error="invalid_token"').json({ message: 'The access token is invalid' });
    const company = req.get('procore-company-id');
    if (!company) return void res.status(400).json({ errors: 'Missing Procore-Company-Id header! Please include the Procore-Company-Id header in your request.' });
    if (company !== ctx.store.companyId) return void res.status(403).json({ message: 'App is not connected to this company' });
    next();
  };
}
