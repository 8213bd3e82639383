// Plays the person at the browser: opens the verification page for a user code, signs in as
// USER on oidc-provider's dev login page, and approves (or denies) the consent.
// Usage: node human.mjs ISSUER USER_CODE approve|deny [USER]
import { browser } from './browser.mjs';

const [issuer, userCode, decision = 'approve', user = 'alice'] = process.argv.slice(2);
const { go } = browser(issuer);

const field = (html, name) => {
  const m = html.match(new RegExp(`name="${name}" value="([^"]*)"`));
  if (!m) throw new Error(`no ${name} in page: ${html.slice(0, 400)}`);
  return m[1];
};

let page = await go('GET', `/device?user_code=${encodeURIComponent(userCode)}`);
const xsrf = field(page.body, 'xsrf');
page = await go('POST', '/device', { xsrf, user_code: userCode });
if (decision === 'deny') {
  page = await go('POST', '/device', { xsrf: field(page.body, 'xsrf'), user_code: userCode, abort: 'yes' });
  console.log(`denied ${page.status}`);
  process.exit(0);
}
page = await go('POST', '/device', { xsrf: field(page.body, 'xsrf'), user_code: userCode, confirm: 'yes' });
for (let step = 0; step < 4 && page.url.includes('/interaction/'); step += 1) {
  const form = page.body.includes('name="prompt" value="login"')
    ? { prompt: 'login', login: user, password: 'x' }
    : { prompt: 'consent' };
  page = await go('POST', page.url, form);
}
if (page.status !== 200 || !/success|Sign-in Success|Device/i.test(page.body)) {
  console.error(`unexpected final page ${page.status} ${page.url}: ${page.body.slice(0, 300)}`);
  process.exit(1);
}
console.log('approved');
