/**
 * A person's browser on the public forms, without a browser: GET the form (keeping the cookie and
 * the CSRF token from the page), then POST it urlencoded as a form would.
 */
export interface FormSession {
  readonly cookie: string;
  readonly token: string;
}

export interface FormAnswer {
  readonly status: number;
  readonly text: string;
  readonly headers: Headers;
}

export async function openForm(base: string, path: string, headers: Record<string, string> = {}): Promise<FormSession & { page: string; headers: Headers }> {
  const res = await fetch(`${base}${path}`, { headers });
  const page = await res.text();
  if (res.status !== 200) throw new Error(`GET ${path}: HTTP ${res.status}\n${page.slice(0, 500)}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const token = /name="csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
  return { cookie, token, page, headers: res.headers };
}

export async function postForm(base: string, path: string, fields: Record<string, string>, session: Partial<FormSession> = {}, headers: Record<string, string> = {}): Promise<FormAnswer> {
  const body = new URLSearchParams({ ...(session.token !== undefined ? { csrf: session.token } : {}), ...fields }).toString();
  const res = await fetch(`${base}${path}`, {
    method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(session.cookie ? { cookie: session.cookie } : {}), ...headers },
    body,
  });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

/** Opens the form and submits it: what a person filling it in once does. */
export async function submit(base: string, path: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<FormAnswer> {
  const session = await openForm(base, path, headers);
  return postForm(base, path, fields, session, headers);
}
