import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { actor } from '../chat/actor.js';
import { clientAddress } from '../domain/client-address.js';
import { logComplaint } from '../services/complaints.js';
import type { ServiceContext } from '../services/context.js';
import { logRequest } from '../services/log-request.js';
import { checkRateLimit, PUBLIC_FORM_LIMIT, waitText } from '../services/rate-limit.js';
import { complaintAnswerBody, complaintFormBody, parseComplaintForm } from './complaint-form.js';
import { checkToken, CSRF_COOKIE, csrfKey, isNonce, issueToken, newNonce, readCookie, type FormName } from './csrf.js';
import { HONEYPOT, type FieldErrors, type FieldValues } from './fields.js';
import { html, page } from './html.js';
import { parseRequestForm, requestAnswerBody, requestFormBody } from './request-form.js';
import { securityHeaders } from './security-headers.js';
import { FORM_CSS } from './styles.js';

/**
 * The public request and complaint forms (CONTRACT §3): HTTP in, one service call, HTML out. A
 * request goes through the same intake as `/dsr new` (`via web`), a complaint into the complaints
 * register; both cards reach the committee through the outbox, so a chat outage delays them and
 * loses nothing. Nothing personal is logged: the log names the reference only.
 */

export const BODY_LIMIT = '64kb';
/** Who a submission is recorded as having come through (cards show it as "Logged by public web form"). */
export const PUBLIC_FORM_KEY = 'public web form';

export interface PublicFormsDeps {
  readonly services: ServiceContext;
  readonly company: string;
  readonly trustedProxies: readonly string[];
  /** Where a new card goes first: the platform the committee uses (the other one if only it has a channel). */
  readonly platform: 'slack' | 'teams';
}

