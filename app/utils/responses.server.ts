import { data } from "react-router";
import { isAppError } from "./errors.ts";

/**
 * For loaders: turn a domain error into the HTTP answer the error page shows
 * (403, 404, ...); anything else stays a 500. Use as `.catch(throwAsResponse)`.
 */
export function throwAsResponse(e: unknown): never {
  if (isAppError(e)) throw data({ code: e.code }, { status: e.status });
  throw e;
}
