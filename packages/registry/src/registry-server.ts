import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { assertPluginRef, PluginError, type PublishMeta } from '@synapse/core'
import { LocalRegistry } from './local-registry'
import { RegistryTokens } from './registry-tokens'

/** Where a registry server keeps releases, and how big an upload may be. */
export interface RegistryServerOptions {
  /** The registry directory served (a {@link LocalRegistry}). */
  dir: string
  /** Largest request body accepted, in bytes; default 512 MiB. */
  maxBodyBytes?: number
}

/** A registry server listening. */
export interface RunningRegistryServer {
  /** Base URL, e.g. `http://127.0.0.1:4873`. */
  url: string
  server: Server
  close(): Promise<void>
}

class HttpError extends Error {
  readonly status: number
  readonly code: string
  constructor(status: number, code: string, message: string) {
    super(message)
    this.status = status
    this.code = code
  }
}

/** The body of a publish request: the release's meta and the archive, base64. */
export interface PublishBody extends PublishMeta {
  archive: string
}

/**
 * Serves a {@link LocalRegistry} over HTTP. Every request needs `Authorization: Bearer <token>`
 * with a token from {@link RegistryTokens}; codes and versions in the path are checked against
 * core's patterns before they reach the disk, and any `..`, encoded slash or backslash is
 * refused outright.
 *
 * Routes: `GET /v1/auth` (200 when the token is good), `GET /v1/plugins/:code` (`{ versions }`), `GET /v1/plugins/:code/:version` (the release
 * record), `GET /v1/plugins/:code/:version/archive` (the bytes, `x-synapse-checksum` header),
 * `PUT /v1/plugins/:code/:version` (JSON {@link PublishBody}; 201, or 409 `VERSION_EXISTS`).
 */
export function createRegistryServer(options: RegistryServerOptions): Server {
  const registry = new LocalRegistry(options.dir)
  const tokens = new RegistryTokens(options.dir)
  const maxBody = options.maxBodyBytes ?? 512 * 1024 * 1024
  return createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const status =
        error instanceof HttpError ? error.status : PluginError.is(error) ? statusOf(error) : 500
      const code =
        error instanceof HttpError ? error.code : PluginError.is(error) ? error.code : 'INTERNAL'
      const message =
        error instanceof HttpError || PluginError.is(error) ? error.message : 'internal error'
      sendJson(res, status, { error: { code, message } })
    })
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const auth = req.headers.authorization ?? ''
    const match = /^Bearer (\S+)$/.exec(auth)
    if (match === null) {
      throw new HttpError(401, 'REGISTRY_UNAUTHORIZED', 'missing bearer token')
    }
    if (!tokens.verify(match[1]!)) {
      throw new HttpError(401, 'REGISTRY_UNAUTHORIZED', 'token not recognised by this registry')
    }
    if (req.method === 'GET' && (req.url ?? '').split('?')[0] === '/v1/auth') {
      sendJson(res, 200, { ok: true })
      return
    }
    const [code, version, rest] = routeOf(req.url ?? '/')
    if (version === undefined) {
      if (req.method !== 'GET') throw new HttpError(404, 'NOT_FOUND', 'no such route')
      sendJson(res, 200, { versions: await registry.versions(code) })
      return
    }
    assertPluginRef(code, version)
    if (req.method === 'GET' && rest === undefined) {
      sendJson(res, 200, (await registry.resolve(code, version)).release)
    } else if (req.method === 'GET' && rest === 'archive') {
      const { archive, release } = await registry.resolve(code, version)
      res.writeHead(200, {
        'content-type': 'application/gzip',
        'content-length': archive.length,
        'x-synapse-checksum': release.checksum,
      })
      res.end(archive)
    } else if (req.method === 'PUT' && rest === undefined) {
      const body = parseBody(await readBody(req, maxBody))
      if (body.code !== code || body.version !== version) {
        throw new HttpError(400, 'INVALID_PLUGIN_REF', 'body code@version differs from the path')
      }
      const { archive, ...meta } = body
      sendJson(res, 201, await registry.publish(Buffer.from(archive, 'base64'), meta))
    } else throw new HttpError(404, 'NOT_FOUND', 'no such route')
  }
}

/** The path's segments after `/v1/plugins/`, decoded; path tricks are refused before decoding. */
function routeOf(url: string): [string, string | undefined, string | undefined] {
  const pathname = url.split('?')[0] ?? ''
  if (/\.\.|%2e%2e|%2f|%5c|\\/i.test(pathname)) {
    throw new HttpError(400, 'INVALID_PLUGIN_REF', `path not allowed: ${pathname}`)
  }
  const parts = pathname.split('/')
  if (
    parts[1] !== 'v1' ||
    parts[2] !== 'plugins' ||
    parts.length < 4 ||
    parts.length > 6 ||
    parts.slice(3).includes('')
  ) {
    throw new HttpError(404, 'NOT_FOUND', 'no such route')
  }
  const decoded = parts.slice(3).map((p) => {
    try {
      return decodeURIComponent(p)
    } catch {
      throw new HttpError(400, 'INVALID_PLUGIN_REF', `bad escape in path: ${pathname}`)
    }
  })
  const code = decoded[0] ?? ''
  assertPluginRef(code)
  return [code, decoded[1], decoded[2]]
}

function statusOf(error: PluginError): number {
  switch (error.code) {
    case 'INVALID_PLUGIN_REF':
    case 'CHECKSUM_MISMATCH':
      return 400
    case 'RELEASE_NOT_FOUND':
      return 404
    case 'VERSION_EXISTS':
      return 409
    default:
      return 500
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  })
  res.end(text)
}

async function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > max) throw new HttpError(413, 'PAYLOAD_TOO_LARGE', `body over ${max} bytes`)
    chunks.push(chunk)
  }
  return Buffer.concat(chunks)
}

function parseBody(raw: Buffer): PublishBody {
  let body: Partial<PublishBody>
  try {
    body = JSON.parse(raw.toString('utf8')) as Partial<PublishBody>
  } catch {
    throw new HttpError(400, 'INVALID_BODY', 'publish body is not JSON')
  }
  if (
    typeof body.code !== 'string' ||
    typeof body.version !== 'string' ||
    typeof body.checksum !== 'string' ||
    typeof body.archive !== 'string' ||
    !Array.isArray(body.files)
  ) {
    throw new HttpError(
      400,
      'INVALID_BODY',
      'publish body needs code, version, checksum, files, archive',
    )
  }
  return body as PublishBody
}

/** Starts a registry server on `host:port` (port 0: any free one) and says where it listens. */
export async function startRegistryServer(
  options: RegistryServerOptions & { port?: number; host?: string },
): Promise<RunningRegistryServer> {
  const server = createRegistryServer(options)
  const host = options.host ?? '127.0.0.1'
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo
  const shownHost = host.includes(':') ? `[${host}]` : host
  return {
    url: `http://${shownHost}:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()))
        server.closeAllConnections()
      }),
  }
}
