import {
  assertPluginRef,
  ChecksumMismatchError,
  PluginError,
  type PluginRegistry,
  type PluginRelease,
  type PublishMeta,
  type ResolvedArchive,
} from '@synapse/core'
import { sha256Hex } from './checksum'
import type { PublishBody } from './registry-server'

/**
 * A {@link PluginRegistry} on another machine, reached over HTTP (`synapse registry serve`).
 * Sends the bearer token on every request; a 401 becomes `REGISTRY_UNAUTHORIZED` naming the
 * registry, and a fetched archive is checked against the recorded checksum before it is returned.
 */
export class HttpRegistry implements PluginRegistry {
  /** Base URL without a trailing slash. */
  readonly url: string
  readonly #token: string | undefined

  constructor(url: string, token?: string) {
    this.url = url.replace(/\/+$/, '')
    this.#token = token
  }

  async publish(archive: Uint8Array, meta: PublishMeta): Promise<PluginRelease> {
    assertPluginRef(meta.code, meta.version)
    const body: PublishBody = { ...meta, archive: Buffer.from(archive).toString('base64') }
    const res = await this.#request('PUT', `${this.#path(meta.code)}/${meta.version}`, {
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    })
    return (await res.json()) as PluginRelease
  }

  async resolve(code: string, version: string): Promise<ResolvedArchive> {
    assertPluginRef(code, version)
    const base = `${this.#path(code)}/${version}`
    const release = (await (await this.#request('GET', base)).json()) as PluginRelease
    const res = await this.#request('GET', `${base}/archive`)
    const archive = new Uint8Array(await res.arrayBuffer())
    const actual = sha256Hex(archive)
    if (actual !== release.checksum) {
      throw new ChecksumMismatchError(
        `Archive of ${code}@${version} from ${this.url} does not match its recorded checksum: expected ${release.checksum}, got ${actual}`,
        { details: { expected: release.checksum, actual, registry: this.url } },
      )
    }
    return { archive, release }
  }

  async versions(code: string): Promise<string[]> {
    assertPluginRef(code)
    const res = await this.#request('GET', this.#path(code))
    return ((await res.json()) as { versions: string[] }).versions
  }

  /** Resolves when the registry accepts the token; `REGISTRY_UNAUTHORIZED` when it does not. */
  async checkAuth(): Promise<void> {
    await this.#request('GET', '/v1/auth')
  }

  #path(code: string): string {
    return `/v1/plugins/${encodeURIComponent(code)}`
  }

  async #request(
    method: string,
    path: string,
    init: { body?: string; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    const url = `${this.url}${path}`
    let res: Response
    try {
      res = await fetch(url, {
        method,
        headers: {
          ...init.headers,
          ...(this.#token !== undefined && { authorization: `Bearer ${this.#token}` }),
        },
        ...(init.body !== undefined && { body: init.body }),
      })
    } catch (cause) {
      throw new PluginError(`Registry ${this.url} cannot be reached`, {
        code: 'REGISTRY_UNREACHABLE',
        cause,
        details: { registry: this.url },
      })
    }
    if (res.ok) return res
    const answer = await res
      .json()
      .then((j) => (j as { error?: { code?: string; message?: string } }).error)
      .catch(() => undefined)
    if (res.status === 401) {
      const how =
        this.#token === undefined
          ? 'no token given'
          : `the token was refused${answer?.message ? ` (${answer.message})` : ''}`
      throw new PluginError(
        `Registry ${this.url} answered 401 Unauthorized: ${how}; run \`synapse login --registry ${this.url}\` with a token from \`synapse registry token create\``,
        { code: 'REGISTRY_UNAUTHORIZED', details: { registry: this.url, status: 401 } },
      )
    }
    throw new PluginError(
      `Registry ${this.url} refused ${method} ${path} (${res.status}): ${answer?.message ?? res.statusText}`,
      {
        code: answer?.code ?? 'REGISTRY_REQUEST_FAILED',
        details: { registry: this.url, status: res.status },
      },
    )
  }
}
