// Reads a JSON request body through a valibot schema. Failures become one stable error that names
// the field (a schema path, never a submitted value).
import * as v from 'valibot';
import { badRequest } from './errors';

export async function parseJsonBody<S extends v.GenericSchema>(request: Request, schema: S): Promise<v.InferOutput<S>> {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    throw badRequest('invalid_json', 'The request body is not valid JSON.');
  }
  const result = v.safeParse(schema, body, { abortPipeEarly: true });
  if (result.success) return result.output;
  const issue = result.issues[0];
  const field = issue.path?.map((p) => String(p.key)).join('.') || undefined;
  if (issue.type === 'strict_object') {
    // The path ends in the unexpected key itself; name its parent so nothing submitted is echoed.
    const parent = issue.path?.slice(0, -1).map((p) => String(p.key)).join('.') || 'body';
    throw badRequest('unknown_field', `The request has a field the API does not accept (in ${parent}).`, parent);
  }
  const reason = /^[a-z_]+$/.test(issue.message) ? issue.message : 'invalid';
  throw badRequest(reason === 'invalid' ? 'invalid_request' : reason, `${field ?? 'The request'} is not valid (${reason}).`, field);
}
