// Files that carry secrets by their name. A plugin archive never contains them, whatever the
// ignore files say: an author who forgot a `.synapseignore` line must not publish a key.
const SECRET_NAMES = [
  /^\.env$/,
  // `.env.local`, `.env.production`…, but not the templates authors ship on purpose.
  /^\.env\.(?!example$|sample$|template$|dist$).+$/,
  /\.pem$/i,
  /\.key$/i,
  /\.p12$/i,
  /\.pfx$/i,
  /\.jks$/i,
  /\.keystore$/i,
  /^id_(rsa|dsa|ecdsa|ed25519)$/,
  /^\.netrc$/,
  /^\.npmrc$/,
  /^\.pypirc$/,
  /^\.git-credentials$/,
  /^credentials(\.json|\.ya?ml)?$/i,
  /^service[-_]account.*\.json$/i,
  /secrets?\.(json|ya?ml|toml)$/i,
]

/** True when a file's name says it holds credentials or keys (`.env`, `*.pem`, `id_rsa`…). */
export function isSecretFile(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1)
  return SECRET_NAMES.some((pattern) => pattern.test(name))
}
