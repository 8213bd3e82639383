// Plays the person at the browser in the authorization code flow: opens lanyard's authorization
// URL, signs in as USER on oidc-provider's dev login page, consents, and follows the redirect to
// lanyard's loopback listener (MODE `tamper`: a forged request first, the real one printed;
// `print`: nothing sent, the real one printed).
// Usage: node human-code.mjs AUTHORIZATION_URL [USER] [MODE]; prints the final redirect URL.
import { browser } from './browser.mjs';

const [start, user = 'alice', mode = 'follow'] = process.argv.slice(2);
const origin = new URL(start).origin;
const { go } = browser(origin);

let page = await go('GET', start);
for (let step = 0; step < 4 && !page.left; step += 1) {
  if (!page.url.includes('/interaction/')) {
    console.error(`unexpected page ${page.status} ${page.url}: ${page.body.slice(0, 300)}`);
    process.exit(1);
  }
  const form = page.body.includes('name="prompt" value="login"')
    ? { prompt: 'login', login: user, password: 'x' }
    : { prompt: 'consent' };
  page = await go('POST', page.url, form);
}
if (!page.left) {
  console.error('never redirected back');
  process.exit(1);
}
const back = new URL(page.left);
if (mode === 'tamper') {
  // Another local process races the browser to the listener with a forged `state`; the real
  // redirect is printed for the test to deliver afterwards.
  const forged = new URL(back);
  forged.searchParams.set('state', 'forged-state');
  forged.searchParams.set('code', 'forged-code');
  const res = await fetch(forged, { redirect: 'manual' });
  await res.text();
} else if (mode !== 'print') {
  const res = await fetch(back, { redirect: 'manual' });
  await res.text();
}
console.log(back.toString());
