import type { FetchResponse } from 'openapi-fetch';
import type { components, paths } from './schema';

// The web app never describes an API shape by hand: every one is named here from the contract,
// generated from the OpenAPI document into schema.d.ts (`make api-types`).

/** Schemas are the contract's named shapes. */
export type Schemas = components['schemas'];

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** PathsFor are the document's paths that have an operation for method. */
export type PathsFor<M extends Method> = { [P in keyof paths]: paths[P] extends Record<M, object> ? P : never }[keyof paths];

/** RequestBody is the JSON body an operation takes, named by its path and method rather than by a
 *  schema name, so a renamed request schema changes nothing here. */
export type RequestBody<P extends PathsFor<M>, M extends Method> = paths[P][M] extends {
  requestBody?: { content: { 'application/json': infer B } };
}
  ? B
  : never;

/** ResponseBody is an operation's JSON success body (undefined for 202 and 204), for the answers
 *  the contract does not name. */
export type ResponseBody<P extends PathsFor<M>, M extends Method> =
  paths[P][M] extends infer Op extends Record<string, unknown>
    ? Extract<FetchResponse<Op, object, `${string}/json`>, { error?: never }>['data']
    : never;

export type Me = Schemas['Me'];
export type Session = Schemas['Session'];
