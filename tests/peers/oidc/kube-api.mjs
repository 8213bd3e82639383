// A Kubernetes API server's authentication, as an OIDC-enabled cluster does it, for lanyard's
// kubectl tests: HTTPS on 127.0.0.1 (cert and key from argv), every request's bearer token
// verified as an ID token of ISSUER for AUDIENCE with the issuer's own JWKS (jose, the library
// oidc-provider uses). A valid token gets an empty PodList, anything else a 401 Status.
// argv: ISSUER AUDIENCE CERT KEY. Prints `READY <port>`; GET /__seen lists the subjects it let in.
import https from 'node:https';
import fs from 'node:fs';
import { createRemoteJWKSet, jwtVerify } from 'jose';

const [issuer, audience, cert, key] = process.argv.slice(2);
process.stdout.on('error', () => {});
const discovery = await (await fetch(`${issuer}/.well-known/openid-configuration`)).json();
const jwks = createRemoteJWKSet(new URL(discovery.jwks_uri));
const seen = [];

const status = (code, message) => JSON.stringify({
  kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'Unauthorized', code,
});

const server = https.createServer({ cert: fs.readFileSync(cert), key: fs.readFileSync(key) }, async (req, res) => {
  res.setHeader('content-type', 'application/json');
  if (req.url === '/__seen') {
    res.end(JSON.stringify(seen));
    return;
  }
  const auth = req.headers.authorization || '';
  const token = auth.startsWith('Bearer ') ? auth.slice(7) : '';
  try {
    const { payload } = await jwtVerify(token, jwks, { issuer, audience });
    seen.push(payload.sub);
    res.end(JSON.stringify({ kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '1' }, items: [] }));
  } catch (e) {
    res.statusCode = 401;
    res.end(status(401, `Unauthorized: ${e.code || e.message}`));
  }
});
server.listen(0, '127.0.0.1', () => console.log(`READY ${server.address().port}`));
