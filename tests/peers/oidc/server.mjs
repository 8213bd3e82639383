// A real OpenID provider (oidc-provider) on 127.0.0.1 with device flow, refresh-token rotation and
// short lifetimes, for lanyard's tests. Prints `READY <port>` when it listens.
// Env: ACCESS_TTL, ID_TTL, DEVICE_TTL (seconds). GET /__stats reports what the tests check:
// refresh grants, refresh errors, and the times (ms) of device-code polls.
import http from 'node:http';
import Provider from 'oidc-provider';

const ttl = (name, dflt) => Number(process.env[name] || dflt);
const stats = {
  refresh_grants: 0, refresh_errors: 0, device_polls: [], device_grants: 0, errors: [],
  code_grants: 0, registrations: 0, revoked: [],
};

// The test reads only the READY line: a closed stdout must not kill the provider.
process.stdout.on('error', () => {});
console.log = console.error;
console.info = console.error;

const server = http.createServer();
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: 'lanyard-test',
        token_endpoint_auth_method: 'none',
        grant_types: ['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token'],
        response_types: [],
        redirect_uris: [],
      },
    ],
    features: {
      deviceFlow: { enabled: true },
      devInteractions: { enabled: true },
      // RFC 7591 open registration, RFC 7009 revocation (both off unless asked for).
      registration: { enabled: process.env.REGISTRATION === '1' },
      revocation: { enabled: true },
    },
    ttl: {
      AccessToken: ttl('ACCESS_TTL', 60),
      IdToken: ttl('ID_TTL', 60),
      DeviceCode: ttl('DEVICE_TTL', 120),
      RefreshToken: 3600,
      Grant: 3600,
      Session: 3600,
      Interaction: 600,
    },
    scopes: ['openid', 'offline_access', 'email', 'profile'],
    claims: { openid: ['sub'], email: ['email'], profile: ['preferred_username', 'name'] },
    issueRefreshToken: async (ctx, client, code) =>
      client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access'),
    rotateRefreshToken: true,
    findAccount: async (ctx, id) => ({
      accountId: id,
      claims: async () => ({ sub: id, email: `${id}@example.com`, preferred_username: id, name: id }),
    }),
  });
  const DEVICE = 'urn:ietf:params:oauth:grant-type:device_code';
  provider.on('grant.success', (ctx) => {
    const gt = ctx.oidc.params.grant_type;
    if (gt === DEVICE) stats.device_polls.push(Date.now());
    if (gt === 'refresh_token') stats.refresh_grants += 1;
    if (gt === DEVICE) stats.device_grants += 1;
    if (gt === 'authorization_code') stats.code_grants += 1;
  });
  provider.on('registration_create.success', () => { stats.registrations += 1; });
  provider.on('access_token.destroyed', () => { stats.revoked.push('access_token'); });
  provider.on('refresh_token.destroyed', () => { stats.revoked.push('refresh_token'); });
  provider.on('grant.revoked', () => { stats.revoked.push('grant'); });
  provider.on('grant.error', (ctx, err) => {
    if (ctx.oidc.params && ctx.oidc.params.grant_type === DEVICE) stats.device_polls.push(Date.now());
    if (ctx.oidc.params.grant_type === 'refresh_token') stats.refresh_errors += 1;
    stats.errors.push(err.error || String(err));
  });
  provider.use(async (ctx, next) => {
    if (ctx.path === '/__stats') {
      ctx.body = stats;
      return;
    }
    // REFRESH_DELAY (ms): a slow token endpoint for refresh grants, so a test can act while a
    // refresh is in flight.
    if (ctx.path === '/token' && ctx.method === 'POST' && Number(process.env.REFRESH_DELAY || 0) > 0) {
      await new Promise((resolve) => { setTimeout(resolve, Number(process.env.REFRESH_DELAY)); });
    }
    await next();
  });
  server.on('request', provider.callback());
  process.stdout.write(`READY ${port}\n`);
});
