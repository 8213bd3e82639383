// A token service for Distribution's token auth (the distribution token-auth spec), for lanyard's
// container tests: GET /token?service=…&scope=repository:NAME:ACTIONS with HTTP basic auth →
// {"token", "access_token", "expires_in"}, a JWT (RS256) whose x5c header carries the
// certificate the registry's rootcertbundle trusts. Node's own crypto; nothing installed.
// argv: CERT KEY USER PASSWORD SERVICE ISSUER. Prints `READY <port>`.
import http from 'node:http';
import fs from 'node:fs';
import crypto from 'node:crypto';

const [certPath, keyPath, user, password, service, issuer] = process.argv.slice(2);
process.stdout.on('error', () => {});
const key = crypto.createPrivateKey(fs.readFileSync(keyPath));
const der = new crypto.X509Certificate(fs.readFileSync(certPath)).raw.toString('base64');
const b64url = (b) => Buffer.from(b).toString('base64url');

function jwt(sub, access) {
  const now = Math.floor(Date.now() / 1000);
  const header = { alg: 'RS256', typ: 'JWT', x5c: [der] };
  const claims = {
    iss: issuer, sub, aud: service, exp: now + 300, nbf: now - 10, iat: now,
    jti: crypto.randomBytes(8).toString('hex'), access,
  };
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  const sig = crypto.sign('sha256', Buffer.from(input), key).toString('base64url');
  return `${input}.${sig}`;
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  const auth = req.headers.authorization || '';
  const want = 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');
  res.setHeader('content-type', 'application/json');
  if (url.pathname !== '/token' || auth !== want || url.searchParams.get('service') !== service) {
    res.statusCode = 401;
    res.end(JSON.stringify({ details: 'bad credentials' }));
    return;
  }
  const access = url.searchParams.getAll('scope').filter(Boolean).map((s) => {
    const [type, ...rest] = s.split(':');
    const actions = rest.pop().split(',');
    return { type, name: rest.join(':'), actions };
  });
  const token = jwt(user, access);
  res.end(JSON.stringify({ token, access_token: token, expires_in: 300 }));
});
server.listen(0, '127.0.0.1', () => console.log(`READY ${server.address().port}`));
