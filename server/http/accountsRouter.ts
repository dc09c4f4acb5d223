// Doctor accounts over HTTP: register (with the first-run setup link or a
// colleague's invitation), sign in and out, invite a colleague.
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { DoctorInvitationResponse, DoctorProfile, SessionResponse } from '../../shared/api';
import { loginRequestSchema, registerDoctorRequestSchema } from '../../shared/api';
import type { Logger } from '../logger';
import { parseBody, sendApiError } from './apiResponses';
import { sessionCookieName, type AccountStore } from '../accounts/accountStore';
import { Refusal } from '../../shared/refusals';


export interface LoginRateLimit {
  windowMs: number;
  attempts: number;
}

declare module 'express-serve-static-core' {
  interface Locals {
    doctor?: DoctorProfile;
  }
}

export function createAccountsRouter(accounts: AccountStore, loginLimit: LoginRateLimit, logger: Logger): Router {
  const router = express.Router();

  const setSessionCookie = (request: Request, response: Response, doctorId: string): void => {
    const session = accounts.createSession(doctorId);
    response.cookie(sessionCookieName, session.token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: request.secure,
      path: '/',
      expires: session.expiresAt,
    });
  };

  router.post('/doctors', async (request, response) => {
    const body = parseBody(registerDoctorRequestSchema, request, response);
    if (!body) return;
    try {
      const doctor = await accounts.registerDoctor(body);
      logger.info({ doctorId: doctor.id }, 'doctor account created');
      setSessionCookie(request, response, doctor.id);
      const result: SessionResponse = { doctor };
      response.status(201).json(result);
    } catch (error) {
      if (error instanceof Refusal) return sendApiError(response, error.code, error.message);
      throw error;
    }
  });

  const loginLimiter = rateLimit({
    windowMs: loginLimit.windowMs,
    limit: loginLimit.attempts,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_request, response) =>
      sendApiError(response, 'rate-limited', 'too many sign-in attempts; wait a few minutes and try again'),
  });

  router.post('/session', loginLimiter, async (request, response) => {
    const body = parseBody(loginRequestSchema, request, response);
    if (!body) return;
    const doctor = await accounts.authenticate(body.email, body.password);
    if (!doctor) return sendApiError(response, 'invalid-credentials', 'e-mail address or password is wrong');
    setSessionCookie(request, response, doctor.id);
    const result: SessionResponse = { doctor };
    response.json(result);
  });

  router.get('/session', requireDoctor(accounts), (_request, response) => {
    const result: SessionResponse = { doctor: response.locals.doctor as DoctorProfile };
    response.json(result);
  });

  router.delete('/session', (request, response) => {
    const token = sessionTokenOf(request);
    if (token) accounts.endSession(token);
    response.clearCookie(sessionCookieName, { path: '/' });
    response.status(204).end();
  });

  router.post('/doctor-invitations', requireDoctor(accounts), (_request, response) => {
    const doctor = response.locals.doctor as DoctorProfile;
    const invitation = accounts.createInvitation(doctor.id);
    logger.info({ doctorId: doctor.id }, 'colleague invitation created');
    const result: DoctorInvitationResponse = {
      invitationToken: invitation.token,
      expiresAt: invitation.expiresAt.toISOString(),
    };
    response.status(201).json(result);
  });

  return router;
}

/** The session cookie's token, if it looks like one. */
export function sessionTokenOf(request: Request): string | undefined {
  const cookies = request.cookies as Record<string, unknown> | undefined;
  const value = cookies?.[sessionCookieName];
  return typeof value === 'string' && value.length > 0 && value.length <= 64 ? value : undefined;
}

/** Lets the request through only with a valid doctor session; sets res.locals.doctor. */
export function requireDoctor(accounts: AccountStore) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const token = sessionTokenOf(request);
    const doctor = token ? accounts.doctorForSession(token) : undefined;
    if (!doctor) return sendApiError(response, 'unauthenticated', 'sign in first');
    response.locals.doctor = doctor;
    next();
  };
}