export function mountPublicForms(app: Express, deps: PublicFormsDeps): void {
  const key = csrfKey(deps.services.pepper);
  const router = express.Router();
  router.use(securityHeaders);
  router.get('/form.css', (_req, res) => { res.type('text/css').set('Cache-Control', 'public, max-age=3600').send(FORM_CSS); });

  const forms: Record<FormName, { title: string; body: (values: FieldValues, errors: FieldErrors, token: string) => ReturnType<typeof html> }> = {
    request: { title: 'Make a request about your personal data', body: (v, e, t) => requestFormBody(v, e, t, deps.company) },
    complaint: { title: 'Make a complaint', body: (v, e, t) => complaintFormBody(v, e, t, deps.company) },
  };

  /** The form page, with a token for this browser's nonce cookie (set when it has none of ours). */
  const showForm = (req: Request, res: Response, form: FormName, status: number, values: FieldValues = {}, errors: FieldErrors = {}) => {
    let nonce = readCookie(req.headers.cookie, CSRF_COOKIE);
    if (!isNonce(nonce)) {
      nonce = newNonce();
      res.cookie(CSRF_COOKIE, nonce, { httpOnly: true, sameSite: 'strict', path: '/privacy', secure: req.secure });
    }
    const token = issueToken(key, form, nonce, deps.services.clock());
    const prefix = Object.keys(errors).length > 0 ? 'Error: ' : '';
    res.status(status).type('html').send(page({ title: `${prefix}${forms[form].title}`, company: deps.company, body: forms[form].body(values, errors, token) }));
  };

  const rateLimited = async (req: Request, res: Response, next: NextFunction) => {
    try {
      const client = clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], deps.trustedProxies);
      const decision = await checkRateLimit(deps.services, PUBLIC_FORM_LIMIT, client);
      if (decision.allowed) return next();
      res.set('Retry-After', String(decision.retryAfterSeconds));
      return message(res, 429, 'Too many submissions', `We have received a lot of forms from your connection in the last few minutes, so we have not accepted this one. Please wait ${waitText(decision.retryAfterSeconds)} and try again.`);
    } catch (error) {
      return next(error);
    }
  };
  const body = express.urlencoded({ extended: false, limit: BODY_LIMIT, parameterLimit: 50 });

  const message = (res: Response, status: number, title: string, text: string) => {
    res.status(status).type('html').send(page({ title, company: deps.company, body: html`<h1>${title}</h1><p>${text}</p><p><a href="/privacy/request">Make a request about your data</a> · <a href="/privacy/complaint">Make a complaint</a></p>` }));
  };

  /** Checks common to both forms: true when the submission was refused (and answered) here. */
  const refuse = (req: Request, res: Response, form: FormName, values: FieldValues): boolean => {
    if ((values[HONEYPOT] ?? '') !== '') {
      message(res, 400, 'We could not accept this form', 'Something filled in a field people cannot see, so we think this form was sent by a program. If you are a person, please use the form on our page.');
      return true;
    }
    const check = checkToken(key, form, values.csrf, readCookie(req.headers.cookie, CSRF_COOKIE), deps.services.clock());
    if (check !== 'ok') {
      const why = check === 'expired' ? 'This form was open for a long time, so for your security it has expired.' : 'We could not confirm that this form came from our page.';
      showForm(req, res, form, 403, withoutToken(values), { _form: `${why} Nothing has been sent yet: check your answers and send the form again.` });
      return true;
    }
    return false;
  };

  router.get('/request', (req, res) => showForm(req, res, 'request', 200));
  router.get('/complaint', (req, res) => showForm(req, res, 'complaint', 200));

  router.post('/request', rateLimited, body, async (req, res, next) => {
    try {
      const values = fieldValues(req.body);
      if (refuse(req, res, 'request', values)) return;
      const parsed = parseRequestForm(values);
      if (!parsed.ok) return showForm(req, res, 'request', 422, withoutToken(values), parsed.errors);
      const by = { ...actor(deps.platform, 'public-form'), key: PUBLIC_FORM_KEY };
      const logged = await logRequest(deps.services, by, {
        type: parsed.value.type, email: parsed.value.email, fullName: parsed.value.fullName,
        receivedOn: null, via: 'web', agent: null, controller: null,
      });
      if (!logged.ok) throw new Error(`intake refused a checked web request: ${logged.error}`);
      deps.services.kickJob('deliver-outbox');
      res.status(200).type('html').send(page({ title: 'Request received', company: deps.company, body: requestAnswerBody(logged.value.reference, logged.value.due_on, deps.company) }));
    } catch (error) {
      next(error);
    }
  });

  router.post('/complaint', rateLimited, body, async (req, res, next) => {
    try {
      const values = fieldValues(req.body);
      if (refuse(req, res, 'complaint', values)) return;
      const parsed = parseComplaintForm(values);
      if (!parsed.ok) return showForm(req, res, 'complaint', 422, withoutToken(values), parsed.errors);
      const logged = await logComplaint(deps.services, { key: PUBLIC_FORM_KEY, platform: deps.platform }, {
        email: parsed.value.email, name: parsed.value.fullName, summary: parsed.value.summary,
        receivedOn: null, via: 'web', about: parsed.value.reference, aboutOwnOnly: true,
      });
      if (!logged.ok) throw new Error(`the register refused a checked web complaint: ${logged.error}`);
      deps.services.kickJob('deliver-outbox');
      res.status(200).type('html').send(page({ title: 'Complaint received', company: deps.company, body: complaintAnswerBody(logged.value.reference, logged.value.ack_due_on, deps.company) }));
    } catch (error) {
      next(error);
    }
  });

  // Faults on these routes: a page in plain words, and a log line without the submission in it.
  router.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = (error as { status?: number; type?: string }).status;
    if (status === 413) return message(res, 413, 'Your form is too long', 'What you sent is longer than we can accept. Please shorten it (a complaint can be up to 4,000 characters) and send it again; you can send us more once we reply.');
    if (status !== undefined && status >= 400 && status < 500) return message(res, 400, 'We could not read your form', 'Please go back, check your answers and send the form again.');
    deps.services.logger.error({ err: { message: (error as Error)?.message } }, 'public form failed');
    return message(res, 500, 'Sorry, something went wrong', 'Nothing was sent. Please try again later, or write to us instead.');
  });

  app.use('/privacy', router);
}

/** Only single string values; anything else (arrays, objects from a crafted body) counts as empty. */
function fieldValues(body: unknown): Record<string, string> {
  const values: Record<string, string> = {};
  if (body === null || typeof body !== 'object') return values;
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    if (typeof value === 'string') values[name] = value;
  }
  return values;
}

function withoutToken(values: FieldValues): FieldValues {
  const { csrf: _csrf, [HONEYPOT]: _trap, ...rest } = values;
  return rest;
}
