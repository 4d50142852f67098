/**
 * The outcome of anything a user can get wrong: a value, or an error message written for the
 * person who typed the input (what was wrong and what a good value looks like). Faults that
 * only a programmer can cause are thrown instead, so a Result never hides a bug.
 */
export type Ok<T> = { readonly ok: true; readonly value: T };
export type Err = { readonly ok: false; readonly error: string };
export type Result<T> = Ok<T> | Err;

export function ok<T>(value: T): Ok<T> {
  return { ok: true, value };
}

export function err(error: string): Err {
  return { ok: false, error };
}
