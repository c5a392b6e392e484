/** The OpenAPI 3.1 document, made from the routes' own zod schemas (see route.ts). */
import { z } from 'zod';
import type { AnyRoute } from './route.js';
import { errorSchema } from './schemas.js';

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' });

function parameters(spec: AnyRoute) {
  const out: object[] = [];
  for (const [where, schema] of [
    ['path', spec.params],
    ['query', spec.query],
  ] as const) {
    if (!schema) continue;
    const json = jsonSchema(schema, 'input') as {
      properties?: Record<string, object>;
      required?: string[];
    };
    for (const [name, property] of Object.entries(json.properties ?? {}))
      out.push({
        name,
        in: where,
        required: where === 'path' || (json.required ?? []).includes(name),
        schema: property,
      });
  }
  if (spec.idempotent)
    out.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description: 'A retry with the same key is answered with what the first request recorded',
      schema: { type: 'string', pattern: '^[\\w.:-]{1,100}$' },
    });
  return out;
}

export function openApiDocument(routes: readonly AnyRoute[], version: string) {
  const paths: Record<string, Record<string, object>> = {};
  const error = { content: { 'application/json': { schema: jsonSchema(errorSchema, 'output') } } };
  for (const spec of routes) {
    const path = spec.url.replace(/:(\w+)/g, '{$1}');
    const status = String(spec.status ?? 200);
    const operation = {
      summary: spec.summary,
      tags: [spec.tag],
      security:
        spec.role === 'public'
          ? []
          : spec.role === 'webhook'
            ? [{ alertToken: [] }, { alertSignature: [] }]
            : [{ bearer: [] }, { session: [] }],
      'x-calm-role': spec.role,
      parameters: parameters(spec),
      ...(spec.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: jsonSchema(spec.body, 'input') } },
            },
          }
        : spec.upload
          ? {
              requestBody: {
                required: true,
                content: { 'multipart/form-data': { schema: jsonSchema(spec.upload, 'input') } },
              },
            }
          : {}),
      responses: {
        [status]: {
          description: 'OK',
          ...(spec.response
            ? { content: { 'application/json': { schema: jsonSchema(spec.response, 'output') } } }
            : {}),
        },
        '4XX': {
          description: 'A mistake in the request: the message names it and the fix',
          ...error,
        },
      },
    };
    paths[path] ??= {};
    (paths[path] as Record<string, object>)[spec.method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Calm',
      version,
      description: 'The Calm team server: incidents, timelines, accounts.',
    },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'A personal API token (calm_...)' },
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: 'calm_session',
          description: 'Writes also need X-CSRF-Token',
        },
        alertToken: {
          type: 'http',
          scheme: 'bearer',
          description: "An alert source's token from the config file (alerts.sources[].token)",
        },
        alertSignature: {
          type: 'apiKey',
          in: 'header',
          name: 'X-Grafana-Alerting-Signature',
          description:
            "Hex HMAC-SHA256 of the body with the source's secret (alerts.sources[].secret; the header name is configurable)",
        },
      },
    },
    paths,
  };
}
