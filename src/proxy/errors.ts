/** Dify-shaped error responses (`{code, message, status}`), the only kind of body the proxy makes itself. */

export type HeaderMap = Record<string, string>;

export const SECURITY_HEADERS: HeaderMap = {
  'x-content-type-options': 'nosniff',
};

/** A JSON error response in Dify's shape. Never carries anything from the upstream or the options. */
export function difyErrorResponse(status: number, code: string, message: string, headers: HeaderMap = {}): Response {
  return new Response(JSON.stringify({ code, message, status }), {
    status,
    headers: {
      'content-type': 'application/json',
      'cache-control': 'no-store',
      ...SECURITY_HEADERS,
      ...headers,
    },
  });
}

/** The proxy's own refusals and failures, by situation. */
export const ERRORS = {
  notFound: [404, 'not_found', 'The requested URL was not found on the server.'],
  methodNotAllowed: [405, 'method_not_allowed', 'The method is not allowed for the requested URL.'],
  forbiddenOrigin: [403, 'forbidden', 'This origin is not allowed to use this API.'],
  unauthorizedUser: [401, 'unauthorized', 'No signed-in user for this request.'],
  badJson: [400, 'bad_request', 'The request body must be a JSON object.'],
  badForm: [400, 'bad_request', 'The request body must be multipart/form-data.'],
  tooManyFiles: [400, 'too_many_files', 'Only one file is allowed.'],
  unsupportedMedia: [415, 'unsupported_media_type', 'This content type is not accepted here.'],
  bodyTooLarge: [413, 'request_entity_too_large', 'The request body is too large.'],
  uploadTooLarge: [413, 'file_too_large', 'The file is too large.'],
  bodyTimeout: [408, 'request_timeout', 'The request body took too long to arrive.'],
  uriTooLong: [414, 'uri_too_long', 'The request URL is too long.'],
  badGateway: [502, 'bad_gateway', 'The Dify API could not be reached.'],
  gatewayTimeout: [504, 'gateway_timeout', 'The Dify API did not answer in time.'],
  upstreamErrorTooLarge: [502, 'bad_gateway', 'The Dify API sent an error response that was too large.'],
  clientGone: [499, 'client_closed_request', 'The client closed the request.'],
  internal: [500, 'internal_server_error', 'The proxy failed to handle the request.'],
} as const satisfies Record<string, readonly [number, string, string]>;

export type ErrorName = keyof typeof ERRORS;

export function errorResponse(name: ErrorName, headers: HeaderMap = {}): Response {
  const [status, code, message] = ERRORS[name];
  return difyErrorResponse(status, code, message, headers);
}
